"""The caseload's measures due (due.caseload_due) count straight from each team's schedule
rather than building every measure's status; property tests (hypothesis) check it gives the
same families, counts and measures as measure_statuses and rules.outstanding over generated
schedules, families and records. Pure Python: no database."""

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from attune.families.models import Carer, Infant
from attune.families.naming import title_of
from attune.outcomes import due
from attune.outcomes import schedule as rules
from attune.outcomes.instruments import all_instruments
from attune.outcomes.queries import CarerTakingPart, InfantTakingPart

# Every shipped measure, and one no longer shipped (a schedule row kept from before).
CODES = [*sorted(i.code for i in all_instruments()), "RETIRED"]
TIME_POINTS = ["assessment", "review", "discharge", "follow_up"]
TODAY = dt.date(2026, 12, 7)
PROPERTY = settings(max_examples=200, deadline=None)


def by_measure_statuses(
    episodes: list[Any],
    people: dict[uuid.UUID, tuple[list[Any], list[Any]]],
    recorded: dict[uuid.UUID, list[due.Recorded]],
    schedules: dict[uuid.UUID, list[Any]],
    today: dt.date,
) -> list[tuple[uuid.UUID, str, int, int, list[str]]]:
    """The answer as the progress page works it out: every status, then the outstanding ones."""
    found = []
    for episode in episodes:
        carers, infants = people.get(episode.pk, ([], []))
        statuses, _ = due.measure_statuses(
            opened_on=due.local_day(episode.opened_at),
            discharged_on=None,
            today=today,
            schedules=schedules.get(episode.team_id, []),
            carers=carers,
            infants=infants,
            recorded=recorded.get(episode.pk, []),
        )
        n_due, n_overdue = due.outstanding_count(statuses)
        if n_due or n_overdue:
            codes = list(dict.fromkeys(s.instrument for s in rules.outstanding(statuses)))
            found.append((episode.pk, title_of(infants, carers), n_due, n_overdue, codes))
    return sorted(found, key=lambda e: (-e[3], -e[2], e[1]))


days_ago = st.integers(min_value=-30, max_value=200)
schedule_rows = st.builds(
    SimpleNamespace,
    instrument=st.sampled_from(CODES),
    time_point=st.sampled_from(TIME_POINTS),
    weeks_after_start=st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    infant_min_months=st.one_of(st.none(), st.integers(min_value=0, max_value=24)),
    infant_max_months=st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
# As the caseload query built them before it read people into CarerTakingPart and InfantTakingPart.
carers = st.builds(
    lambda name: Carer(pk=uuid.uuid4(), given_name=name, family_name="Hughes"), st.sampled_from(["", "Jade", "Sam"])
)
infants = st.builds(
    lambda name, born: Infant(
        pk=uuid.uuid4(),
        given_name=name,
        family_name="Hughes",
        date_of_birth=None if born is None else TODAY - dt.timedelta(days=born),
    ),
    st.sampled_from(["", "Ava", "Bea"]),
    st.one_of(st.none(), st.integers(min_value=-60, max_value=6 * 365)),
)


@st.composite
def caseloads(draw: st.DrawFn) -> tuple[list[Any], Any, Any, Any]:
    teams = [uuid.uuid4() for _ in range(draw(st.integers(min_value=1, max_value=2)))]
    schedules = {team: draw(st.lists(schedule_rows, max_size=8)) for team in teams}
    episodes, people, recorded = [], {}, {}
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        opened_at = dt.datetime.combine(TODAY, dt.time(draw(st.integers(0, 23))), tzinfo=dt.UTC)
        episode = SimpleNamespace(
            pk=uuid.uuid4(),
            team_id=draw(st.sampled_from(teams)),
            opened_at=opened_at - dt.timedelta(days=draw(days_ago)),
        )
        its_carers, its_infants = draw(st.lists(carers, max_size=2)), draw(st.lists(infants, max_size=3))
        carer_ids = [None, *(c.pk for c in its_carers)]
        infant_ids = [None, *(i.pk for i in its_infants)]
        episodes.append(episode)
        people[episode.pk] = (its_carers, its_infants)
        # Mostly what the schedule asks for, so that some of it is done.
        asked = [(row.instrument, row.time_point) for row in schedules[episode.team_id]]
        measures = st.sampled_from(asked) if asked else st.tuples(st.sampled_from(CODES), st.sampled_from(TIME_POINTS))
        recorded[episode.pk] = draw(
            st.lists(
                st.tuples(
                    measures,
                    st.sampled_from(carer_ids),
                    st.sampled_from(infant_ids),
                ),
                max_size=10,
            ).map(lambda found: [(code, time_point, carer, infant) for (code, time_point), carer, infant in found])
        )
    return episodes, people, recorded, schedules


@PROPERTY
@given(caseloads(), st.integers(min_value=-30, max_value=60))
def test_caseload_due_agrees_with_every_measures_status(caseload: tuple[Any, Any, Any, Any], later: int) -> None:
    episodes, people, recorded, schedules = caseload
    today = TODAY + dt.timedelta(days=later)
    taking_part = {
        pk: (
            [CarerTakingPart(c.pk, c.given_name, c.family_name) for c in its_carers],
            [InfantTakingPart(i.pk, i.given_name, i.family_name, i.date_of_birth) for i in its_infants],
        )
        for pk, (its_carers, its_infants) in people.items()
    }
    fast = due.caseload_due(episodes, taking_part, recorded, schedules, today)
    assert [(f.episode_id, f.name, f.due, f.overdue, f.instruments) for f in fast] == by_measure_statuses(
        episodes, people, recorded, schedules, today
    )


def test_a_carer_taking_part_is_named_as_a_carer_is() -> None:
    assert CarerTakingPart(uuid.uuid4(), "Jade", "").full_name == "Jade"
    baby = InfantTakingPart(uuid.uuid4(), "Ava", "Hughes", dt.date(2026, 5, 1))
    assert title_of([baby], [CarerTakingPart(uuid.uuid4(), "Jade", "Hughes")]) == "Family of Ava Hughes"


def test_a_measure_is_due_for_two_weeks_then_overdue() -> None:
    team = uuid.uuid4()
    schedules = {
        team: [
            SimpleNamespace(
                instrument="EPDS",
                time_point="assessment",
                weeks_after_start=0,
                infant_min_months=None,
                infant_max_months=None,
            )
        ]
    }
    mum = CarerTakingPart(uuid.uuid4(), "Jade", "Hughes")
    opened = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    episodes = [
        SimpleNamespace(pk=uuid.uuid4(), team_id=team, opened_at=opened - dt.timedelta(days=days)) for days in (14, 15)
    ]
    people = {e.pk: ([mum], []) for e in episodes}

    found = due.caseload_due(episodes, people, {}, schedules, TODAY)

    assert [(f.episode_id, f.due, f.overdue) for f in found] == [(episodes[1].pk, 0, 1), (episodes[0].pk, 1, 0)]
