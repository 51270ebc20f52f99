"""Reporting periods: NHS financial quarters and years (1 April to 31 March), or any dates.
No Django here.

A period is inclusive of both its first and last day. Query parameters name a period as
"2025-26" (a financial year), "2025-26-Q3" (its third quarter: October to December 2025) or
"2025-10-01..2025-12-31" (any two dates).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from attune.core.formatting import date_long

# ASCII digits only: "\d" alone would accept any script's digits.
_YEAR = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$", re.ASCII)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$", re.ASCII)
# Years a report may cover; outside them a key is a typing slip (and date() would overflow).
FIRST_YEAR, LAST_YEAR = 1990, 2098
# The longest period a report covers: ten years and their leap days.
MAX_DAYS = 3653


class BadPeriod(ValueError):
    """A period that cannot be read; the message is fit to show."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    key: str  # how it is written in a URL
    label: str  # how it reads on the page

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def includes(self, day: date) -> bool:
        return self.start <= day <= self.end


def _check_year(first_year: int) -> None:
    if not FIRST_YEAR <= first_year <= LAST_YEAR:
        raise BadPeriod(f"Choose a financial year from {FIRST_YEAR} to {LAST_YEAR + 1}")


def financial_year(first_year: int) -> Period:
    """financial_year(2025) -> 1 April 2025 to 31 March 2026, "2025-26"."""
    _check_year(first_year)
    key = f"{first_year}-{(first_year + 1) % 100:02d}"
    return Period(date(first_year, 4, 1), date(first_year + 1, 3, 31), key, f"Financial year {key}")


def quarter(first_year: int, number: int) -> Period:
    """quarter(2025, 3) -> 1 October to 31 December 2025 (Q1 is April to June)."""
    if number not in (1, 2, 3, 4):
        raise BadPeriod("A quarter is numbered 1 to 4")
    _check_year(first_year)
    month = 4 + 3 * (number - 1)
    year = first_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    next_start = date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
    end = next_start - timedelta(days=1)
    year_key = financial_year(first_year).key
    return Period(start, end, f"{year_key}-Q{number}", f"Quarter {number} {year_key} ({start:%B} to {end:%B %Y})")


def between(start: date, end: date) -> Period:
    if end < start:
        raise BadPeriod("The end date must be the same as or after the start date")
    if start.year < FIRST_YEAR or end.year > LAST_YEAR + 1:
        raise BadPeriod(f"Choose dates from {FIRST_YEAR} to {LAST_YEAR + 1}")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadPeriod("A report can cover at most 10 years: choose a shorter period")
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", f"{date_long(start)} to {date_long(end)}")


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: date) -> Period:
    first_year = financial_year_of(day)
    return quarter(first_year, (day.month - 4) % 12 // 3 + 1)


def last_complete_quarter(today: date) -> Period:
    current = quarter_of(today)
    return quarter_of(current.start - timedelta(days=1))


def parse(key: str) -> Period:
    """The period a URL names; BadPeriod with a message fit to show if it names none."""
    key = key.strip()
    if m := _QUARTER.match(key):
        first_year = int(m[1])
        if (first_year + 1) % 100 != int(m[2]):
            raise BadPeriod(f"{key} is not a financial year: the years must follow each other, as in 2025-26")
        return quarter(first_year, int(m[3]))
    if m := _YEAR.match(key):
        first_year = int(m[1])
        if (first_year + 1) % 100 != int(m[2]):
            raise BadPeriod(f"{key} is not a financial year: the years must follow each other, as in 2025-26")
        return financial_year(first_year)
    if m := _RANGE.match(key):
        try:
            return between(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except ValueError as error:
            if isinstance(error, BadPeriod):
                raise
            raise BadPeriod("Enter real dates, as in 2025-10-01..2025-12-31") from error
    raise BadPeriod("Choose a quarter (2025-26-Q3), a financial year (2025-26) or two dates (2025-10-01..2025-12-31)")
