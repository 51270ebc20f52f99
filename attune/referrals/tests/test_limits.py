"""A rate limit in words, read the way django-ratelimit reads it."""

import pytest
from django_ratelimit.core import _split_rate  # type: ignore[import-untyped]

from attune.referrals import limits


@pytest.mark.parametrize("rate", ["600/10m", "30/h", "5/2h", "10/s", "3/45s", "100/d", "1/90m", "7/1"])
def test_the_window_is_the_one_django_ratelimit_counts_over(rate: str) -> None:
    assert limits.window_seconds(rate) == _split_rate(rate)[1]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (600, "10 minutes"),
        (3600, "an hour"),
        (7200, "2 hours"),
        (60, "a minute"),
        (86400, "a day"),
        (5400, "90 minutes"),
        (45, "45 seconds"),
        (1, "a second"),
    ],
)
def test_a_wait_in_words(seconds: int, words: str) -> None:
    assert limits.duration_words(seconds) == words


def test_a_rate_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="Not a rate limit"):
        limits.window_seconds("often")
