"""The supervision standard, as plain Python (no Django).

Clinical supervision, separate from line management. The Parent-Infant Foundation standard (the
default, PARENT_INFANT_FOUNDATION): at least 1 hour every week for a practitioner with under 3
years' experience with under-2s, 1 hour every fortnight otherwise, pro rata for part-time
(contracted weekly hours against 37.5, capped at full time). Source: Parent-Infant Foundation
self-audit tool (reference/domain.md section D). A service may set its own `Standard` from a day
on (supervision.models.SupervisionStandardSetting); every function here takes the standard it
judges by, so a past period is judged by the standard in force then (`History`).

Periods are counted from a fixed Monday (EPOCH), so every fortnight starts on a Monday and
everyone's fortnights line up: the fortnight containing a date is the same whoever asks.
"""

import bisect
import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from attune.core.clocks import add_years

EPOCH = dt.date(2024, 1, 1)  # a Monday: week and fortnight 0 start here
WEEK = 7
FORTNIGHT = 14
PERIOD_WORDS = {WEEK: "week", FORTNIGHT: "fortnight"}


@dataclass(frozen=True)
class Standard:
    """How much clinical supervision a service asks of its practitioners."""

    minutes_per_period: int  # for someone full time
    full_time_hours: Decimal  # part-time hours are pro rata against this
    experienced_after_years: int  # years of experience with under-2s before the experienced period applies
    less_experienced_period: int  # WEEK or FORTNIGHT, before then
    experienced_period: int  # WEEK or FORTNIGHT, after


PARENT_INFANT_FOUNDATION = Standard(
    minutes_per_period=60,
    full_time_hours=Decimal("37.5"),
    experienced_after_years=3,
    less_experienced_period=WEEK,
    experienced_period=FORTNIGHT,
)


def _hours_text(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def _years_of(years: int) -> str:
    """'1 year's', '3 years'': the possessive before "experience"."""
    return "1 year's" if years == 1 else f"{years} years'"


def describe(standard: Standard, *, of: str = "") -> str:
    """The standard in plain words: '60 minutes every week for practitioners with under 3 years'
    experience with under-2s; every fortnight after; pro rata for part-time against 37.5 hours'
    ('60 minutes of clinical supervision every week …' with of="of clinical supervision")."""
    minutes = f"{standard.minutes_per_period} minutes" + (f" {of}" if of else "")
    newer, after = PERIOD_WORDS[standard.less_experienced_period], PERIOD_WORDS[standard.experienced_period]
    part_time = f"pro rata for part-time against {_hours_text(standard.full_time_hours)} hours"
    if newer == after or standard.experienced_after_years == 0:
        return f"{minutes} every {after} for every practitioner, whatever their experience; {part_time}"
    years = _years_of(standard.experienced_after_years)
    return (
        f"{minutes} every {newer} for practitioners with under {years} experience with under-2s; "
        f"every {after} after; {part_time}"
    )


class Status(StrEnum):
    ON_TRACK = "on_track"  # the current period's supervision is done
    DUE = "due"  # the current period is not yet met, the one before was
    OVERDUE = "overdue"  # the whole of the previous period was missed


STATUS_LABELS = {Status.ON_TRACK: "On track", Status.DUE: "Due", Status.OVERDUE: "Overdue"}


def is_experienced(experience_since: dt.date, on: dt.date, *, standard: Standard) -> bool:
    """Enough full years' experience with under-2s on this date for the experienced period."""
    return on >= add_years(experience_since, standard.experienced_after_years)


def pro_rata_minutes(weekly_hours: Decimal | None, *, standard: Standard) -> int:
    """The standard's minutes scaled by contracted hours against its full-time hours, capped at
    full time, rounded up to a minute. Unknown hours count as full time (the safer reading)."""
    if weekly_hours is None:
        return standard.minutes_per_period
    fraction = min(Decimal(weekly_hours) / standard.full_time_hours, Decimal(1))
    if fraction <= 0:
        return 0
    return math.ceil(standard.minutes_per_period * fraction)


@dataclass(frozen=True)
class Requirement:
    period_days: int  # WEEK or FORTNIGHT
    minutes: int  # at least this many minutes in each period

    @property
    def label(self) -> str:
        return f"{self.minutes} minutes every {PERIOD_WORDS[self.period_days]}"


def requirement(
    *, experience_since: dt.date | None, weekly_hours: Decimal | None, on: dt.date, standard: Standard
) -> Requirement:
    """What the standard asks of this practitioner on this date. Unknown experience counts as
    less experienced, so a missing record never lowers the bar."""
    experienced = experience_since is not None and is_experienced(experience_since, on, standard=standard)
    period = standard.experienced_period if experienced else standard.less_experienced_period
    return Requirement(period_days=period, minutes=pro_rata_minutes(weekly_hours, standard=standard))


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
    standard: Standard,
    counting_from: dt.date | None = None,
) -> Compliance:
    """Status over the current and previous period, by the requirement of the standard that
    applies today.

    sessions: (date held, minutes) of supervision the practitioner received.
    counting_from: when the standard started to apply to them (e.g. they joined); a previous
    period that ended before it cannot be missed.
    """
    held = [(held_on, minutes) for held_on, minutes in sessions if held_on <= today]
    needed = requirement(experience_since=experience_since, weekly_hours=weekly_hours, on=today, standard=standard)
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


@dataclass(frozen=True)
class History:
    """Each service's standard over time: `on(service, day)` is the one in force that day, the
    latest change made by then, or `default` before the first (and for a service with none).
    Built once from one query, so a report asks for the standard of every week it counts
    without a query each."""

    changes: Mapping[Hashable, tuple[tuple[dt.date, Standard], ...]]  # oldest first
    default: Standard

    @classmethod
    def of(cls, rows: Iterable[tuple[Hashable, dt.date, Standard]], *, default: Standard) -> "History":
        found: dict[Hashable, list[tuple[dt.date, Standard]]] = {}
        for key, day, standard in rows:
            found.setdefault(key, []).append((day, standard))
        return cls({key: tuple(sorted(days, key=lambda change: change[0])) for key, days in found.items()}, default)

    def on(self, key: Hashable, day: dt.date) -> Standard:
        changes = self.changes.get(key, ())
        at = bisect.bisect_right([when for when, _ in changes], day)
        return changes[at - 1][1] if at else self.default

    def changed_between(self, key: Hashable, start: dt.date, end: dt.date) -> bool:
        """Whether a different standard took effect after `start` and by `end`."""
        return any(
            start < day <= end and standard != self.on(key, day - dt.timedelta(days=1))
            for day, standard in self.changes.get(key, ())
        )
