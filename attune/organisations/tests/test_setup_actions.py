"""The set-up actions' rules (issue 15), and their audit: edits name the old and new values."""

import pytest

from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.organisations import services
from attune.organisations.models import OrganisationKind, SiteKind, TeamKind
from attune.organisations.tests.factories import OrganisationFactory, SiteFactory
from attune.organisations.tests.world import World

ACTOR = Actor.system("test")


def test_a_team_name_is_used_once_in_a_service_whatever_its_capitals(world: World) -> None:
    with pytest.raises(services.SetUpError, match="Example PAIRS already has a team called EXAMPLE HUB TEAM") as e:
        services.create_team(actor=ACTOR, service=world.hub.service, name="EXAMPLE HUB TEAM", kind=TeamKind.HUB)
    assert e.value.field == "name"


def test_the_same_team_name_in_another_service_is_allowed(world: World) -> None:
    team = services.create_team(
        actor=ACTOR, service=world.other_team.service, name="Example hub team", kind=TeamKind.HUB
    )
    assert team.name == "Example hub team"


def test_a_satellite_needs_a_supervising_hub(world: World) -> None:
    with pytest.raises(services.SetUpError, match="Select the hub team that supervises this satellite team") as e:
        services.create_team(actor=ACTOR, service=world.hub.service, name="New satellite", kind=TeamKind.SATELLITE)
    assert e.value.field == "hub"


@pytest.mark.parametrize("which", ["other_team", "satellite"])
def test_a_satellite_is_supervised_by_a_hub_of_its_own_service(world: World, which: str) -> None:
    with pytest.raises(services.SetUpError, match="Select a hub team of Example PAIRS"):
        services.create_team(
            actor=ACTOR,
            service=world.hub.service,
            name="New satellite",
            kind=TeamKind.SATELLITE,
            hub=getattr(world, which),
        )


def test_a_hub_that_supervises_satellites_stays_a_hub(world: World) -> None:
    with pytest.raises(services.SetUpError, match="supervises Example satellite team: it must stay a hub team"):
        services.update_team(
            actor=ACTOR,
            team=world.hub,
            name="Example hub team",
            kind=TeamKind.SATELLITE,
            hub=world.hub,
            local_authority=world.hub_area,
        )


def test_a_satellite_is_created_with_its_hub_and_audited(world: World) -> None:
    team = services.create_team(
        actor=ACTOR, service=world.hub.service, name="Darwen satellite", kind=TeamKind.SATELLITE, hub=world.hub
    )
    assert team.hub == world.hub
    event = AuditEvent.objects.get(action="team.created")
    assert event.detail["hub"] == "Example hub team"


def test_an_edit_is_audited_with_the_old_and_new_values(world: World) -> None:
    services.update_team(
        actor=ACTOR,
        team=world.satellite,
        name="Darwen team",
        kind=TeamKind.SATELLITE,
        hub=world.hub,
        local_authority=world.satellite_area,
    )
    event = AuditEvent.objects.get(action="team.updated")
    assert event.detail == {"changes": {"name": ["Example satellite team", "Darwen team"]}}


def test_an_edit_that_changes_nothing_writes_no_event(world: World) -> None:
    services.update_organisation(actor=ACTOR, organisation=world.icb, name=world.icb.name, code=world.icb.code)
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_an_organisation_code_is_used_once(world: World) -> None:
    with pytest.raises(services.SetUpError, match="Example Hospitals NHS FT already has the code RXX"):
        services.create_organisation(actor=ACTOR, name="Another", kind=OrganisationKind.NHS_TRUST, code="RXX")


def test_a_service_is_commissioned_by_an_icb_or_council_not_a_trust(world: World) -> None:
    with pytest.raises(services.SetUpError, match="Select an integrated care board or a council"):
        services.create_service(actor=ACTOR, name="PAIRS", provider=world.trust, commissioner=world.other_trust)
    council = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, code="E06000008")
    assert services.create_service(actor=ACTOR, name="PAIRS", provider=world.trust, commissioner=council).pk


def test_a_site_postcode_is_checked_and_normalised(world: World) -> None:
    with pytest.raises(services.SetUpError, match="Enter a real postcode"):
        services.create_site(actor=ACTOR, team=world.hub, kind=SiteKind.CLINIC, name="Clinic", postcode="NOT ONE")
    site = services.create_site(actor=ACTOR, team=world.hub, kind=SiteKind.CLINIC, name="Clinic", postcode="bb17dj")
    assert site.postcode == "BB1 7DJ"


def test_a_site_edit_names_old_and_new_opening_hours(world: World) -> None:
    site = SiteFactory(team=world.hub, name="Darwen family hub", opening_hours="Mondays")
    services.update_site(
        actor=ACTOR, site=site, kind=SiteKind.FAMILY_HUB, name="Darwen family hub", address="", postcode="",
        opening_hours="Monday to Friday, 9am to 5pm",
    )  # fmt: skip
    event = AuditEvent.objects.get(action="site.updated")
    assert event.detail["changes"] == {"opening_hours": ["Mondays", "Monday to Friday, 9am to 5pm"]}
