"""Booking an appointment: the form, and every refusal shown by its field with what was typed kept
(double booking a practitioner or a room, before the episode opened, a closed episode)."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.codes import ContactKind
from attune.care.models import Appointment, Episode, EpisodeEvent
from attune.care.services import append_event
from attune.care.tests.factories_diary import appointment, at, room, site_with_rooms
from attune.care.tests.pages import page_of
from attune.core.models import AuditEvent
from attune.organisations.models import Site
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def site(world: World) -> Site:
    return site_with_rooms(world.hub, rooms=("Room 1", "Room 2"))


def form(practitioner: User, **changes: str) -> dict[str, str]:
    data = {
        "kind": ContactKind.HOME_VISIT.value,
        "date-day": "9",
        "date-month": "12",
        "date-year": "2026",
        "start_time": "10:30am",
        "end_time": "11:30",
        "practitioner": str(practitioner.pk),
        "second_practitioner": "",
        "room": "",
    }
    data.update(changes)
    return data


def url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/appointments/new"


def test_booking_form_offers_the_teams_practitioners_and_rooms(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, episode: Episode, site: Site
) -> None:
    page = page_of(as_user(coordinator).get(url(episode)))

    assert "<h1>Book an appointment</h1>" in page
    assert "Family of " in page
    for label in ("Home visit", "At a family hub", "At a clinic", "Video call", "Phone call"):
        assert label in page
    # The episode's lead is chosen; the coordinator holds no diary so is not offered
    assert f'<option value="{practitioner.pk}" selected>Pat Practitioner</option>' in page
    assert "Cora Coordinator</option>" not in page
    assert f'<option value="{room(site).pk}">Room 1, Daisyfield Family Hub</option>' in page
    assert AuditEvent.objects.filter(action="appointment.booking_opened", object_id=str(episode.pk)).exists()


def test_coordinator_books_a_family_hub_session(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, episode: Episode, site: Site
) -> None:
    client = as_user(coordinator)
    data = form(practitioner, kind=ContactKind.FAMILY_HUB.value, room=str(room(site, "Room 2").pk))

    response = client.post(url(episode), data)

    booked = Appointment.objects.get(episode=episode)
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{booked.pk}"
    assert booked.practitioner == practitioner
    assert booked.kind == ContactKind.FAMILY_HUB
    assert booked.site == site
    assert booked.room == room(site, "Room 2")
    assert booked.starts_at == at(dt.date(2026, 12, 9), 10, 30)
    assert booked.ends_at == at(dt.date(2026, 12, 9), 11, 30)
    event = AuditEvent.objects.get(action="appointment.booked")
    assert event.object_id == str(booked.pk)
    assert event.actor == coordinator
    page = page_of(client.get(response["Location"]))
    assert "At a family hub booked for Wednesday 9 December 2026, 10:30am to 11:30am with Pat Practitioner." in page


def test_a_room_chosen_for_a_home_visit_is_not_booked(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, site: Site
) -> None:
    as_user(practitioner).post(url(episode), form(practitioner, room=str(room(site).pk)))
    booked = Appointment.objects.get(episode=episode)
    assert (booked.site, booked.room) == (None, None)


def errors(page: str) -> list[str]:
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", summary)]


def test_missing_answers_are_asked_for_and_typed_values_kept(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    data = form(practitioner, kind="", start_time="", end_time="25:00")
    data["date-day"] = ""

    page = page_of(as_user(practitioner).post(url(episode), data))

    assert "<title>Error: Book an appointment" in page
    assert errors(page) == [
        "Select the type of contact",
        "Date must include a day",
        "Enter the start time",
        "Enter a real end time, like 9:30am or 14:30",
    ]
    assert 'value="25:00"' in page
    assert re.search(r'name="date-month"[^>]*value="12"', page)
    assert not Appointment.objects.exists()


def test_a_family_hub_session_needs_a_room(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    page = page_of(as_user(practitioner).post(url(episode), form(practitioner, kind=ContactKind.CLINIC.value)))
    assert errors(page) == ["Select the room for a contact at a family hub or clinic"]
    assert 'value="clinic" checked' in page


def test_double_booking_a_practitioner_is_refused(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, episode: Episode
) -> None:
    appointment(episode, practitioner, at(dt.date(2026, 12, 9), 11))

    page = page_of(as_user(coordinator).post(url(episode), form(practitioner)))

    assert errors(page) == ["Pat Practitioner already has an appointment from 11:00am to 12 noon on that day"]
    assert 'href="#id_practitioner"' in page
    assert 'value="10:30am"' in page
    assert 'value="11:30"' in page
    assert Appointment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="appointment.booked").exists()


def test_double_booking_a_second_practitioner_is_refused(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, world: World
) -> None:
    colleague = MembershipFactory(team=world.hub, role=Role.PRACTITIONER, user__full_name="Kit Colleague").user
    appointment(episode, colleague, at(dt.date(2026, 12, 9), 9), minutes=120)

    page = page_of(as_user(practitioner).post(url(episode), form(practitioner, second_practitioner=str(colleague.pk))))

    assert errors(page) == ["Kit Colleague already has an appointment from 9:00am to 11:00am on that day"]
    assert 'href="#id_second_practitioner"' in page
    assert f'<option value="{colleague.pk}" selected>Kit Colleague</option>' in page


def test_double_booking_a_room_is_refused(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, site: Site, world: World
) -> None:
    other = MembershipFactory(team=world.hub, role=Role.PRACTITIONER).user
    appointment(episode, other, at(dt.date(2026, 12, 9), 10), room=room(site))

    data = form(practitioner, kind=ContactKind.FAMILY_HUB.value, room=str(room(site).pk))
    page = page_of(as_user(practitioner).post(url(episode), data))

    assert errors(page) == ["Room 1 is already booked from 10:00am to 11:00am on that day"]
    assert 'href="#id_room"' in page
    assert f'<option value="{room(site).pk}" selected>Room 1, Daisyfield Family Hub</option>' in page
    assert Appointment.objects.count() == 1


def test_booking_before_the_episode_opened_is_refused(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    data = form(practitioner, **{"date-day": "20", "date-month": "10"})
    page = page_of(as_user(practitioner).post(url(episode), data))
    assert errors(page) == ["The appointment must be after the episode opened"]
    assert 'href="#id_date-day"' in page
    assert not Appointment.objects.exists()


def test_end_before_start_is_refused(as_user: Callable[[User], Client], practitioner: User, episode: Episode) -> None:
    page = page_of(as_user(practitioner).post(url(episode), form(practitioner, end_time="9am")))
    assert errors(page) == ["The end time must be after the start time"]


def test_booking_in_a_closed_episode_is_refused(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    append_event(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED, at=at(dt.date(2026, 11, 20)), by=practitioner)
    client = as_user(practitioner)
    assert "This episode is closed. Reopen it before booking appointments." in page_of(client.get(url(episode)))

    page = page_of(client.post(url(episode), form(practitioner)))

    assert errors(page) == ["This episode is closed, so nothing can be booked in it"]
    assert not Appointment.objects.exists()


def test_booking_is_404_for_an_outsider(as_user: Callable[[User], Client], outsider: User, episode: Episode) -> None:
    client = as_user(outsider)
    assert client.get(url(episode)).status_code == 404
    assert client.post(url(episode), form(outsider)).status_code == 404
    assert not Appointment.objects.exists()
