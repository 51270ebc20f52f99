"""Caseload and capacity, contacts and the did-not-attend rate, episodes completed: known answers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from attune.accounts.models import User
from attune.care.models import EpisodeWorker
from attune.care.tests.factories import CapacityFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, SiteFactory
from attune.organisations.tests.world import World
from attune.referrals.models import EligibilityRules
from attune.reports.tests.factories import (
    END,
    START,
    at,
    column,
    contact,
    discharge,
    episode,
    exact,
    row,
    scope,
    sections,
    table,
    total,
)

pytestmark = pytest.mark.django_db


def test_caseload_as_at_the_end_of_the_period(world: World, practitioner: User) -> None:
    colleague = MembershipFactory(team=world.hub, role=Role.PRACTITIONER, starts_on=dt.date(2024, 1, 1)).user
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=Decimal("10.00"))
    CapacityFactory(team=world.hub, practitioner=colleague, max_weighted_caseload=Decimal("6.50"))
    left = MembershipFactory(
        team=world.hub, role=Role.PRACTITIONER, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2025, 11, 30)
    ).user
    CapacityFactory(team=world.hub, practitioner=left, max_weighted_caseload=Decimal("9.00"))  # not a member then
    # Open at the end, with a co-worker: its weight counts for each of them.
    heavy = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    EpisodeWorker.objects.create(episode=heavy, practitioner=colleague, role="co_worker", started_at=at(START))
    weight = heavy.interventions.get().caseload_weight
    # Open at the end with one worker.
    episode(world.hub, practitioner, at(dt.date(2025, 12, 1)), codes=())
    # Discharged in the period: not open at the end.
    discharge(episode(world.hub, practitioner, at(dt.date(2025, 8, 1))), at(dt.date(2025, 12, 1)))
    # Discharged after the end: still open at the end.
    discharge(episode(world.hub, practitioner, at(dt.date(2025, 8, 1)), codes=()), at(dt.date(2026, 1, 5)))
    # Opened after the end.
    episode(world.hub, practitioner, at(dt.date(2026, 1, 2)))
    # Another team's.
    episode(world.satellite, practitioner, at(dt.date(2025, 9, 1)))

    found = table(scope(world.hub), "caseload")

    assert row(found, "Example hub team") == {
        "open": 3,
        "weighted": weight * 2 + Decimal("1.00") + Decimal("1.00"),
        "capacity": Decimal("16.50"),
    }
    assert total(found)["open"] == 3


def test_capacity_counts_a_person_without_their_own_maximum_at_the_team_default_of_the_day(
    world: World, practitioner: User
) -> None:
    colleague = MembershipFactory(team=world.hub, role=Role.PRACTITIONER, starts_on=dt.date(2024, 1, 1)).user
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=Decimal("10.00"))
    CapacityFactory(team=world.hub, practitioner=colleague, max_weighted_caseload=None)
    # The team's default was 8 at the end of the period, and 11 from a later day.
    EligibilityRules.objects.create(
        team=world.hub, effective_from=dt.date(2024, 1, 1), default_max_weighted_caseload=Decimal("8.00")
    )
    EligibilityRules.objects.create(
        team=world.hub, effective_from=dt.date(2026, 2, 1), default_max_weighted_caseload=Decimal("11.00")
    )

    found = table(scope(world.hub), "caseload")

    assert row(found, "Example hub team")["capacity"] == Decimal("18.00")


def test_caseload_as_at_today_when_the_period_has_not_ended(world: World, practitioner: User) -> None:
    discharge(episode(world.hub, practitioner, at(dt.date(2025, 8, 1))), at(dt.date(2025, 11, 1)))
    episode(world.hub, practitioner, at(dt.date(2025, 10, 2)))
    found = table(scope(world.hub), "caseload", today=dt.date(2025, 10, 15))
    assert row(found, "Example hub team")["open"] == 2


@pytest.mark.parametrize(("includes_late", "missed"), [(False, 2), (True, 3)])
def test_contacts_and_the_did_not_attend_rate(
    world: World, practitioner: User, includes_late: bool, missed: int
) -> None:
    one = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    two = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    for when, code in [
        (at(START, 0, 15), "5"),
        (at(dt.date(2025, 10, 8)), "6"),
        (at(dt.date(2025, 10, 9)), "3"),
        (at(dt.date(2025, 10, 10)), "3"),
        (at(dt.date(2025, 10, 11)), "7"),
        (at(dt.date(2025, 10, 12)), "2"),
        (at(dt.date(2025, 10, 13)), "4"),
        (at(dt.date(2025, 10, 14)), ""),
        (at(END, 23, 30), "5"),
        (at(START - dt.timedelta(days=1), 23), "5"),  # before the period
    ]:
        contact(one, when, code)
    contact(two, at(dt.date(2025, 11, 3)), "5")
    contact(two, at(dt.date(2025, 11, 4)), "3")
    other = episode(world.satellite, practitioner, at(dt.date(2025, 9, 1)))
    contact(other, at(dt.date(2025, 11, 3)), "3")

    with override_settings(ATTUNE_DNA_INCLUDES_LATE=includes_late):
        found, notes, context = sections(scope(world.hub))
    contacts, rate, seen, _interpreted = found["contacts"].tables

    assert column(contacts, "contacts") == {
        "Attended": 4,
        "Did not attend (no warning given)": 3,
        "Arrived late and could not be seen": 1,
        "Cancelled by the family": 1,
        "Cancelled or postponed by the service": 1,
        "Attendance not recorded": 1,
    }
    assert total(contacts) == {"contacts": 11}
    assert rate.rows[0].values == {"missed": missed + 1, "offered": 4 + missed + 1}
    assert ("does not count" in exact(rate.notes)[0]) is not includes_late
    assert seen.rows[0].values == {"families": 2, "attended": 4}
    assert context.counts["families_seen"] == 2
    assert context.counts["attended_contacts"] == 4
    assert "No attendance is recorded for 1 past appointment in the period." in notes


def test_contacts_narrowed_to_a_site(world: World, practitioner: User) -> None:
    site = SiteFactory(team=world.hub)
    contact(episode(world.hub, practitioner, at(dt.date(2025, 9, 1)), preferred_site=site), at(START, 12))
    contact(episode(world.hub, practitioner, at(dt.date(2025, 9, 1))), at(START, 12))
    found, _notes, _context = sections(scope(world.hub, site_id=site.pk))
    assert found["contacts"].tables[2].rows[0].values == {"families": 1, "attended": 1}


def test_episodes_completed_and_their_length(world: World, practitioner: User) -> None:
    first = episode(world.hub, practitioner, at(dt.date(2025, 7, 1)))
    for day in (dt.date(2025, 7, 2), dt.date(2025, 7, 9), dt.date(2025, 7, 16)):
        contact(first, at(day))
    contact(first, at(dt.date(2025, 7, 23)), "3")
    discharge(first, at(dt.date(2025, 10, 7)), "completed")  # 14 weeks, 3 attended
    second = episode(world.hub, practitioner, at(dt.date(2025, 9, 2)))
    contact(second, at(dt.date(2025, 9, 3)))
    discharge(second, at(dt.date(2025, 12, 30), 20), "disengaged")  # 17 weeks, 1 attended
    # Discharged before the period; discharged after it; another team's.
    discharge(episode(world.hub, practitioner, at(dt.date(2025, 7, 1))), at(START - dt.timedelta(days=1)))
    discharge(episode(world.hub, practitioner, at(dt.date(2025, 7, 1))), at(END + dt.timedelta(days=1)))
    discharge(episode(world.satellite, practitioner, at(dt.date(2025, 7, 1))), at(START, 12))
    # Discharged in the period but reopened in it: not completed.
    reopened = discharge(episode(world.hub, practitioner, at(dt.date(2025, 7, 1))), at(START, 12))
    reopened.reopened_at = at(dt.date(2025, 10, 20))
    reopened.save()

    found, _notes, context = sections(scope(world.hub))
    completed, length = found["episodes"].tables

    assert column(completed, "episodes") == {
        "Work completed": 1,
        "Family disengaged": 1,
        "Moved away": 0,
        "Transferred to another service": 0,
        "Another service is more suitable": 0,
    }
    assert total(completed) == {"episodes": 2}
    assert context.counts["completed_episodes"] == 2
    assert row(length, "Work completed") == {"episodes": 1, "weeks": 14.0, "contacts": 3}
    assert total(length)["weeks"] == 15.5
    assert total(length)["contacts"] == 2
