"""The whole report: its sections in order, the counts handed to the cost table, and a fixed
number of queries whatever the size of the data."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from attune.accounts.models import User
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_progress import stored
from attune.referrals.workflow import Status
from attune.reports.indicators import build_report
from attune.reports.stats import percentile
from attune.reports.tests.factories import END, START, TODAY, at, contact, discharge, episode, exact, referral, scope
from attune.workforce.models import NonCaseloadActivity

pytestmark = pytest.mark.django_db
SECTIONS = [
    "referrals",
    "caseload",
    "contacts",
    "episodes",
    "outcomes",
    "risk",
    "supervision",
    "training",
    "equity",
    "costs",
]
# 22 for the indicators (referrals 5 with the triage pauses' status history, caseload 3, contacts 1,
# episodes 1, outcomes 3: the episodes, the paired scores and the attended contacts of episodes
# with a case, risk 1, supervision 3, training 1, equity 4: the referrals, main carers, youngest
# babies and postcodes' deciles, each once for all) and what the cost table needs without a funder.
QUERIES = 23


def busy_family(world: World, practitioner: User, n: int) -> None:
    day = START + dt.timedelta(days=n % 80)
    referral(world.hub, at(day), history=((Status.ACCEPTED, at(day + dt.timedelta(days=1))),))
    found = episode(world.hub, practitioner, at(day - dt.timedelta(days=20)))
    mum = found.family.carers.get()
    for week in range(3):
        contact(found, at(day + dt.timedelta(days=7 * week)), "5" if week != 1 else "3")
    stored(found, "EPDS", 18, completed_on=day - dt.timedelta(days=19), carer=mum)
    stored(found, "EPDS", 9, completed_on=day + dt.timedelta(days=2), carer=mum)
    FamilyAlert.objects.create(
        family=found.family, message="EPDS item 10", about_type="x", about_id=str(n), created_at=at(day)
    )
    if n % 2:
        discharge(found, at(day + dt.timedelta(days=5)))
    NonCaseloadActivity.objects.create(
        team=world.hub,
        kind="training",
        held_on=day,
        audience="Health visitors",
        attendees=4,
        topic="Cues",
        hours=Decimal("1.5"),
        recorded_by=practitioner,
    )


def test_sections_in_order_and_counts_for_the_cost_table(world: World, practitioner: User) -> None:
    busy_family(world, practitioner, 1)
    report = build_report(scope(world.hub), today=TODAY)
    assert [s.key for s in report.sections] == SECTIONS
    keys = [t.key for s in report.sections for t in s.tables]
    assert len(keys) == len(set(keys))
    costs = report.sections[-1].tables[0]
    numbers = {r.label: r.values["number"] for r in costs.rows}
    # One referral received in the period (the episode's own referral was received 30 days before
    # allocation, before the period); one family seen; two attended contacts; one completed episode.
    assert numbers == {
        "Per referral received": 1,
        "Per family seen": 1,
        "Per attended contact": 2,
        "Per completed episode": 1,
    }


@pytest.mark.parametrize("families", [1, 12])
def test_a_fixed_number_of_queries_whatever_the_size(
    world: World, practitioner: User, families: int, django_assert_max_num_queries: Callable
) -> None:
    for n in range(families):
        busy_family(world, practitioner, n)
    with django_assert_max_num_queries(QUERIES):
        report = build_report(scope(world.hub, world.satellite), today=TODAY)
    referrals = report.sections[0].tables[0]
    assert referrals.total is not None
    assert referrals.total.values["referrals"] == families


def test_percentile_by_interpolation() -> None:
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 11)), 90) == pytest.approx(9.1)


def test_a_period_still_running_is_counted_to_today(world: World, practitioner: User) -> None:
    busy_family(world, practitioner, 1)
    # Today falls inside the period: nothing after today is counted, costs included.
    report = build_report(scope(world.hub, end=END + dt.timedelta(days=90)), today=END)
    assert report.scope.end == END
    assert "This period has not ended: the figures run to 31 December 2025." in exact(report.notes)
    finished = build_report(scope(world.hub), today=TODAY)
    assert finished.scope.end == END
    assert not [note for note in exact(finished.notes) if "has not ended" in note]
