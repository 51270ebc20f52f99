"""The public forms' rate limits in words: a limit is written as django-ratelimit reads it
("600/10m": 600 in each 10 minutes), and the page that refuses a request says how long to wait
from the same setting, so the words and the limit cannot disagree. Plain Python."""

import re

# django-ratelimit's own form of a rate (django_ratelimit.core): a count, then per an optional
# multiple of a unit (seconds if none).
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
_NAMES = (
    (24 * 60 * 60, "day", "a day"),
    (60 * 60, "hour", "an hour"),
    (60, "minute", "a minute"),
    (1, "second", "a second"),
)


def window_seconds(rate: str) -> int:
    """How long the limit counts over, in seconds: '600/10m' -> 600, '30/h' -> 3600."""
    found = _RATE.match(rate.strip())
    if found is None:
        raise ValueError(f"Not a rate limit: {rate!r}")
    _, multiple, unit = found.groups()
    return int(multiple or 1) * _UNIT_SECONDS[(unit or "s").lower()]


def duration_words(seconds: int) -> str:
    """'10 minutes', 'an hour', '2 hours', 'a day': the largest unit that divides it exactly,
    else minutes rounded up (a person is never told to come back too soon)."""
    for size, name, one in _NAMES:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return one if count == 1 else f"{count} {name}s"
    minutes = -(-seconds // 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def wait_words(rate: str) -> str:
    """How long to wait after reaching the limit: at most one whole window ('in 10 minutes')."""
    return duration_words(window_seconds(rate))
