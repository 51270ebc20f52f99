"""Which of a team's scheduled measures are due for an episode, and for whom. No Django here.

A team schedules a measure at a time point, so many weeks after the episode opened (assessment
at 0, review at 12, ...), or at discharge; a measure about a baby (or fitted to a baby's age, as
the KPCS is) only for infants in an age range, and a postnatal measure (the PBQ) only after the
birth. Given an episode's dates, the schedule, the people each measure is for and what has been
recorded, `statuses` says for each measure and person:

- "upcoming": its date has not come yet;
- "due": from its date, for a two-week window (the due date plus 14 days is the last day due);
- "overdue": past the window and still not recorded;
- "done": recorded at that time point for that person (on whatever day);
- "not applicable": the baby is outside the age range on the due date, not born yet, or the
  episode ended before the measure fell due;
- "at discharge": a discharge measure while the episode is open (never overdue until then).

Once an episode is discharged its discharge measures fall due on the discharge date. A follow-up
measure stays applicable after discharge: following up is what happens after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from attune.core.clocks import age_in_months

WINDOW = timedelta(weeks=2)
DISCHARGE = "discharge"
FOLLOW_UP = "follow_up"


class Status(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    NOT_APPLICABLE = "not applicable"
    AT_DISCHARGE = "at discharge"


# What needs doing now: the statuses a practitioner is asked to act on.
OUTSTANDING = frozenset({Status.DUE, Status.OVERDUE})


@dataclass(frozen=True)
class Scheduled:
    """One row of a team's schedule. `instrument_ages` is the instrument's own infant age range
    (months), when it has one: a measure is only applicable inside both ranges."""

    instrument: str
    time_point: str
    weeks_after_start: int | None  # None for a discharge measure
    infant_min_months: int | None = None
    infant_max_months: int | None = None
    instrument_ages: tuple[int, int] | None = None
    # A measure only given after the birth (the PBQ): not applicable while the baby is unborn.
    postnatal: bool = False

    @property
    def age_range(self) -> tuple[int | None, int | None] | None:
        """(lowest, highest) months, either end open; None when age does not matter."""
        lows = [n for n in (self.infant_min_months, self.instrument_ages and self.instrument_ages[0]) if n is not None]
        highs = [n for n in (self.infant_max_months, self.instrument_ages and self.instrument_ages[1]) if n is not None]
        if not lows and not highs:
            return None
        return (max(lows) if lows else None, min(highs) if highs else None)


@dataclass(frozen=True)
class Person:
    """Whom a measure is for: a carer (for a carer's own measure) or an infant. `born_on` is the
    date of birth of the baby whose age decides whether the measure fits (the infant's own, or
    for a carer the youngest baby taking part); None when not born yet."""

    key: str
    born_on: date | None = None


@dataclass(frozen=True)
class Recorded:
    """An administration already stored: which measure, at which time point, for whom."""

    instrument: str
    time_point: str
    person: str


@dataclass(frozen=True)
class MeasureStatus:
    instrument: str
    time_point: str
    person: str
    status: Status
    due_on: date | None  # None while a discharge measure waits for discharge
    overdue_from: date | None
    reason: str = ""  # why not applicable

    @property
    def outstanding(self) -> bool:
        return self.status in OUTSTANDING


def due_date(scheduled: Scheduled, *, opened_on: date, discharged_on: date | None) -> date | None:
    """The day a measure falls due: so many weeks after opening, or the discharge date."""
    if scheduled.time_point == DISCHARGE or scheduled.weeks_after_start is None:
        return discharged_on
    return opened_on + timedelta(weeks=scheduled.weeks_after_start)


def outside_ages(scheduled: Scheduled, born_on: date | None, on: date) -> str:
    """Why the baby's age rules the measure out on this day ('' when it fits)."""
    ages = scheduled.age_range
    if ages is None and not scheduled.postnatal:
        return ""
    if born_on is None or born_on > on:
        return "The baby is not born yet"
    if ages is None:
        return ""
    months = age_in_months(born_on, on)
    low, high = ages
    if low is not None and months < low:
        return f"The baby will be under {low} months old"
    if high is not None and months > high:
        return f"The baby will be over {high} months old"
    return ""


def status_of(
    scheduled: Scheduled,
    person: Person,
    *,
    opened_on: date,
    discharged_on: date | None,
    today: date,
    done: bool,
) -> MeasureStatus:
    def result(status: Status, due_on: date | None = None, reason: str = "") -> MeasureStatus:
        return MeasureStatus(
            instrument=scheduled.instrument,
            time_point=scheduled.time_point,
            person=person.key,
            status=status,
            due_on=due_on,
            overdue_from=due_on + WINDOW + timedelta(days=1) if due_on else None,
            reason=reason,
        )

    due_on = due_date(scheduled, opened_on=opened_on, discharged_on=discharged_on)
    if done:
        return result(Status.DONE, due_on)
    if due_on is None:
        # Open episode, discharge measure: an infant already too old now will be too old then.
        reason = outside_ages(scheduled, person.born_on, today)
        if reason.startswith("The baby will be over"):
            return result(Status.NOT_APPLICABLE, reason=reason.replace("will be", "is"))
        return result(Status.AT_DISCHARGE)
    if discharged_on is not None and scheduled.time_point not in (DISCHARGE, FOLLOW_UP) and due_on > discharged_on:
        return result(Status.NOT_APPLICABLE, due_on, "The episode ended before it was due")
    reason = outside_ages(scheduled, person.born_on, due_on)
    if reason:
        return result(Status.NOT_APPLICABLE, due_on, reason)
    if today < due_on:
        return result(Status.UPCOMING, due_on)
    if today <= due_on + WINDOW:
        return result(Status.DUE, due_on)
    return result(Status.OVERDUE, due_on)


def statuses(
    *,
    opened_on: date,
    discharged_on: date | None,
    today: date,
    schedules: Iterable[Scheduled],
    people: Mapping[str, Sequence[Person]],
    recorded: Iterable[Recorded],
) -> list[MeasureStatus]:
    """Every scheduled measure's status for each person it is for, in schedule order.

    `people` maps an instrument code to the people that measure is for in this episode (the
    caller knows whether it is about a carer or an infant); a measure for nobody yields nothing.
    """
    given = {(r.instrument, r.time_point, r.person) for r in recorded}
    found: list[MeasureStatus] = []
    for scheduled in schedules:
        for person in people.get(scheduled.instrument, ()):
            found.append(
                status_of(
                    scheduled,
                    person,
                    opened_on=opened_on,
                    discharged_on=discharged_on,
                    today=today,
                    done=(scheduled.instrument, scheduled.time_point, person.key) in given,
                )
            )
    return found


def outstanding(found: Iterable[MeasureStatus]) -> list[MeasureStatus]:
    """Those due or overdue, overdue first and then the earliest due."""
    return sorted(
        (s for s in found if s.outstanding),
        key=lambda s: (s.status != Status.OVERDUE, s.due_on or date.max, s.instrument, s.person),
    )
