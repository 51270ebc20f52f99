"""Whose reports a person may read: team leads their teams (and their hub's satellites),
commissioners what their organisation commissions or funds, nobody else anything."""

import datetime as dt

import pytest
from django.test import RequestFactory

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.commissioning import entitlements
from attune.commissioning.tests.factories import agreement
from attune.organisations.models import OrganisationKind
from attune.organisations.roles import Role
from attune.organisations.scope import Scope
from attune.organisations.tests.factories import MembershipFactory, OrganisationFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db


def _scope(user: User) -> Scope:
    request = RequestFactory().get("/reports")
    request.user = user
    return Scope.for_request(request)


def _council_commissioner(world: World) -> User:
    person = UserFactory(full_name="Carys Council")
    MembershipFactory(user=person, role=Role.COMMISSIONER, team=None, organisation=world.satellite_area)
    return person


@pytest.fixture
def council_funds_satellite(world: World) -> None:
    """The demo's shape: the satellite's council pays the ICB for the satellite."""
    agreement(world.satellite_area, world.icb, [world.satellite])


def test_a_hub_lead_reads_the_hub_and_its_satellites(world: World, team_lead: User) -> None:
    scope = _scope(team_lead)
    assert entitlements.report_team_ids(scope) == {world.hub.pk, world.satellite.pk}
    assert entitlements.report_organisations(scope) == []
    assert entitlements.report_local_authorities(scope) == [world.satellite_area, world.hub_area]


def test_a_satellite_lead_reads_only_the_satellite(world: World) -> None:
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.TEAM_LEAD, team=world.satellite)
    assert entitlements.report_team_ids(_scope(lead)) == {world.satellite.pk}


@pytest.mark.usefixtures("council_funds_satellite")
def test_a_council_commissioner_sees_only_what_the_council_funds(world: World) -> None:
    scope = _scope(_council_commissioner(world))
    assert entitlements.report_team_ids(scope) == {world.satellite.pk}
    assert entitlements.report_organisations(scope) == [world.satellite_area]
    assert entitlements.report_local_authorities(scope) == [world.satellite_area]


@pytest.mark.usefixtures("council_funds_satellite")
def test_the_icb_commissioner_sees_every_team_it_commissions(world: World, commissioner: User) -> None:
    scope = _scope(commissioner)
    # The ICB commissions both services in the world (and receives the council's money).
    assert entitlements.report_team_ids(scope) == {world.hub.pk, world.satellite.pk, world.other_team.pk}
    assert entitlements.report_organisations(scope) == [world.icb]
    assert world.icb not in entitlements.report_local_authorities(scope)  # not a council


def test_a_council_that_funds_nothing_sees_nothing_but_its_own_area(world: World) -> None:
    scope = _scope(_council_commissioner(world))
    assert entitlements.report_team_ids(scope) == set()
    assert entitlements.report_local_authorities(scope) == [world.satellite_area]


@pytest.mark.usefixtures("council_funds_satellite")
def test_practitioners_outsiders_and_other_roles_see_nothing(
    world: World, practitioner: User, outsider: User, supervisor: User, ig_lead: User
) -> None:
    for person in (practitioner, outsider, supervisor, ig_lead):
        scope = _scope(person)
        assert entitlements.report_team_ids(scope) == set()
        assert entitlements.report_organisations(scope) == []
        assert entitlements.report_local_authorities(scope) == []


def test_an_organisations_report_covers_what_it_commissions_and_funds_in_the_period(world: World) -> None:
    agreement(world.satellite_area, world.icb, [world.satellite])  # 1 Nov 2024 to 31 Mar 2025
    funder = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    agreement(funder, world.trust, [world.hub], starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2026, 3, 31))
    in_2024_25 = (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert entitlements.organisation_team_ids(world.satellite_area, *in_2024_25) == {world.satellite.pk}
    assert entitlements.organisation_team_ids(world.satellite_area, dt.date(2025, 4, 1), dt.date(2025, 6, 30)) == set()
    assert entitlements.organisation_team_ids(world.icb, *in_2024_25) == {
        world.hub.pk,
        world.satellite.pk,
        world.other_team.pk,
    }
    # Receiving money is not funding: the trust's report covers nothing it does not commission.
    assert entitlements.organisation_team_ids(world.trust, *in_2024_25) == set()
    assert entitlements.organisation_team_ids(funder, *in_2024_25) == set()
    assert entitlements.organisation_team_ids(funder, dt.date(2025, 4, 1), dt.date(2025, 4, 1)) == {world.hub.pk}
