"""Lone working on home visits: the practitioners on the visit check in and out on its day, and
the page shows the times once done."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.codes import ContactKind
from attune.care.models import Appointment, Episode
from attune.care.tests.factories_diary import appointment, at
from attune.care.tests.pages import page_of
from attune.core.models import AuditEvent

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(TODAY, 9, 55), tick=False) as traveller:
        yield traveller


def test_practitioner_checks_in_and_out_of_todays_visit(
    as_user: Callable[[User], Client],
    practitioner: User,
    visit: Appointment,
    on_a_wednesday: time_machine.Traveller,
) -> None:
    client = as_user(practitioner)
    page = page_of(client.get(f"/appointments/{visit.pk}"))
    assert "Not checked in." in page
    assert ">Check in<" in re.sub(r"\s*<", "<", re.sub(r">\s*", ">", page))

    response = client.post(f"/appointments/{visit.pk}/check-in")
    assert response.status_code == 302
    page = page_of(client.get(response["Location"]))
    assert "Checked in at 9:55am. Remember to check out." in page
    assert "Checked in at 9:55am on 2 December 2026" in page

    on_a_wednesday.move_to(at(TODAY, 11, 5))
    client = as_user(practitioner)  # an hour later: signed in again after the idle sign-out
    client.post(f"/appointments/{visit.pk}/check-out")
    page = page_of(client.get(f"/appointments/{visit.pk}"))
    assert "Checked out at 11:05am on 2 December 2026" in page
    assert "Check out</button>" not in page
    visit.refresh_from_db()
    assert visit.checked_in_at == at(TODAY, 9, 55)
    assert visit.checked_out_at == at(TODAY, 11, 5)
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="lone_working")] == [
        "lone_working.checked_in",
        "lone_working.checked_out",
    ]


def test_someone_not_on_the_visit_cannot_check_in(
    as_user: Callable[[User], Client], coordinator: User, visit: Appointment
) -> None:
    client = as_user(coordinator)
    assert "Check in</button>" not in re.sub(r"\s+<", "<", page_of(client.get(f"/appointments/{visit.pk}")))

    page = page_of(client.post(f"/appointments/{visit.pk}/check-in"))

    assert "Only the practitioners on this visit can check in or out" in page
    assert 'href="#lone-working"' in page
    visit.refresh_from_db()
    assert visit.checked_in_at is None


def test_checking_in_is_only_on_the_day(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    tomorrow = appointment(episode, practitioner, at(TODAY + dt.timedelta(days=1), 10))
    client = as_user(practitioner)
    assert "Check in</button>" not in re.sub(r"\s+<", "<", page_of(client.get(f"/appointments/{tomorrow.pk}")))

    page = page_of(client.post(f"/appointments/{tomorrow.pk}/check-in"))

    assert "You can check in only on the day of the visit" in page
    tomorrow.refresh_from_db()
    assert tomorrow.checked_in_at is None


def test_checking_out_before_checking_in_is_refused(
    as_user: Callable[[User], Client], practitioner: User, visit: Appointment
) -> None:
    page = page_of(as_user(practitioner).post(f"/appointments/{visit.pk}/check-out"))
    assert "Check in before checking out" in page


def test_calls_are_not_checked_in(as_user: Callable[[User], Client], practitioner: User, episode: Episode) -> None:
    call = appointment(episode, practitioner, at(TODAY, 10), kind=ContactKind.PHONE)
    client = as_user(practitioner)
    assert "Lone working" not in page_of(client.get(f"/appointments/{call.pk}"))
    assert "Only home visits are checked in and out" in page_of(client.post(f"/appointments/{call.pk}/check-in"))


def test_checking_in_far_from_the_booked_time_asks_first_and_audits_the_confirmation(
    as_user: Callable[[User], Client], practitioner: User, episode: Episode, on_a_wednesday: time_machine.Traveller
) -> None:
    morning = appointment(episode, practitioner, at(TODAY, 9))
    on_a_wednesday.move_to(at(TODAY, 23, 4))
    client = as_user(practitioner)

    page = page_of(client.post(f"/appointments/{morning.pk}/check-in"))

    assert "This visit was booked for 9:00am. You are checking in at 11:04pm. Check in anyway?" in page
    assert 'name="confirmed" value="yes"' in page
    morning.refresh_from_db()
    assert morning.checked_in_at is None
    assert not AuditEvent.objects.filter(action="lone_working.checked_in").exists()

    response = client.post(f"/appointments/{morning.pk}/check-in", {"confirmed": "yes"})

    assert response.status_code == 302
    morning.refresh_from_db()
    assert morning.checked_in_at == at(TODAY, 23, 4)
    event = AuditEvent.objects.get(action="lone_working.checked_in")
    assert event.detail == {"far_from_booking": True, "confirmed": True, "minutes_from_booking": 844}


def test_checking_in_near_the_booked_time_asks_nothing(
    as_user: Callable[[User], Client], practitioner: User, visit: Appointment, on_a_wednesday: time_machine.Traveller
) -> None:
    on_a_wednesday.move_to(at(TODAY, 11, 55))  # the 10am visit, within two hours
    response = as_user(practitioner).post(f"/appointments/{visit.pk}/check-in")
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.checked_in_at == at(TODAY, 11, 55)
    assert not AuditEvent.objects.get(action="lone_working.checked_in").detail


def test_the_check_in_window_is_a_setting(
    as_user: Callable[[User], Client],
    practitioner: User,
    visit: Appointment,
    on_a_wednesday: time_machine.Traveller,
    settings: Any,
) -> None:
    settings.CARE_CHECK_IN_CONFIRM_HOURS = 0.5
    on_a_wednesday.move_to(at(TODAY, 10, 45))
    page = page_of(as_user(practitioner).post(f"/appointments/{visit.pk}/check-in"))
    assert "This visit was booked for 10:00am. You are checking in at 10:45am. Check in anyway?" in page
    visit.refresh_from_db()
    assert visit.checked_in_at is None
