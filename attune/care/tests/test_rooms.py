"""Rooms of a site, set up on pages (issue 15): by the team's lead or the system administrator."""

from collections.abc import Callable

from django.test import Client

from attune.accounts.models import User
from attune.care.models import Room
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.tests.factories import SiteFactory
from attune.organisations.tests.world import World

SignIn = Callable[[User], Client]


def test_a_team_lead_adds_a_room_to_their_teams_site(signed_in: SignIn, team_lead: User, world: World) -> None:
    site = SiteFactory(team=world.hub)
    response = signed_in(team_lead).post(f"/setup/sites/{site.pk}/rooms/new", {"name": "Family room 1"})
    assert response["Location"] == f"/setup/sites/{site.pk}/rooms"
    room = Room.objects.get(site=site)
    assert room.name == "Family room 1"
    assert AuditEvent.objects.get(action="room.created").object_id == str(room.pk)


def test_a_room_name_is_used_once_in_a_site_with_what_was_typed_kept(
    signed_in: SignIn, system_admin: User, world: World
) -> None:
    site = SiteFactory(team=world.satellite, name="Darwen family hub")
    Room.objects.create(site=site, name="Family room 1")
    response = signed_in(system_admin).post(f"/setup/sites/{site.pk}/rooms/new", {"name": "family room 1"})
    html = response.content.decode()
    assert "Darwen family hub already has a room called family room 1: choose another name" in html
    assert 'value="family room 1"' in html
    assert Room.objects.filter(site=site).count() == 1


def test_renaming_a_room_is_audited_with_old_and_new_names(signed_in: SignIn, team_lead: User, world: World) -> None:
    room = Room.objects.create(site=SiteFactory(team=world.hub), name="Room A")
    signed_in(team_lead).post(f"/setup/sites/{room.site_id}/rooms/{room.pk}", {"name": "Quiet room"})
    room.refresh_from_db()
    assert room.name == "Quiet room"
    assert AuditEvent.objects.get(action="room.updated").detail == {"changes": {"name": ["Room A", "Quiet room"]}}


def test_a_room_is_reached_only_through_its_own_site(signed_in: SignIn, team_lead: User, world: World) -> None:
    own_site = SiteFactory(team=world.hub)
    other_room = Room.objects.create(site=SiteFactory(team=world.satellite), name="Elsewhere")
    client = signed_in(team_lead)
    assert client.get(f"/setup/sites/{own_site.pk}/rooms/{other_room.pk}").status_code == 404
    assert client.post(f"/setup/sites/{other_room.site_id}/rooms/new", {"name": "X"}).status_code == 404
    assert not Room.objects.filter(name="X").exists()


def test_a_practitioner_cannot_add_rooms(signed_in: SignIn, practitioner: User, world: World) -> None:
    site = SiteFactory(team=world.hub)
    assert signed_in(practitioner).post(f"/setup/sites/{site.pk}/rooms/new", {"name": "X"}).status_code == 403
    assert not Room.objects.exists()


def test_room_list(signed_in: SignIn, team_lead: User, world: World) -> None:
    site = SiteFactory(team=world.hub)
    client = signed_in(team_lead)
    grow = growing(lambda: Room.objects.create(site=site, name=f"Room {site.rooms.count()}"), site.rooms.count)
    assert_flat(grow=grow, fetch=lambda: client.get(f"/setup/sites/{site.pk}/rooms"))
    # 200 rooms, and the button to add one more
    assert client.get(f"/setup/sites/{site.pk}/rooms").content.decode().count(f"/setup/sites/{site.pk}/rooms/") == 201
