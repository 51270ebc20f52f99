"""Test data for change over time: measures with a given total, and a team's schedule.

`record` stores a measure the one way the service does (outcomes.services.record_administration,
which scores it and raises its alerts); `stored` writes the row directly, scored by the engine,
for tests that need hundreds of rows quickly and no side effects."""

import datetime as dt
from decimal import Decimal

from attune.care.models import Episode
from attune.families.models import Carer, Infant
from attune.organisations.models import Team
from attune.outcomes import instruments, scoring
from attune.outcomes.models import Administration, MeasureSchedule, Source, TimePoint
from attune.outcomes.services import record_administration


def answers_for(code: str, total: int) -> list[int | None]:
    """Answers (printed positions, or ratings) that score exactly `total`: the earliest items
    filled first, so a risk item late in the form (EPDS 10, PHQ-9 9) stays at its lowest."""
    instrument = instruments.get(code)
    left = total - sum(item.lowest_score for item in instrument.items)
    if left < 0 or total > instrument.maximum:
        raise ValueError(f"{code} cannot total {total}")
    answers: list[int | None] = []
    for item in instrument.items:
        score = item.lowest_score + min(left, item.highest_score - item.lowest_score)
        left -= score - item.lowest_score
        answers.append(score if item.numeric else item.position_for(score))
    assert scoring.score(code, answers).total == total
    return answers


def record(
    episode: Episode,
    code: str,
    total: int,
    *,
    completed_on: dt.date,
    time_point: str = TimePoint.ASSESSMENT,
    carer: Carer | None = None,
    infant: Infant | None = None,
) -> Administration:
    return record_administration(
        actor=None,
        episode=episode,
        instrument=code,
        answers=answers_for(code, total),
        time_point=time_point,
        completed_on=completed_on,
        source=Source.STAFF,
        carer=carer,
        infant=infant,
    )


def stored(
    episode: Episode,
    code: str,
    total: int,
    *,
    completed_on: dt.date,
    time_point: str = TimePoint.ASSESSMENT,
    carer: Carer | None = None,
    infant: Infant | None = None,
) -> Administration:
    answers = answers_for(code, total)
    result = scoring.score(code, answers)
    made: Administration = Administration.objects.create(
        episode=episode,
        instrument=code,
        carer=carer,
        infant=infant,
        time_point=time_point,
        completed_on=completed_on,
        source=Source.STAFF,
        answers=answers,
        total=None if result.total is None else Decimal(str(result.total)),
        subscales=dict(result.subscales),
        band=result.band or "",
        alerts=list(result.alerts),
        complete=result.complete,
        above_cutoff=result.above_cutoff,
    )
    return made


def schedule(
    team: Team,
    code: str,
    time_point: str,
    weeks: int | None,
    *,
    infant_min_months: int | None = None,
    infant_max_months: int | None = None,
    active: bool = True,
) -> MeasureSchedule:
    made: MeasureSchedule = MeasureSchedule.objects.create(
        team=team,
        instrument=code,
        time_point=time_point,
        weeks_after_start=weeks,
        infant_min_months=infant_min_months,
        infant_max_months=infant_max_months,
        active=active,
    )
    return made
