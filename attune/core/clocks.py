"""Dates that matter in this service: working-day clocks, ages, the first 1001 days.
Plain Python (the `holidays` package for UK bank holidays); no Django.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

# A pregnancy is dated 280 days (40 weeks) from the first day of the last period to the due date;
# the first 1001 days run from conception (about 266 days before the due date) to the 2nd birthday.
# https://arc-nenc.nihr.ac.uk/evidence/why-parent-infant-relationship-pair-services-are-important-and-how-to-commission-them/
DAYS_CONCEPTION_TO_DUE_DATE = 266
FIRST_DAYS = 1001
# A baby may arrive up to about two weeks after the due date before a referral's due date is stale.
POSTDUE_DAYS = 14


@lru_cache(maxsize=64)
def bank_holidays(year: int, subdivision: str = "ENG") -> frozenset[date]:
    """UK bank holidays for a nation (ENG, WLS, SCT, NIR), from the `holidays` package offline."""
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=[year]).keys())


def is_working_day(day: date, subdivision: str = "ENG") -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year, subdivision)


def add_working_days(moment: datetime, days: int, *, subdivision: str = "ENG") -> datetime:
    """The same time of day `days` working days after `moment` (weekends and bank holidays
    skipped), in `moment`'s own time zone: recorded at 3pm on a Friday, 2 working days is 3pm
    on Tuesday (Wednesday after a bank holiday Monday)."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    result = moment
    counted = 0
    while counted < days:
        result = result + timedelta(days=1)
        if is_working_day(result.date(), subdivision):
            counted += 1
    return result


def _weekdays_to(day: date) -> int:
    """Weekdays from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


def working_days_between(start: date, end: date, *, subdivision: str = "ENG") -> int:
    """Working days after `start` up to and including `end` (so a referral received today has
    waited 0 days, and one received on Friday has waited 1 on Monday). 0 if end <= start.
    Weekdays are counted by arithmetic and the bank holidays on weekdays taken off, rather than
    walking the days: a waiting list or an inbox asks this for every family (issue 18)."""
    if end <= start:
        return 0
    holidays_off = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in bank_holidays(year, subdivision)
        if start < holiday <= end and holiday.weekday() < 5
    )
    return _weekdays_to(end) - _weekdays_to(start) - holidays_off


def working_days_excluding(
    start: date, end: date, paused: Iterable[tuple[date, date | None]], *, subdivision: str = "ENG"
) -> int:
    """Working days from start to end, less the working days inside each pause (a pause that
    has not ended runs to `end`)."""
    total = working_days_between(start, end, subdivision=subdivision)
    for pause_start, pause_end in paused:
        stop = min(pause_end or end, end)
        total -= working_days_between(max(pause_start, start), stop, subdivision=subdivision)
    return max(total, 0)


def add_years(day: date, years: int) -> date:
    """The same calendar date `years` later. Someone born on 29 February has their birthday on
    1 March in other years, the same rule age_in_years uses, so the day a child turns 5 is the
    day their age first reads 5."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


# A setting that past figures depend on (a team's targets, a service's weights or supervision
# standard) changes from a day on, never before today: last year's report keeps the setting it
# was measured against, and a mistake is put right from today.
SETTING_IN_THE_PAST = "The date the change applies from must be today or in the future"


def setting_date_problem(effective_from: date, today: date) -> str:
    """Why a dated setting cannot change from this day, or ''."""
    return SETTING_IN_THE_PAST if effective_from < today else ""


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_in_months(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - (1 if on.day < born.day else 0)


@dataclass(frozen=True)
class FirstDays:
    starts: date  # conception, estimated
    ends: date  # the day before the 2nd birthday (or 1001 days on, if only a due date is known)

    def includes(self, day: date) -> bool:
        return self.starts <= day <= self.ends


def first_1001_days(*, born: date | None = None, due: date | None = None) -> FirstDays:
    """The first 1001 days of a baby's life, from conception to the 2nd birthday."""
    if born is not None:
        conception = (due or born) - timedelta(days=DAYS_CONCEPTION_TO_DUE_DATE)
        return FirstDays(conception, add_years(born, 2) - timedelta(days=1))
    if due is None:
        raise ValueError("A date of birth or a due date is needed")
    conception = due - timedelta(days=DAYS_CONCEPTION_TO_DUE_DATE)
    return FirstDays(conception, conception + timedelta(days=FIRST_DAYS - 1))
