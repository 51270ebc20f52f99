"""Opening a set-up page is a read of how the service is set up, recorded as the pages about a
person are: one event for each page opened, naming what it showed; none for a form sent back."""

from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.care.models import Room
from attune.core.models import AuditEvent
from attune.governance.presenters import action_label
from attune.organisations.tests.factories import SiteFactory
from attune.organisations.tests.world import World

SignIn = Callable[[User], Client]


def _pages(world: World) -> list[tuple[str, str, str]]:
    """(address, the type of record shown, its id), '' for none."""
    site = SiteFactory(team=world.hub, name="Darwen family hub")
    room = Room.objects.create(site=site, name="Family room 1")
    return [
        ("/setup/organisations", "", ""),
        ("/setup/organisations/new", "", ""),
        (f"/setup/organisations/{world.icb.pk}", "organisations.organisation", str(world.icb.pk)),
        ("/setup/services", "", ""),
        ("/setup/services/new", "", ""),
        (f"/setup/services/{world.hub.service.pk}", "organisations.service", str(world.hub.service.pk)),
        ("/setup/teams", "", ""),
        ("/setup/teams/new", "", ""),
        (f"/setup/teams/{world.hub.pk}", "organisations.team", str(world.hub.pk)),
        (f"/setup/teams/{world.hub.pk}/sites", "organisations.team", str(world.hub.pk)),
        (f"/setup/teams/{world.hub.pk}/sites/new", "organisations.team", str(world.hub.pk)),
        (f"/setup/sites/{site.pk}", "organisations.site", str(site.pk)),
        (f"/setup/sites/{site.pk}/rooms", "organisations.site", str(site.pk)),
        (f"/setup/sites/{site.pk}/rooms/new", "organisations.site", str(site.pk)),
        (f"/setup/sites/{site.pk}/rooms/{room.pk}", "care.room", str(room.pk)),
    ]


def test_each_set_up_page_records_that_it_was_read_with_what_it_showed(
    signed_in: SignIn, system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    for url, object_type, object_id in _pages(world):
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200, url
        event = AuditEvent.objects.filter(action="setup.viewed").order_by("-id").first()
        assert event is not None, url
        assert AuditEvent.objects.count() == before + 1, url
        assert (event.actor, event.object_type, event.object_id) == (system_admin, object_type, object_id), url
        assert event.role == "System administrator, Example Hospitals NHS FT"
        assert event.detail["page"], url


def test_a_list_page_records_how_many_rows_it_showed(signed_in: SignIn, team_lead: User, world: World) -> None:
    site = SiteFactory(team=world.hub)
    for name in ("Room A", "Room B"):
        Room.objects.create(site=site, name=name)
    signed_in(team_lead).get(f"/setup/sites/{site.pk}/rooms")
    event = AuditEvent.objects.get(action="setup.viewed")
    assert event.detail == {"page": f"Rooms at {site.name}", "rows": 2}
    assert event.role == "Team lead, Example hub team"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/setup/organisations/new", {"kind": "icb", "name": "", "code": ""}),
        ("/setup/teams/new", {"name": "", "kind": "hub"}),
    ],
)
def test_a_form_sent_back_with_a_problem_is_not_a_read(
    signed_in: SignIn, system_admin: User, world: World, url: str, data: dict[str, str]
) -> None:
    response = signed_in(system_admin).post(url, data)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="setup.viewed").exists()


def test_a_room_form_sent_back_is_not_a_read(signed_in: SignIn, team_lead: User, world: World) -> None:
    site = SiteFactory(team=world.hub)
    assert signed_in(team_lead).post(f"/setup/sites/{site.pk}/rooms/new", {"name": ""}).status_code == 200
    assert not AuditEvent.objects.filter(action="setup.viewed").exists()


def test_a_refused_page_records_the_refusal_not_a_read(signed_in: SignIn, practitioner: User, world: World) -> None:
    assert signed_in(practitioner).get("/setup/teams").status_code == 403
    assert not AuditEvent.objects.filter(action="setup.viewed").exists()
    assert AuditEvent.objects.filter(action="access.refused", actor=practitioner).exists()


def test_the_audit_log_names_the_read_in_words() -> None:
    assert action_label("setup.viewed") != "setup.viewed"
    assert action_label("team_settings.viewed") == "Viewed a team's settings"
