"""Which measures are due, worked out without the database: whom each measure is for, and a
caseload's families with measures due or overdue."""

import datetime as dt
import uuid
from types import SimpleNamespace

from attune.families.models import Carer, Infant
from attune.families.naming import title_of
from attune.outcomes import due, instruments

KPCS, PBQ = instruments.get("KPCS"), instruments.get("PBQ")


def test_subjects_follow_whom_the_measure_is_about() -> None:
    mum = Carer(pk=uuid.uuid4(), given_name="Jade", family_name="Hughes")
    ava = Infant(pk=uuid.uuid4(), given_name="Ava", family_name="Hughes", date_of_birth=dt.date(2026, 5, 1))
    bea = Infant(pk=uuid.uuid4(), given_name="Bea", family_name="Hughes", date_of_birth=dt.date(2024, 5, 1))
    carer_side = due.subjects_for(KPCS, [mum], [ava, bea])
    assert [(s.name, s.born_on) for s in carer_side] == [("Jade Hughes", dt.date(2026, 5, 1))]
    baby_side = due.subjects_for(instruments.get("ADBB"), [mum], [ava, bea])
    assert [s.name for s in baby_side] == ["Ava Hughes", "Bea Hughes"]
    pairs = due.subjects_for(PBQ, [mum], [ava])
    assert [(s.key, s.name) for s in pairs] == [(f"carer:{mum.pk}|infant:{ava.pk}", "Jade Hughes and Ava Hughes")]


def test_a_family_is_named_by_its_babies_or_else_its_carer() -> None:
    assert title_of([], [Carer(given_name="Jade", family_name="Hughes")]) == "Family of Jade Hughes"
    assert title_of([Infant(given_name="Ava", family_name="Hughes")], []) == "Family of Ava Hughes"
    assert title_of([], []) == "Family record"


def _row(code: str, time_point: str, weeks: int | None, **ages: int) -> SimpleNamespace:
    """A schedule row as a team sets it (MeasureSchedule's fields)."""
    return SimpleNamespace(
        instrument=code,
        time_point=time_point,
        weeks_after_start=weeks,
        infant_min_months=ages.get("min"),
        infant_max_months=ages.get("max"),
    )


def test_a_caseload_lists_families_with_measures_outstanding_most_overdue_first() -> None:
    today = dt.date(2026, 12, 7)
    team = uuid.uuid4()
    schedule = {
        team: [_row("EPDS", "assessment", 0), _row("PHQ9", "review", 12), _row("ADBB", "assessment", 0, min=2, max=24)]
    }
    mum, baby = (
        Carer(pk=uuid.uuid4(), given_name="Jade"),
        Infant(pk=uuid.uuid4(), given_name="Ava", date_of_birth=dt.date(2026, 6, 1)),
    )
    opened_long_ago = SimpleNamespace(
        pk=uuid.uuid4(), team_id=team, opened_at=dt.datetime(2026, 8, 31, 10, tzinfo=dt.UTC)
    )
    opened_today = SimpleNamespace(pk=uuid.uuid4(), team_id=team, opened_at=dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC))
    all_done = SimpleNamespace(pk=uuid.uuid4(), team_id=team, opened_at=dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC))
    people = {e.pk: ([mum], [baby]) for e in (opened_long_ago, opened_today, all_done)}
    recorded = {
        opened_long_ago.pk: [("EPDS", "assessment", mum.pk, None)],
        opened_today.pk: [("EPDS", "assessment", mum.pk, None)],
        all_done.pk: [("EPDS", "assessment", mum.pk, None), ("ADBB", "assessment", None, baby.pk)],
    }

    found = due.caseload_due([opened_today, all_done, opened_long_ago], people, recorded, schedule, today)

    assert [(f.episode_id, f.name, f.due, f.overdue, f.instruments) for f in found] == [
        (opened_long_ago.pk, "Family of Ava", 1, 1, ["ADBB", "PHQ9"]),  # ADBB late, the review due
        (opened_today.pk, "Family of Ava", 1, 0, ["ADBB"]),
    ]


def test_a_postnatal_measure_is_not_due_for_a_baby_not_born_yet() -> None:
    assert PBQ.postnatal
    assert not instruments.get("EPDS").postnatal
    today = dt.date(2026, 12, 7)
    team = uuid.uuid4()
    schedule = {team: [_row("PBQ", "assessment", 0), _row("EPDS", "assessment", 0)]}
    mum = Carer(pk=uuid.uuid4(), given_name="Jade", family_name="Ashworth")
    unborn = Infant(pk=uuid.uuid4(), family_name="Ashworth", expected_due_date=dt.date(2027, 2, 14))
    episode = SimpleNamespace(pk=uuid.uuid4(), team_id=team, opened_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC))

    found = due.caseload_due([episode], {episode.pk: ([mum], [unborn])}, {}, schedule, today)
    assert [f.instruments for f in found] == [["EPDS"]]  # the EPDS is used in pregnancy; the PBQ is not
    statuses, _ = due.measure_statuses(
        opened_on=dt.date(2026, 12, 1),
        discharged_on=None,
        today=today,
        schedules=schedule[team],
        carers=[mum],
        infants=[unborn],
        recorded=[],
    )
    pbq = next(s for s in statuses if s.instrument == "PBQ")
    assert (pbq.status, pbq.reason) == ("not applicable", "The baby is not born yet")

    # Once born, the PBQ is due like any other measure.
    born = Infant(pk=unborn.pk, family_name="Ashworth", date_of_birth=dt.date(2026, 11, 20))
    found = due.caseload_due([episode], {episode.pk: ([mum], [born])}, {}, schedule, today)
    assert [sorted(f.instruments) for f in found] == [["EPDS", "PBQ"]]
