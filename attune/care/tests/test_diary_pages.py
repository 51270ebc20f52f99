"""The diary pages: a person's week grouped by day, a colleague's week in a shared team, and a
site's rooms so a coordinator can see which are free. Scoped, audited, and a fixed number of
queries however full the week is."""

import datetime as dt
import html as html_text
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.codes import Attendance, ContactKind
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import NoteFactory, open_episode
from attune.care.tests.factories_diary import appointment, at, room, site_with_rooms
from attune.care.tests.pages import page_of as html
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat
from attune.families.naming import family_title
from attune.families.tests.factories import SafeguardingFlagFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

# Wednesday 2 December 2026; its week runs from Monday 30 November to Sunday 6 December.
TODAY = dt.date(2026, 12, 2)
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


def day_section(page: str, day: dt.date) -> str:
    start = page.index(">", page.index(f'aria-labelledby="day-{day.isoformat()}"')) + 1
    return page[start : page.index("</section>", start)]


def text(fragment: str) -> str:
    return html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip())


def test_my_diary_lists_the_weeks_appointments_by_day(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, world: World
) -> None:
    site = site_with_rooms(world.hub)
    visit = appointment(episode, practitioner, at(TODAY, 9, 30))
    hub = appointment(episode, practitioner, at(dt.date(2026, 12, 4), 13), room=room(site))
    done = appointment(episode, practitioner, at(MONDAY, 11), attendance=Attendance.ATTENDED)
    NoteFactory(appointment=done, status="signed", signed_at=at(MONDAY, 13))
    appointment(episode, practitioner, at(dt.date(2026, 12, 7), 10))  # next week
    other = MembershipFactory(team=world.hub, role=Role.PRACTITIONER).user
    appointment(episode, other, at(TODAY, 11))  # someone else's

    page = html(as_user(practitioner).get("/diary"))

    assert "<h1>Your diary</h1>" in page
    assert "Monday 30 November 2026 to Sunday 6 December 2026" in page
    assert "3 appointments this week." in page
    wednesday = text(day_section(page, TODAY))
    assert wednesday.startswith("Wednesday 2 December 2026 Today")
    assert "9:30am to 10:30am" in wednesday
    assert "Home visit" in wednesday
    assert "The family's home" in wednesday
    assert "Booked" in wednesday
    assert "11:00am" not in wednesday
    assert f'href="/appointments/{visit.pk}">Family of ' in day_section(page, TODAY)
    friday = text(day_section(page, dt.date(2026, 12, 4)))
    assert "Room 1, Daisyfield Family Hub" in friday
    assert "At a family hub" in friday
    assert f"/appointments/{hub.pk}" in day_section(page, dt.date(2026, 12, 4))
    monday = text(day_section(page, MONDAY))
    assert "Attended" in monday
    assert "Signed" in monday
    assert "Today" not in monday
    assert text(day_section(page, dt.date(2026, 12, 1))).endswith("Nothing booked.")
    assert 'aria-labelledby="day-2026-12-05"' not in page  # an empty weekend day is left out
    assert 'href="/diary?week=2026-11-23"' in page
    assert 'href="/diary?week=2026-12-07"' in page
    assert "Go to this week" not in page
    event = AuditEvent.objects.get(action="diary.viewed")
    assert event.object_id == str(practitioner.pk)
    assert event.detail == {"week": "2026-11-30", "count": 3}


def test_week_parameter_picks_the_week_containing_that_date(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    appointment(episode, practitioner, at(dt.date(2026, 12, 9), 10), kind=ContactKind.VIDEO)

    page = html(as_user(practitioner).get("/diary?week=2026-12-10"))

    assert "Monday 7 December 2026 to Sunday 13 December 2026" in page
    assert "Video call" in text(day_section(page, dt.date(2026, 12, 9)))
    assert "Today" not in text(page.split("<h1>", 1)[1].split('aria-label="Weeks, at the end', 1)[0])
    assert 'href="/diary?week=2026-12-02">Go to this week</a>' in page


def test_a_wrong_week_parameter_shows_this_week(as_user: Callable[[User], Client], practitioner: User) -> None:
    page = html(as_user(practitioner).get("/diary?week=not-a-date"))
    assert "Monday 30 November 2026 to Sunday 6 December 2026" in page
    assert "Nothing is booked this week." in page


def test_diary_shows_a_second_practitioners_visits_and_safeguarding(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, world: World
) -> None:
    lead = MembershipFactory(team=world.hub, role=Role.PRACTITIONER, user__full_name="Alex Lead").user
    appointment(episode, lead, at(TODAY, 15), second_practitioner=practitioner)
    SafeguardingFlagFactory(family=episode.family)

    wednesday = text(day_section(html(as_user(practitioner).get("/diary")), TODAY))

    assert "Alex Lead" in wednesday
    assert "Safeguarding" in wednesday


def test_my_diary_links_to_colleagues_and_site_diaries(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, world: World
) -> None:
    page = html(as_user(coordinator).get("/diary"))
    assert "Nothing is booked this week." in page
    assert f'href="/teams/{world.hub.pk}/diary/{practitioner.pk}">Pat Practitioner</a>' in page
    assert f'href="/teams/{world.hub.pk}/sites/diary"' in page


def test_coordinator_sees_a_practitioners_diary(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, episode: Episode, world: World
) -> None:
    appointment(episode, practitioner, at(TODAY, 9, 30))

    page = html(as_user(coordinator).get(f"/teams/{world.hub.pk}/diary/{practitioner.pk}"))

    assert "<h1>Pat Practitioner&#39;s diary</h1>" in page
    assert "9:30am to 10:30am" in page
    assert AuditEvent.objects.get(action="diary.viewed").object_id == str(practitioner.pk)


def test_practitioner_diary_is_404_for_someone_not_in_the_team(
    as_user: Callable[[User], Client], coordinator: User, trainee: User, outsider: User, world: World
) -> None:
    client = as_user(coordinator)
    # The trainee works in the satellite team, not the coordinator's hub team
    assert client.get(f"/teams/{world.hub.pk}/diary/{trainee.pk}").status_code == 404
    assert client.get(f"/teams/{world.satellite.pk}/diary/{trainee.pk}").status_code == 404
    assert as_user(outsider).get(f"/teams/{world.hub.pk}/diary/{coordinator.pk}").status_code == 404


def test_diary_refuses_people_who_do_not_work_with_families(
    as_user: Callable[[User], Client], commissioner: User
) -> None:
    assert as_user(commissioner).get("/diary").status_code == 403


def test_outsider_sees_nothing_of_the_teams_appointments(
    as_user: Callable[[User], Client], outsider: User, practitioner: User, episode: Episode
) -> None:
    # An appointment wrongly booked for the outsider in a team they are not in stays hidden
    appointment(episode, outsider, at(TODAY, 9))
    page = html(as_user(outsider).get("/diary"))
    assert "Nothing is booked this week." in page


def test_site_diary_shows_each_rooms_bookings(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, episode: Episode, world: World
) -> None:
    site = site_with_rooms(world.hub, rooms=("Room 1", "Room 2"))
    other_site = site_with_rooms(world.hub, name="Mill Hill Clinic", rooms=("Clinic room",))
    appointment(episode, practitioner, at(TODAY, 10), room=room(site, "Room 1"))
    appointment(
        episode, practitioner, at(TODAY, 12), room=room(site, "Room 1"), attendance=Attendance.CANCELLED_BY_FAMILY
    )
    appointment(episode, practitioner, at(TODAY, 9), room=room(other_site, "Clinic room"))

    client = as_user(coordinator)
    page = html(client.get(f"/teams/{world.hub.pk}/sites/diary?site={site.pk}"))

    assert "<h1>Rooms at Daisyfield Family Hub</h1>" in page
    first = text(page.split('aria-labelledby="room-1">', 1)[1].split("</section>", 1)[0])
    assert first.startswith("Room 1")
    assert "Wednesday 2 December 2026 Time 10:00am to 11:00am Practitioner Pat Practitioner Family Family of" in first
    assert "12:00" not in first  # cancelled: the room is free
    second = text(page.split('aria-labelledby="room-2">', 1)[1].split("</section>", 1)[0])
    assert "Free all week." in second
    assert "Clinic room" not in page
    assert f'<option value="{other_site.pk}">Mill Hill Clinic</option>' in page
    event = AuditEvent.objects.get(action="diary.site_viewed")
    assert event.object_id == str(site.pk)

    # With no site chosen, the first by name
    page = html(client.get(f"/teams/{world.hub.pk}/sites/diary"))
    assert "<h1>Rooms at Daisyfield Family Hub</h1>" in page


def test_site_diary_of_a_team_without_sites_says_so(
    as_user: Callable[[User], Client], coordinator: User, world: World
) -> None:
    page = html(as_user(coordinator).get(f"/teams/{world.hub.pk}/sites/diary"))
    assert "has no sites yet" in page


def test_site_diary_is_404_outside_the_team(as_user: Callable[[User], Client], outsider: User, world: World) -> None:
    assert as_user(outsider).get(f"/teams/{world.hub.pk}/sites/diary").status_code == 404


def _week_slots() -> Iterator[dt.datetime]:
    """Non-overlapping half-hour slots through the week, so 200 fit."""
    for day in range(7):
        for slot in range(30):
            yield at(MONDAY + dt.timedelta(days=day), 7) + dt.timedelta(minutes=30 * slot)


def test_diary_query_count_does_not_grow_with_appointments(
    as_user: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = as_user(practitioner)
    slots = _week_slots()
    site = site_with_rooms(world.hub)

    def grow(n: int) -> None:
        while Appointment.objects.filter(practitioner=practitioner).count() < n:
            episode = open_episode(world.hub, practitioner, opened_at=at(dt.date(2026, 11, 1)))
            SafeguardingFlagFactory(family=episode.family)
            made = appointment(episode, practitioner, next(slots), minutes=30, room=room(site))
            NoteFactory(appointment=made)

    assert_flat(grow=grow, fetch=lambda: client.get("/diary"))
    assert "200 appointments this week." in html(client.get("/diary"))


def test_site_diary_query_count_does_not_grow_with_bookings(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, world: World
) -> None:
    client = as_user(coordinator)
    slots = _week_slots()
    site = site_with_rooms(world.hub, rooms=("Room 1", "Room 2"))
    episode = open_episode(world.hub, practitioner, opened_at=at(dt.date(2026, 11, 1)))

    def grow(n: int) -> None:
        while Appointment.objects.filter(site=site).count() < n:
            appointment(episode, practitioner, next(slots), minutes=30, room=room(site))

    url = f"/teams/{world.hub.pk}/sites/diary?site={site.pk}"
    assert_flat(grow=grow, fetch=lambda: client.get(url))


def test_a_visit_running_over_midnight_into_the_week_counts_in_it(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    """The week's look-up reads only appointments that start up to the longest allowed before it,
    so one that started the Sunday evening before and runs into Monday is still found."""
    sunday = MONDAY - dt.timedelta(days=1)
    appointment(episode, practitioner, at(sunday, 18), minutes=7 * 60)  # 6pm to 1am on Monday
    appointment(episode, practitioner, at(sunday, 10), minutes=8 * 60)  # ends at 6pm, before the week

    page = html(as_user(practitioner).get("/diary"))

    assert "1 appointment this week." in page


def test_two_visits_to_one_family_in_a_week_both_name_it(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    """The family's babies and carers are read once for all its rows."""
    appointment(episode, practitioner, at(MONDAY, 10))
    appointment(episode, practitioner, at(TODAY, 10))
    SafeguardingFlagFactory(family=episode.family, kind="child_in_need")

    page = html(as_user(practitioner).get("/diary"))

    for day in (MONDAY, TODAY):
        section = text(day_section(page, day))
        assert family_title(episode.family) in section
        assert "Safeguarding" in section
