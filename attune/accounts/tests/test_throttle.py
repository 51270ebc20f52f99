"""The per-account delay rule (accounts/throttle.py), without the database."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.accounts import throttle

POLICY = throttle.Policy()
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(0, 0), (1, 0), (4, 0), (5, 1), (6, 2), (7, 4), (8, 8), (9, 15), (10, 15), (50, 15), (10**9, 15)],
)
def test_the_wait_starts_at_the_fifth_failure_doubles_and_stops_at_15_minutes(failures: int, minutes: int) -> None:
    assert throttle.wait_after(failures, POLICY) == timedelta(minutes=minutes)


@given(st.integers(min_value=0, max_value=10**6))
def test_the_wait_never_shrinks_with_more_failures_and_never_passes_the_longest(failures: int) -> None:
    wait = throttle.wait_after(failures, POLICY)
    assert timedelta(0) <= wait <= POLICY.longest_wait
    assert throttle.wait_after(failures + 1, POLICY) >= wait


def test_a_failure_after_four_in_the_hour_starts_a_one_minute_wait() -> None:
    assert throttle.after_a_failure(4, NOW - 10 * MINUTE, NOW, POLICY) == (5, NOW + MINUTE)


def test_failures_an_hour_old_no_longer_count() -> None:
    assert throttle.after_a_failure(8, NOW - 60 * MINUTE, NOW, POLICY) == (1, None)
    assert throttle.after_a_failure(8, NOW - 59 * MINUTE, NOW, POLICY) == (9, NOW + 15 * MINUTE)


def test_the_first_failure_ever_counts_one_and_waits_for_nothing() -> None:
    assert throttle.after_a_failure(0, None, NOW, POLICY) == (1, None)


def test_the_time_to_try_again_is_rounded_up_to_the_minute() -> None:
    assert throttle.try_again_at(NOW + MINUTE) == NOW + MINUTE
    assert throttle.try_again_at(NOW + timedelta(seconds=61)) == NOW + 2 * MINUTE
    assert throttle.try_again_at(NOW + timedelta(microseconds=1)) == NOW + MINUTE


def test_the_policy_follows_the_settings(settings: object) -> None:
    from attune.accounts.services import throttle_policy

    assert throttle_policy() == throttle.Policy(
        free_failures=5, first_wait=MINUTE, longest_wait=15 * MINUTE, window=timedelta(hours=1)
    )
