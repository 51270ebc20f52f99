"""The set-up pages (issue 15), through the views and the database: bad input keeps what was
typed with a clear message; who may reach which page; each list's query count."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.models import Organisation, OrganisationKind, Site, Team, TeamKind
from attune.organisations.tests.factories import OrganisationFactory, ServiceFactory, SiteFactory, TeamFactory
from attune.organisations.tests.world import World

SignIn = Callable[[User], Client]


def test_each_form_page_shows_its_button(signed_in: SignIn, system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    for url, button in [
        ("/setup/organisations/new", "Add organisation"),
        ("/setup/services/new", "Add service"),
        ("/setup/teams/new", "Add team"),
        (f"/setup/teams/{world.hub.pk}/sites/new", "Add site"),
        (f"/setup/teams/{world.hub.pk}", "Save changes"),
    ]:
        html = client.get(url).content.decode()
        assert re.search(rf">\s*{button}\s*</button>", html), url


def test_an_invalid_ods_code_is_refused_with_what_was_typed_kept(signed_in: SignIn, system_admin: User) -> None:
    response = signed_in(system_admin).post(
        "/setup/organisations/new", {"kind": "nhs_trust", "name": "Blackburn Trust", "code": "QE1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Error: Add an organisation" in html
    assert "Enter the trust&#39;s ODS code: 3 letters or numbers starting with R or T, like RXL" in html
    assert 'value="Blackburn Trust"' in html
    assert 'value="QE1"' in html
    assert not Organisation.objects.filter(name="Blackburn Trust").exists()


def test_a_council_is_added_with_its_ons_code(signed_in: SignIn, system_admin: User) -> None:
    response = signed_in(system_admin).post(
        "/setup/organisations/new",
        {"kind": "local_authority", "name": "Blackburn with Darwen Council", "code": "e06000008"},
    )
    assert response["Location"] == "/setup/organisations"
    council = Organisation.objects.get(code="E06000008")
    assert council.kind == OrganisationKind.LOCAL_AUTHORITY
    event = AuditEvent.objects.get(action="organisation.created")
    assert (event.actor, event.role) == (system_admin, "System administrator, Example Hospitals NHS FT")


def test_a_duplicate_team_name_is_refused_with_what_was_typed_kept(
    signed_in: SignIn, system_admin: User, world: World
) -> None:
    response = signed_in(system_admin).post(
        "/setup/teams/new", {"name": "example hub team", "kind": "satellite", "hub": str(world.hub.pk)}
    )
    html = response.content.decode()
    assert "Example PAIRS already has a team called example hub team: choose another name" in html
    assert 'value="example hub team"' in html
    assert f'value="{world.hub.pk}" selected' in html
    assert Team.objects.filter(service=world.hub.service).count() == 2


def test_a_satellite_without_a_supervising_hub_is_refused(signed_in: SignIn, system_admin: User, world: World) -> None:
    response = signed_in(system_admin).post("/setup/teams/new", {"name": "Darwen satellite", "kind": "satellite"})
    html = response.content.decode()
    assert "Select the hub team that supervises this satellite team" in html
    assert 'href="#id_hub"' in html  # the summary links to the field
    assert 'value="Darwen satellite"' in html
    assert not Team.objects.filter(name="Darwen satellite").exists()


def test_a_satellite_is_added_under_its_hub(signed_in: SignIn, system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    response = client.post(
        "/setup/teams/new", {"name": "Darwen satellite", "kind": "satellite", "hub": str(world.hub.pk)}
    )
    assert response["Location"] == "/setup/teams"
    assert Team.objects.get(name="Darwen satellite").hub == world.hub


def test_a_team_edit_is_audited_with_old_and_new_values(signed_in: SignIn, system_admin: User, world: World) -> None:
    # (the council select is posted as the page shows it: still the satellite's council)
    signed_in(system_admin).post(
        f"/setup/teams/{world.satellite.pk}",
        {
            "name": "Darwen team",
            "kind": "satellite",
            "hub": str(world.hub.pk),
            "local_authority": str(world.satellite_area.pk),
        },
    )
    event = AuditEvent.objects.get(action="team.updated")
    assert event.detail == {"changes": {"name": ["Example satellite team", "Darwen team"]}}


# The council area a team serves ------------------------------------------------------------------


def test_a_team_is_added_with_the_council_area_it_serves(signed_in: SignIn, system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    form = client.get("/setup/teams/new").content.decode()
    # Councils only, by name, none chosen at first
    council_select = form.split('name="local_authority"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", council_select) == [
        "Not set",
        "City Council",
        "Mill Town Council",
        "Seaside Council",
    ]
    assert "Council area the team serves (optional)" in form

    response = client.post(
        "/setup/teams/new",
        {"name": "Darwen satellite", "kind": "satellite", "hub": str(world.hub.pk), "local_authority": str(world.satellite_area.pk)},
    )  # fmt: skip

    assert response["Location"] == "/setup/teams"
    team = Team.objects.get(name="Darwen satellite")
    assert team.local_authority == world.satellite_area
    event = AuditEvent.objects.get(action="team.created", object_id=str(team.pk))
    assert event.detail["local_authority"] == "Mill Town Council"


def test_the_council_is_optional(signed_in: SignIn, system_admin: User, world: World) -> None:
    response = signed_in(system_admin).post(
        "/setup/teams/new", {"name": "New hub", "kind": "hub", "local_authority": ""}
    )
    assert response["Location"] == "/setup/teams"
    assert Team.objects.get(name="New hub").local_authority is None
    assert AuditEvent.objects.get(action="team.created").detail["local_authority"] == ""


def test_a_teams_council_is_changed_and_audited_and_the_form_starts_from_it(
    signed_in: SignIn, system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    form = client.get(f"/setup/teams/{world.satellite.pk}").content.decode()
    assert re.search(rf'value="{world.satellite_area.pk}"\s+selected', form)

    client.post(
        f"/setup/teams/{world.satellite.pk}",
        {"name": "Example satellite team", "kind": "satellite", "hub": str(world.hub.pk), "local_authority": str(world.hub_area.pk)},
    )  # fmt: skip

    world.satellite.refresh_from_db()
    assert world.satellite.local_authority == world.hub_area
    event = AuditEvent.objects.get(action="team.updated")
    assert event.detail == {
        "changes": {
            "local_authority": [
                f"Mill Town Council ({world.satellite_area.pk})",
                f"Seaside Council ({world.hub_area.pk})",
            ]
        }
    }


@pytest.mark.parametrize("chosen", ["trust", "not-a-council", "icb"])
def test_only_a_council_may_be_chosen_with_what_was_typed_kept(
    signed_in: SignIn, system_admin: User, world: World, chosen: str
) -> None:
    value = str(getattr(world, chosen).pk) if hasattr(world, chosen) else chosen
    response = signed_in(system_admin).post(
        "/setup/teams/new",
        {"name": "Darwen satellite", "kind": "satellite", "hub": str(world.hub.pk), "local_authority": value},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a council from the list" in html
    assert 'href="#id_local_authority"' in html
    assert 'value="Darwen satellite"' in html
    assert not Team.objects.filter(name="Darwen satellite").exists()


def test_the_action_refuses_an_area_that_is_not_a_council(world: World) -> None:
    from attune.core.actors import Actor
    from attune.organisations import services

    with pytest.raises(services.SetUpError, match="Select a council as the area the team serves") as refused:
        services.create_team(
            actor=Actor.system("import"),
            service=world.hub.service,
            name="New hub",
            kind=TeamKind.HUB,
            local_authority=world.icb,
        )
    assert refused.value.field == "local_authority"


def test_a_site_with_a_bad_postcode_keeps_what_was_typed(signed_in: SignIn, team_lead: User, world: World) -> None:
    response = signed_in(team_lead).post(
        f"/setup/teams/{world.hub.pk}/sites/new",
        {"kind": "family_hub", "name": "Darwen family hub", "postcode": "DARWEN", "opening_hours": "Mondays"},
    )
    html = response.content.decode()
    assert "Enter a real postcode, like BB1 7DJ" in html
    assert 'value="DARWEN"' in html
    assert ">Mondays</textarea>" in html


def test_a_team_lead_adds_a_site_to_their_own_team(signed_in: SignIn, team_lead: User, world: World) -> None:
    response = signed_in(team_lead).post(
        f"/setup/teams/{world.hub.pk}/sites/new",
        {"kind": "family_hub", "name": "Darwen family hub", "address": "Union Street\nDarwen", "postcode": "bb3 1ax",
         "opening_hours": "Monday to Friday, 9am to 5pm"},
    )  # fmt: skip
    assert response["Location"] == f"/setup/teams/{world.hub.pk}/sites"
    site = Site.objects.get(name="Darwen family hub")
    assert (site.team, site.postcode, site.opening_hours) == (world.hub, "BB3 1AX", "Monday to Friday, 9am to 5pm")
    assert AuditEvent.objects.get(action="site.created").role == "Team lead, Example hub team"


def _pages(world: World, hub_site: Site, satellite_site: Site) -> dict[str, str]:
    return {
        "setup": "/setup",
        "organisations": "/setup/organisations",
        "icb": f"/setup/organisations/{world.icb.pk}",
        "other_trust": f"/setup/organisations/{world.other_trust.pk}",
        "service": f"/setup/services/{world.hub.service.pk}",
        "other_service": f"/setup/services/{world.other_team.service.pk}",
        "hub_team": f"/setup/teams/{world.hub.pk}",
        "hub_sites": f"/setup/teams/{world.hub.pk}/sites",
        "hub_site": f"/setup/sites/{hub_site.pk}",
        "satellite_site": f"/setup/sites/{satellite_site.pk}",
        "hub_rooms": f"/setup/sites/{hub_site.pk}/rooms",
    }


EXPECTED = {
    "system_admin": {"setup": 200, "organisations": 200, "icb": 200, "other_trust": 404, "service": 200,
                     "other_service": 404, "hub_team": 200, "hub_sites": 200, "hub_site": 200, "satellite_site": 200,
                     "hub_rooms": 200},
    # A team lead manages their own team's sites and rooms; another team's are not there for them.
    "team_lead": {"setup": 403, "organisations": 403, "icb": 403, "other_trust": 403, "service": 403,
                  "other_service": 403, "hub_team": 403, "hub_sites": 200, "hub_site": 200, "satellite_site": 404,
                  "hub_rooms": 200},
    "practitioner": {"setup": 403, "organisations": 403, "icb": 403, "other_trust": 403, "service": 403,
                     "other_service": 403, "hub_team": 403, "hub_sites": 403, "hub_site": 403, "satellite_site": 404,
                     "hub_rooms": 403},
    "outsider": {"setup": 403, "organisations": 403, "icb": 403, "other_trust": 403, "service": 403,
                 "other_service": 403, "hub_team": 403, "hub_sites": 404, "hub_site": 404, "satellite_site": 404,
                 "hub_rooms": 404},
}  # fmt: skip


@pytest.mark.parametrize("role", EXPECTED)
def test_who_reaches_which_set_up_page(
    role: str, request: pytest.FixtureRequest, world: World, signed_in: SignIn
) -> None:
    hub_site = SiteFactory(team=world.hub)
    satellite_site = SiteFactory(team=world.satellite)
    client = signed_in(request.getfixturevalue(role))
    got = {name: client.get(url).status_code for name, url in _pages(world, hub_site, satellite_site).items()}
    assert got == EXPECTED[role]


def test_a_team_lead_cannot_change_another_teams_site(signed_in: SignIn, team_lead: User, world: World) -> None:
    site = SiteFactory(team=world.satellite, name="Satellite clinic")
    response = signed_in(team_lead).post(f"/setup/sites/{site.pk}", {"kind": "clinic", "name": "Taken over"})
    assert response.status_code == 404
    site.refresh_from_db()
    assert site.name == "Satellite clinic"
    refusal = AuditEvent.objects.get(action="access.refused", actor=team_lead)
    assert (refusal.object_type, refusal.outcome) == ("organisations.site", Outcome.NOT_FOUND)


def test_a_practitioner_cannot_change_their_own_teams_site(signed_in: SignIn, practitioner: User, world: World) -> None:
    site = SiteFactory(team=world.hub, name="Hub clinic")
    response = signed_in(practitioner).post(f"/setup/sites/{site.pk}", {"kind": "clinic", "name": "Renamed"})
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.name == "Hub clinic"


def test_set_up_is_in_the_navigation_of_system_administrators_only(
    signed_in: SignIn, system_admin: User, team_lead: User
) -> None:
    assert 'href="/setup"' in signed_in(system_admin).get("/").content.decode()
    assert 'href="/setup"' not in signed_in(team_lead).get("/").content.decode()


# Query counts: the same for 1 row and for 200 ---------------------------------------------------


def test_organisation_list(signed_in: SignIn, system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    grow = growing(
        lambda: OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY),
        lambda: Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).count(),
    )
    assert_flat(grow=grow, fetch=lambda: client.get("/setup/organisations"))


def test_service_list(signed_in: SignIn, system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    grow = growing(lambda: ServiceFactory(provider=world.trust), lambda: world.trust.services_provided.count())
    assert_flat(grow=grow, fetch=lambda: client.get("/setup/services"))
    assert client.get("/setup/services").content.decode().count('<a href="/setup/services/') == 200


def test_team_list(signed_in: SignIn, system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    grow = growing(
        lambda: TeamFactory(service=world.hub.service, kind=TeamKind.SATELLITE, hub=world.hub),
        lambda: world.hub.service.teams.count(),
    )
    assert_flat(grow=grow, fetch=lambda: client.get("/setup/teams"))


def test_site_list(signed_in: SignIn, team_lead: User, world: World) -> None:
    from attune.care.models import Room

    client = signed_in(team_lead)

    def add() -> None:
        Room.objects.create(site=SiteFactory(team=world.hub), name="Family room")

    grow = growing(add, lambda: world.hub.sites.count())
    assert_flat(grow=grow, fetch=lambda: client.get(f"/setup/teams/{world.hub.pk}/sites"))
    assert client.get(f"/setup/teams/{world.hub.pk}/sites").content.decode().count("Rooms (1)") == 200
