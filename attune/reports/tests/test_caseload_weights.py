"""The caseload indicator weighs each episode at the intervention weights in force on the report's
as-at day in the episode's team's service (issue 15): a weight changed today leaves last quarter's
figure as it was, and the section's queries do not grow with the weights or the episodes."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine

from attune.accounts.models import User
from attune.care import services
from attune.care.models import InterventionWeight
from attune.care.tests.factories import intervention
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World
from attune.reports.indicators import caseload
from attune.reports.indicators.common import Context
from attune.reports.tables import ReportScope, Table
from attune.reports.tests.factories import END, START, TODAY, at, episode, row, scope

pytestmark = pytest.mark.django_db
PIP = "parent-infant-psychotherapy"
VIG = "video-interaction-guidance"


def _caseload(covered: ReportScope, today: dt.date = TODAY) -> Table:
    found, _notes = caseload.section(Context(scope=covered, today=today))
    [table] = found.tables
    return table


def _weighted(world: World, covered: ReportScope, today: dt.date = TODAY) -> Decimal:
    return Decimal(row(_caseload(covered, today), "Example hub team")["weighted"])


def test_last_quarters_caseload_is_unchanged_by_a_weight_set_today(
    world: World, practitioner: User, team_lead: User
) -> None:
    episode(world.hub, practitioner, at(dt.date(2025, 9, 1)), codes=(VIG,))
    episode(world.hub, practitioner, at(dt.date(2025, 11, 1)), codes=(PIP, VIG))
    last_quarter = scope(world.hub)
    before = _weighted(world, last_quarter)
    assert before == Decimal("1.75")
    with time_machine.travel(at(TODAY, 9), tick=False):
        services.change_intervention_weights(
            actor=acting(team_lead),
            service=world.hub.service,
            weights={intervention(VIG): Decimal("2"), intervention(PIP): Decimal("3")},
            effective_from=TODAY,
        )
    assert _weighted(world, last_quarter) == before
    # A period whose as-at day is today uses today's weights.
    this_quarter = scope(world.hub, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert _weighted(world, this_quarter) == Decimal("5.00")


def test_the_report_reads_the_weight_in_force_on_its_as_at_day(world: World, practitioner: User) -> None:
    episode(world.hub, practitioner, at(dt.date(2025, 9, 1)), codes=(VIG,))
    for day, weight in ((START, "1.5"), (END, "2.25"), (END + dt.timedelta(days=1), "4")):
        InterventionWeight.objects.create(
            service=world.hub.service, intervention=intervention(VIG), weight=Decimal(weight), effective_from=day
        )
    assert _weighted(world, scope(world.hub)) == Decimal("2.25")
    # Ended before the first change: the starting weight.
    assert _weighted(world, scope(world.hub, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30))) == Decimal("0.75")


def test_each_episode_is_weighed_in_its_own_teams_service(world: World, practitioner: User) -> None:
    episode(world.hub, practitioner, at(dt.date(2025, 9, 1)), codes=(VIG,))
    episode(world.other_team, practitioner, at(dt.date(2025, 9, 1)), codes=(VIG,))
    InterventionWeight.objects.create(
        service=world.other_team.service, intervention=intervention(VIG), weight=Decimal("3"), effective_from=START
    )
    found = _caseload(scope(world.hub, world.other_team))
    assert Decimal(row(found, "Example hub team")["weighted"]) == Decimal("0.75")
    assert Decimal(row(found, "Elsewhere team")["weighted"]) == Decimal("3.00")


@pytest.mark.parametrize("families", [1, 15])
def test_the_caseload_section_costs_the_same_queries_with_weights_set(
    world: World, practitioner: User, families: int, django_assert_num_queries: Callable
) -> None:
    for n in range(families):
        episode(world.hub, practitioner, at(dt.date(2025, 9, 1) + dt.timedelta(days=n)), codes=(PIP, VIG))
        InterventionWeight.objects.create(
            service=world.hub.service,
            intervention=intervention(VIG if n % 2 else PIP),
            weight=Decimal("1.25"),
            effective_from=START + dt.timedelta(days=n),
        )
    # As before weights were dated: the episodes with their weights, capacity, the team names.
    with django_assert_num_queries(3):
        table = _caseload(scope(world.hub, world.satellite))
    assert row(table, "Example hub team")["open"] == families
