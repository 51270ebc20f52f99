"""The Parent-Infant Foundation supervision standard, as plain Python (no Django).

Clinical supervision, separate from line management: at least 1 hour every week for a
practitioner with under 3 years' experience with under-2s, 1 hour every fortnight otherwise,
pro rata for part-time (contracted weekly hours against 37.5, capped at full time).
Source: Parent-Infant Foundation self-audit tool (reference/domain.md section D).

Periods are counted from a fixed Monday (EPOCH), so every fortnight starts on a Monday and
everyone's fortnights line up: the fortnight containing a date is the same whoever asks.
"""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from attune.core.clocks import add_years

EPOCH = dt.date(2024, 1, 1)  # a Monday: week and fortnight 0 start here
FULL_TIME_HOURS = Decimal("37.5")
MINUTES_PER_PERIOD = 60
EXPERIENCED_AFTER_YEARS = 3
WEEK = 7
FORTNIGHT = 14


class Status(StrEnum):
    ON_TRACK = "on_track"  # the current period's supervision is done
    DUE = "due"  # the current period is not yet met, the one before was
    OVERDUE = "overdue"  # the whole of the previous period was missed


STATUS_LABELS = {Status.ON_TRACK: "On track", Status.DUE: "Due", Status.OVERDUE: "Overdue"}


def is_experienced(experience_since: dt.date, on: dt.date) -> bool:
    """Three full years' experience with under-2s on this date."""
    return on >= add_years(experience_since, EXPERIENCED_AFTER_YEARS)


def pro_rata_minutes(weekly_hours: Decimal | None) -> int:
    """60 minutes scaled by contracted hours against 37.5, capped at 60, rounded up to a minute.
    Unknown hours count as full time (the safer reading)."""
    if weekly_hours is None:
        return MINUTES_PER_PERIOD
    fraction = min(Decimal(weekly_hours) / FULL_TIME_HOURS, Decimal(1))
    if fraction <= 0:
        return 0
    return math.ceil(MINUTES_PER_PERIOD * fraction)


@dataclass(frozen=True)
class Requirement:
    period_days: int  # WEEK or FORTNIGHT
    minutes: int  # at least this many minutes in each period

    @property
    def label(self) -> str:
        every = "every week" if self.period_days == WEEK else "every fortnight"
        return f"{self.minutes} minutes {every}"


def requirement(*, experience_since: dt.date | None, weekly_hours: Decimal | None, on: dt.date) -> Requirement:
    """What the standard asks of this practitioner on this date. Unknown experience counts as
    under 3 years (weekly), so a missing record never lowers the bar."""
    experienced = experience_since is not None and is_experienced(experience_since, on)
    return Requirement(period_days=FORTNIGHT if experienced else WEEK, minutes=pro_rata_minutes(weekly_hours))


def period_containing(on: dt.date, period_days: int) -> tuple[dt.date, dt.date]:
    """[start, end] (both inclusive) of the week or fortnight containing `on`, counted from EPOCH."""
    index = (on - EPOCH).days // period_days
    start = EPOCH + dt.timedelta(days=index * period_days)
    return start, start + dt.timedelta(days=period_days - 1)


@dataclass(frozen=True)
class Compliance:
    requirement: Requirement
    status: Status
    period_start: dt.date
    period_end: dt.date
    minutes_this_period: int
    minutes_last_period: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _minutes_between(sessions: Iterable[tuple[dt.date, int]], start: dt.date, end: dt.date) -> int:
    return sum(minutes for held_on, minutes in sessions if start <= held_on <= end)


def compliance(
    *,
    experience_since: dt.date | None,
    weekly_hours: Decimal | None,
    sessions: Iterable[tuple[dt.date, int]],
    today: dt.date,
    counting_from: dt.date | None = None,
) -> Compliance:
    """Status over the current and previous period, by the requirement that applies today.

    sessions: (date held, minutes) of supervision the practitioner received.
    counting_from: when the standard started to apply to them (e.g. they joined); a previous
    period that ended before it cannot be missed.
    """
    held = [(held_on, minutes) for held_on, minutes in sessions if held_on <= today]
    needed = requirement(experience_since=experience_since, weekly_hours=weekly_hours, on=today)
    start, end = period_containing(today, needed.period_days)
    last_start = start - dt.timedelta(days=needed.period_days)
    last_end = start - dt.timedelta(days=1)
    this_period = _minutes_between(held, start, end)
    last_period = _minutes_between(held, last_start, last_end)
    last_applies = counting_from is None or counting_from <= last_start
    if this_period >= needed.minutes:
        status = Status.ON_TRACK
    elif last_period >= needed.minutes or not last_applies:
        status = Status.DUE
    else:
        status = Status.OVERDUE
    return Compliance(
        requirement=needed,
        status=status,
        period_start=start,
        period_end=end,
        minutes_this_period=this_period,
        minutes_last_period=last_period,
    )
