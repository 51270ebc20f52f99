"""The appointment page and recording attendance: the national codes, who attended, refused for a
future appointment except cancellations, and two missed in a row giving the practitioner a task."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.codes import Attendance
from attune.care.models import Appointment, Episode
from attune.care.reminders import queue_reminders
from attune.care.tests.factories_diary import appointment, at, room, site_with_rooms
from attune.care.tests.pages import page_of
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.families.consent import record_consent, withdraw_consent
from attune.families.tests.factories import SafeguardingFlagFactory
from attune.organisations.tests.world import World

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def this_morning(episode: Episode, practitioner: User) -> Appointment:
    return appointment(episode, practitioner, at(TODAY, 10))


def errors(page: str) -> list[str]:
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", summary)]


def who(episode: Episode) -> dict[str, str]:
    infant = episode.infants.get()
    carer = episode.carers.get()
    return {"infant": f"infant:{infant.pk}", "carer": f"carer:{carer.pk}"}


def test_appointment_page_shows_the_family_when_who_and_where(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, episode: Episode, world: World
) -> None:
    site = site_with_rooms(world.hub)
    booked = appointment(episode, practitioner, at(dt.date(2026, 12, 4), 13), room=room(site))
    SafeguardingFlagFactory(family=episode.family, kind="child_in_need")

    page = page_of(as_user(coordinator).get(f"/appointments/{booked.pk}"))

    assert "<h1>At a family hub, Friday 4 December 2026</h1>" in page
    assert f'href="/families/{episode.family_id}">Family of ' in page
    assert f'href="/episodes/{episode.pk}">Episode opened 1 November 2026</a>' in page
    assert "1:00pm to 2:00pm" in page
    assert "Pat Practitioner" in page
    assert "Room 1, Daisyfield Family Hub" in page
    assert "data-safeguarding-banner" in page
    assert "This appointment has not happened yet, so you can only record a cancellation." in page
    assert "Lone working" not in page  # not a home visit
    event = AuditEvent.objects.get(action="appointment.viewed")
    assert event.object_id == str(booked.pk)
    assert event.actor == coordinator


def test_appointment_page_offers_the_attendance_codes_and_the_people(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, this_morning: Appointment
) -> None:
    page = page_of(as_user(practitioner).get(f"/appointments/{this_morning.pk}"))
    for label in (
        "Attended",
        "Arrived late but was seen",
        "Arrived late and could not be seen",
        "Cancelled by the family",
        "Did not attend (no warning given)",
        "Cancelled or postponed by the service",
    ):
        assert label in page
    assert f'value="{who(episode)["infant"]}"' in page
    assert f'value="{who(episode)["carer"]}"' in page
    assert "not happened yet" not in page


def test_attendance_is_recorded_with_who_attended(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, this_morning: Appointment
) -> None:
    client = as_user(practitioner)
    people = who(episode)

    response = client.post(
        f"/appointments/{this_morning.pk}/attendance",
        {"attendance": Attendance.ATTENDED.value, "attended": [people["carer"], people["infant"]]},
    )

    assert response.status_code == 302
    this_morning.refresh_from_db()
    assert this_morning.attendance == Attendance.ATTENDED
    assert list(this_morning.attended_carers.all()) == [episode.carers.get()]
    assert list(this_morning.attended_infants.all()) == [episode.infants.get()]
    assert AuditEvent.objects.filter(action="appointment.attendance_recorded", object_id=str(this_morning.pk)).exists()
    page = page_of(client.get(response["Location"]))
    assert "Attendance recorded: Attended." in page
    assert "Who attended" in page
    assert episode.carers.get().full_name in page
    assert 'name="attendance"' not in page  # recorded: no form


def test_attended_without_saying_who_is_refused(
    as_user: Callable[[User], Client], practitioner: User, this_morning: Appointment
) -> None:
    page = page_of(
        as_user(practitioner).post(f"/appointments/{this_morning.pk}/attendance", {"attendance": Attendance.LATE_SEEN})
    )
    assert errors(page) == ["Select who attended"]
    assert 'value="6" checked' in page
    this_morning.refresh_from_db()
    assert this_morning.attendance == ""


def test_nothing_chosen_is_refused(
    as_user: Callable[[User], Client], practitioner: User, this_morning: Appointment
) -> None:
    page = page_of(as_user(practitioner).post(f"/appointments/{this_morning.pk}/attendance", {}))
    assert errors(page) == ["Select what happened at the appointment"]


def test_attendance_for_a_future_appointment_is_refused(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    later = appointment(episode, practitioner, at(TODAY, 16))
    people = who(episode)

    page = page_of(
        as_user(practitioner).post(
            f"/appointments/{later.pk}/attendance", {"attendance": Attendance.ATTENDED, "attended": [people["carer"]]}
        )
    )

    assert errors(page) == ["This appointment has not happened yet. Select why it is cancelled"]
    # The summary links to the field in error: the first of the cancellation radios
    assert 'href="#id_attendance"' in page
    assert 'id="id_attendance"' in page
    assert 'href="#id_attended"' not in page
    later.refresh_from_db()
    assert later.attendance == ""


def test_a_future_appointment_offers_only_cancellations(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    later = appointment(episode, practitioner, at(TODAY, 16))

    page = page_of(as_user(practitioner).get(f"/appointments/{later.pk}"))

    offered = re.findall(r'name="attendance"[^>]*value="(\d)"|value="(\d)"[^>]*name="attendance"', page)
    assert sorted(a or b for a, b in offered) == [Attendance.CANCELLED_BY_FAMILY, Attendance.CANCELLED_BY_SERVICE]
    assert "Why is the appointment cancelled?" in page
    assert ">Attended<" not in re.sub(r"\s*<", "<", re.sub(r">\s*", ">", page))
    assert 'name="attended"' not in page


def test_a_future_appointment_with_no_cancellation_chosen_points_at_the_choices(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    later = appointment(episode, practitioner, at(TODAY, 16))
    page = page_of(as_user(practitioner).post(f"/appointments/{later.pk}/attendance", {"attendance": "5"}))
    assert errors(page) == ["This appointment has not happened yet. Select why it is cancelled"]
    assert re.findall(r'href="#(id_[a-z]+)"', page) == ["id_attendance"]
    page = page_of(as_user(practitioner).post(f"/appointments/{later.pk}/attendance", {}))
    assert errors(page) == ["Select why the appointment is cancelled"]


def test_a_future_appointment_can_be_cancelled(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    later = appointment(episode, practitioner, at(TODAY, 16))
    response = as_user(practitioner).post(
        f"/appointments/{later.pk}/attendance", {"attendance": Attendance.CANCELLED_BY_FAMILY}
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.attendance == Attendance.CANCELLED_BY_FAMILY


def test_two_missed_in_a_row_give_the_lead_a_review_task(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, this_morning: Appointment
) -> None:
    appointment(episode, practitioner, at(dt.date(2026, 11, 25), 10), attendance=Attendance.DID_NOT_ATTEND)

    as_user(practitioner).post(f"/appointments/{this_morning.pk}/attendance", {"attendance": Attendance.DID_NOT_ATTEND})

    task = Task.objects.open().get(kind=TaskKind.REVIEW_MISSED_APPOINTMENTS)
    assert task.assignee == practitioner
    assert task.url == f"/episodes/{episode.pk}"


def test_appointment_is_404_for_an_outsider(
    as_user: Callable[[User], Client], outsider: User, this_morning: Appointment
) -> None:
    client = as_user(outsider)
    for path in ("", "/attendance", "/check-in", "/check-out", "/note", "/addendum", "/countersign"):
        if path:
            assert client.post(f"/appointments/{this_morning.pk}{path}", {"attendance": "5"}).status_code == 404
        else:
            assert client.get(f"/appointments/{this_morning.pk}").status_code == 404
    this_morning.refresh_from_db()
    assert this_morning.attendance == ""
    assert AuditEvent.objects.filter(action="access.refused", object_id=str(this_morning.pk)).count() == 7


def test_actions_only_accept_posts(
    as_user: Callable[[User], Client], practitioner: User, this_morning: Appointment
) -> None:
    assert as_user(practitioner).get(f"/appointments/{this_morning.pk}/attendance").status_code == 405


def test_the_appointment_page_says_when_its_reminder_was_not_sent_and_why(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    """A withdrawn consent to texts stops the reminder; the team sees it where they would act."""
    carer = episode.carers.get()
    carer.contact_preference, carer.phone, carer.email = "sms", "07700 900123", ""
    carer.save()
    given = record_consent(
        actor=acting(practitioner),
        family=episode.family,
        person=carer,
        purpose="contact_text",
        decision="given",
        how="spoken",
    )
    withdraw_consent(actor=acting(practitioner), consent=given, how="spoken", reason="Her partner reads her texts")
    tomorrow = appointment(episode, practitioner, at(TODAY + dt.timedelta(days=1), 14))
    queue_reminders(now=at(TODAY, 14))

    page = unescape(page_of(as_user(practitioner).get(f"/appointments/{tomorrow.pk}")))

    assert "Reminder" in page
    assert "Not sent: Consent to text messages was withdrawn on 2 December 2026" in page
