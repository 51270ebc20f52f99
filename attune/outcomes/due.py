"""Which measures are due, for whom, for an episode or a whole caseload: the team's schedule
(schedule.py's rules) applied to the people taking part and what has been recorded. Plain
Python: it takes models or anything shaped like them and touches no database, so the progress
page, the caseload column and the home page all ask it the same question.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from attune.core.formatting import local_day
from attune.families.naming import title_of
from attune.outcomes import instruments
from attune.outcomes import schedule as rules
from attune.outcomes.instruments import Instrument

# What was recorded: measure, time point, carer, infant.
Recorded = tuple[str, str, uuid.UUID | None, uuid.UUID | None]


@dataclass(frozen=True)
class Subject:
    """One person (or a carer and baby together, for a measure of the relationship)."""

    key: str
    name: str
    carer: Any  # a Carer, or None
    infant: Any  # an Infant, or None
    born_on: dt.date | None


def subject_key(about: str, carer_id: uuid.UUID | None, infant_id: uuid.UUID | None) -> str:
    """How an administration is matched to whom it is for: a carer's own measure by the carer
    (whichever baby was named), a baby's by the baby, a relationship's by the two together."""
    if about == "carer":
        return f"carer:{carer_id}"
    if about == "infant":
        return f"infant:{infant_id}"
    return f"carer:{carer_id}|infant:{infant_id}"


def subjects_for(instrument: Instrument, carers: Sequence[Any], infants: Sequence[Any]) -> list[Subject]:
    """Everyone in the episode the measure is for. For a carer's own measure the baby's age that
    counts is the youngest baby's taking part."""
    youngest = max((i.date_of_birth for i in infants if i.date_of_birth), default=None)
    if instrument.about == "carer":
        return [Subject(subject_key("carer", c.pk, None), c.full_name, c, None, youngest) for c in carers]
    if instrument.about == "infant":
        return [Subject(subject_key("infant", None, i.pk), i.display_name, None, i, i.date_of_birth) for i in infants]
    return [
        Subject(subject_key("relationship", c.pk, i.pk), f"{c.full_name} and {i.display_name}", c, i, i.date_of_birth)
        for c in carers
        for i in infants
    ]


def known_instrument(code: str) -> Instrument | None:
    """The measure, or None for a code no longer shipped (a schedule or record kept from before)."""
    try:
        return instruments.get(code)
    except KeyError:
        return None


def scheduled(rows: Iterable[Any]) -> list[rules.Scheduled]:
    """A team's schedule rows (MeasureSchedule) as the rules take them; unknown measures left out."""
    found = []
    for row in rows:
        instrument = known_instrument(row.instrument)
        if instrument is None:
            continue
        found.append(
            rules.Scheduled(
                instrument=row.instrument,
                time_point=row.time_point,
                weeks_after_start=row.weeks_after_start,
                infant_min_months=row.infant_min_months,
                infant_max_months=row.infant_max_months,
                instrument_ages=instrument.infant_age_months,
                postnatal=instrument.postnatal,
            )
        )
    return found


def measure_statuses(
    *,
    opened_on: dt.date,
    discharged_on: dt.date | None,
    today: dt.date,
    schedules: Iterable[Any],
    carers: Sequence[Any],
    infants: Sequence[Any],
    recorded: Iterable[Recorded],
) -> tuple[list[rules.MeasureStatus], dict[str, Subject]]:
    """Every scheduled measure's status for each person, and those people by key."""
    plan = scheduled(schedules)
    people: dict[str, list[rules.Person]] = {}
    subjects: dict[str, Subject] = {}
    for code in {s.instrument for s in plan}:
        instrument = instruments.get(code)
        found = subjects_for(instrument, carers, infants)
        people[code] = [rules.Person(s.key, s.born_on) for s in found]
        subjects.update((s.key, s) for s in found)
    given = []
    for code, time_point, carer_id, infant_id in recorded:
        known = known_instrument(code)
        if known is not None:
            given.append(rules.Recorded(code, time_point, subject_key(known.about, carer_id, infant_id)))
    statuses = rules.statuses(
        opened_on=opened_on,
        discharged_on=discharged_on,
        today=today,
        schedules=plan,
        people=people,
        recorded=given,
    )
    return statuses, subjects


def recorded_of(administrations: Iterable[Any]) -> list[Recorded]:
    """What was recorded (Administrations), as measure_statuses takes it."""
    return [(a.instrument, a.time_point, a.carer_id, a.infant_id) for a in administrations]


def outstanding_count(statuses: Iterable[rules.MeasureStatus]) -> tuple[int, int]:
    """(due, overdue)"""
    found = list(statuses)
    return (
        sum(1 for s in found if s.status == rules.Status.DUE),
        sum(1 for s in found if s.status == rules.Status.OVERDUE),
    )


@dataclass(frozen=True)
class EpisodeDue:
    """An open episode with measures due or overdue, for a caseload or the home page."""

    episode_id: uuid.UUID
    name: str  # the family, by its babies (or its carers before a baby is named)
    due: int
    overdue: int
    instruments: list[str]  # the measures outstanding, each once, by code


@dataclass(frozen=True)
class _Rule:
    """A schedule row with what every episode of the team shares worked out once: its offset
    from the opening day, whom it is for, and whether the baby's age matters."""

    scheduled: rules.Scheduled
    about: str
    after_opening: dt.timedelta
    ages_matter: bool


@dataclass(frozen=True)
class _Plan:
    """A team's schedule as its open episodes use it: the rows that can fall due while an
    episode is open (a discharge measure cannot), and whom each measure and time point is for."""

    rules: list[_Rule]
    about: dict[tuple[str, str], str]


def _plan_of(rows: Iterable[Any]) -> _Plan:
    found = []
    for row in scheduled(rows):
        if row.time_point == rules.DISCHARGE or row.weeks_after_start is None:
            continue
        found.append(
            _Rule(
                scheduled=row,
                about=instruments.get(row.instrument).about,
                after_opening=dt.timedelta(weeks=row.weeks_after_start),
                ages_matter=row.age_range is not None or row.postnatal,
            )
        )
    return _Plan(found, {(rule.scheduled.instrument, rule.scheduled.time_point): rule.about for rule in found})


def _outstanding_in(
    plan: _Plan,
    opened_on: dt.date,
    today: dt.date,
    carers: Sequence[Any],
    infants: Sequence[Any],
    recorded: Iterable[Recorded],
) -> tuple[int, int, list[str]]:
    """(due, overdue, codes) for an open episode: what measure_statuses and rules.outstanding
    say, without a status for every measure and person (most are upcoming, done or unfit)."""
    youngest: dt.date | None = None
    due = overdue = 0
    late: list[tuple[bool, dt.date, str]] = []
    done: set[tuple[str, str, object]] | None = None
    for rule in plan.rules:
        due_on = opened_on + rule.after_opening
        if today < due_on:
            continue
        if done is None:
            # Matched as subject_key matches them: by the carer, the baby, or the two together.
            done = set()
            for code, time_point, carer_id, infant_id in recorded:
                about = plan.about.get((code, time_point))
                if about == "carer":
                    done.add((code, time_point, carer_id))
                elif about == "infant":
                    done.add((code, time_point, infant_id))
                elif about is not None:
                    done.add((code, time_point, (carer_id, infant_id)))
            youngest = max((i.date_of_birth for i in infants if i.date_of_birth), default=None)
        row = rule.scheduled
        people: list[tuple[object, dt.date | None]]
        if rule.about == "carer":
            people = [(c.pk, youngest) for c in carers]
        elif rule.about == "infant":
            people = [(i.pk, i.date_of_birth) for i in infants]
        else:
            people = [((c.pk, i.pk), i.date_of_birth) for c in carers for i in infants]
        is_overdue = today > due_on + rules.WINDOW
        for key, born_on in people:
            if (row.instrument, row.time_point, key) in done:
                continue
            if rule.ages_matter and rules.outside_ages(row, born_on, due_on):
                continue
            if is_overdue:
                overdue += 1
            else:
                due += 1
            late.append((not is_overdue, due_on, row.instrument))
    return due, overdue, list(dict.fromkeys(code for _, _, code in sorted(late)))


def caseload_due(
    episodes: Iterable[Any],
    people: Mapping[uuid.UUID, tuple[list[Any], list[Any]]],
    recorded: Mapping[uuid.UUID, list[Recorded]],
    schedules: Mapping[uuid.UUID, list[Any]],
    today: dt.date,
) -> list[EpisodeDue]:
    """Each open episode (an Episode: pk, team_id, opened_at) with measures due or overdue, most
    overdue first: from outcomes.queries.measures_of, with no further query. The same answer as
    measure_statuses for each episode, with each team's schedule read once."""
    plans: dict[uuid.UUID, _Plan] = {}
    found = []
    for episode in episodes:
        plan = plans.get(episode.team_id)
        if plan is None:
            plan = plans[episode.team_id] = _plan_of(schedules.get(episode.team_id, []))
        if not plan.rules:
            continue
        carers, infants = people.get(episode.pk, ([], []))
        due, overdue, codes = _outstanding_in(
            plan, local_day(episode.opened_at), today, carers, infants, recorded.get(episode.pk, [])
        )
        if due or overdue:
            found.append(EpisodeDue(episode.pk, title_of(infants, carers), due, overdue, codes))
    return sorted(found, key=lambda e: (-e.overdue, -e.due, e.name))
