"""Synthetic identifiers and demo dates: NHS numbers that can never belong to a real person, and
dates counted back from today in working days so the demo's clocks always read the same."""

from datetime import date, datetime, time, timedelta

from attune.core import clocks
from attune.core.formatting import LONDON
from attune.core.validators import is_valid_nhs_number

# NHS numbers beginning 999 are never issued to patients: the test range used by PDS.
# (The `nhs-number` package's "synthetic" region is the wider 900-999 block, so it is not used.)
SYNTHETIC_PREFIX = "999"
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def _check_digit(first_nine: str) -> int | None:
    """Modulus 11 (domain B.1): None when the check would be 10, which no valid number has."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    return None if check == 10 else check


def synthetic_nhs_number(serial: int) -> str:
    """A valid NHS number in the 999 range, the same for the same serial (0-99,999). Serials are
    spaced ten apart, and the first base that gives a valid check digit is used."""
    if not 0 <= serial < 100_000:
        raise ValueError("serial must be between 0 and 99,999")
    base = serial * 10
    for step in range(10):
        first_nine = f"{SYNTHETIC_PREFIX}{base + step:06d}"
        check = _check_digit(first_nine)
        if check is not None:
            number = f"{first_nine}{check}"
            assert is_valid_nhs_number(number)
            return number
    raise AssertionError("unreachable: a check digit of 10 never occurs ten times running")


def working_days_before(today: date, days: int) -> date:
    """The most recent working day from which `days` working days have passed by `today`
    (so clocks.working_days_between(result, today) == days)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, counted = today, 0
    while counted < days:
        if clocks.is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    while not clocks.is_working_day(day):
        day -= timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time on a day, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)
