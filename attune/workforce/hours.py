"""Supervised clinical hours, derived from what is already recorded: attended contacts from the
diary and supervision sessions attended. Nothing is typed in twice. Pure: no database here —
workforce.scope feeds it rows."""

import calendar
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# ATTENDED OR DID NOT ATTEND national codes that mean the contact happened (care.codes.ATTENDED).
ATTENDED_CODES = frozenset({"5", "6"})
RECENT_MONTHS = 3


@dataclass(frozen=True)
class ContactRow:
    """One appointment: who held it (lead and any second practitioner), when, and attendance."""

    practitioner_ids: frozenset[uuid.UUID]
    starts_at: dt.datetime
    ends_at: dt.datetime
    attendance: str


@dataclass(frozen=True)
class SupervisionRow:
    """One supervisee's attendance at a supervision session."""

    attendee_id: uuid.UUID
    held_on: dt.date
    duration_minutes: int


@dataclass(frozen=True)
class MonthHours:
    month: dt.date  # the first of the month
    clinical_minutes: int
    supervision_minutes: int

    @property
    def clinical(self) -> Decimal:
        return as_hours(self.clinical_minutes)

    @property
    def supervision(self) -> Decimal:
        return as_hours(self.supervision_minutes)


@dataclass(frozen=True)
class HoursSummary:
    clinical_minutes: int
    supervision_minutes: int
    recent_clinical_minutes: int
    recent_supervision_minutes: int
    recent_since: dt.date
    by_month: tuple[MonthHours, ...]

    @property
    def clinical(self) -> Decimal:
        return as_hours(self.clinical_minutes)

    @property
    def supervision(self) -> Decimal:
        return as_hours(self.supervision_minutes)

    @property
    def recent_clinical(self) -> Decimal:
        return as_hours(self.recent_clinical_minutes)

    @property
    def recent_supervision(self) -> Decimal:
        return as_hours(self.recent_supervision_minutes)


def as_hours(minutes: int) -> Decimal:
    """Minutes as hours to one decimal place (90 -> 1.5)."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, or the month's last day when it is shorter
    (31 May less 3 months is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _minutes(contact: ContactRow) -> int:
    return max(0, int((contact.ends_at - contact.starts_at).total_seconds() // 60))


def derive(
    person_id: uuid.UUID,
    contacts: Iterable[ContactRow],
    supervision: Iterable[SupervisionRow],
    *,
    today: dt.date,
    since: dt.date | None = None,
) -> HoursSummary:
    """The person's clinical hours (contacts they held, lead or second practitioner, that the
    family attended: codes 5 and 6) and supervision hours (sessions they attended), in total,
    in the last 3 months (after the same day 3 months ago, up to today) and by month, oldest
    first. Nothing after today counts; nothing before `since` (the start of training) either."""
    recent_since = months_before(today, RECENT_MONTHS)
    clinical: dict[dt.date, int] = {}
    supervised: dict[dt.date, int] = {}
    recent_clinical = recent_supervision = 0

    def counts(day: dt.date) -> bool:
        return day <= today and (since is None or day >= since)

    for contact in contacts:
        if person_id not in contact.practitioner_ids or contact.attendance not in ATTENDED_CODES:
            continue
        day = contact.starts_at.astimezone(LONDON).date()
        if not counts(day):
            continue
        minutes = _minutes(contact)
        month = day.replace(day=1)
        clinical[month] = clinical.get(month, 0) + minutes
        if day > recent_since:
            recent_clinical += minutes
    for row in supervision:
        if row.attendee_id != person_id or not counts(row.held_on):
            continue
        month = row.held_on.replace(day=1)
        supervised[month] = supervised.get(month, 0) + row.duration_minutes
        if row.held_on > recent_since:
            recent_supervision += row.duration_minutes
    months = sorted(set(clinical) | set(supervised))
    return HoursSummary(
        clinical_minutes=sum(clinical.values()),
        supervision_minutes=sum(supervised.values()),
        recent_clinical_minutes=recent_clinical,
        recent_supervision_minutes=recent_supervision,
        recent_since=recent_since,
        by_month=tuple(MonthHours(m, clinical.get(m, 0), supervised.get(m, 0)) for m in months),
    )
