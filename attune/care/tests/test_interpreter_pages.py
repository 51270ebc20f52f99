"""The interpreter on the appointment page, its own page and the diary (issue 19): a prompt when
someone in the family needs one and none is booked, the booking form filled in from that person,
refusals with everything typed kept, and a line on the diary row."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care import interpreters
from attune.care.codes import Attendance
from attune.care.models import Appointment, Episode, InterpreterBooking, InterpreterMode
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)  # a Wednesday
FRIDAY = TODAY + dt.timedelta(days=2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def friday(episode: Episode, practitioner: User) -> Appointment:
    mum = episode.family.carers.get()
    mum.given_name, mum.family_name = "Anna", "Nowak"
    mum.spoken_language, mum.dialect, mum.interpreter_needed = "Polish", "Silesian", True
    mum.save()
    return appointment(episode, practitioner, at(FRIDAY, 10))


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def summary_errors(response: Any) -> list[str]:
    page = response.content.decode()
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [unescape(item.strip()) for item in re.findall(r"<a [^>]*>(.*?)</a>", summary, re.S)]


def form_for(visit: Appointment, **changes: str) -> dict[str, str]:
    mum = visit.episode.family.carers.get()
    return {
        "carer": str(mum.pk),
        "language": "Polish",
        "dialect": "Silesian",
        "provider": "Lancashire Interpreting Service",
        "mode": InterpreterMode.IN_PERSON,
        "reference": "LIS-1234",
        "professional": "professional",
        **changes,
    }


def booked(visit: Appointment, by: User) -> InterpreterBooking:
    return interpreters.book_interpreter(
        actor=acting(by),
        appointment=visit,
        language="Polish",
        provider="Lancashire Interpreting Service",
        mode=InterpreterMode.PHONE,
        professional_confirmed=True,
    )


def test_the_appointment_page_prompts_when_someone_needs_an_interpreter(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    page = text(as_user(coordinator).get(f"/appointments/{friday.pk}"))
    assert "Anna Nowak needs an interpreter (Polish, Silesian dialect). No interpreter is booked." in page
    assert "Never ask a family member, a friend or a child to interpret." in page
    assert (
        f'href="/appointments/{friday.pk}/interpreter"'
        in as_user(coordinator).get(f"/appointments/{friday.pk}").content.decode()
    )


def test_no_prompt_when_nobody_needs_an_interpreter(
    as_user: Callable[[User], Client], coordinator: User, visit: Appointment
) -> None:
    page = text(as_user(coordinator).get(f"/appointments/{visit.pk}"))
    assert "No interpreter is booked. Book an interpreter" in page
    assert "needs an interpreter" not in page


def test_booking_is_filled_in_from_the_carer_who_needs_one_then_shown_everywhere(
    as_user: Callable[[User], Client], coordinator: User, practitioner: User, friday: Appointment
) -> None:
    client = as_user(coordinator)
    url = f"/appointments/{friday.pk}/interpreter"
    form = client.get(url).content.decode()
    assert 'value="Polish"' in form
    assert 'value="Silesian"' in form
    assert "I confirm the interpreter is a professional, not a family member, friend or child" in form
    read = AuditEvent.objects.get(action="appointment.viewed", object_id=str(friday.pk))
    assert read.detail == {"page": "interpreter"}

    response = client.post(url, form_for(friday))
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{friday.pk}"
    page = text(client.get(f"/appointments/{friday.pk}"))
    assert "Interpreter booked: Polish, Silesian dialect." in page
    assert "Booked" in page
    assert "Lancashire Interpreting Service" in page
    assert "needs an interpreter" not in page  # no prompt once one is booked

    diary = text(as_user(practitioner).get(f"/diary?week={FRIDAY.isoformat()}"))
    assert "Interpreter: Polish, Silesian dialect (booked)" in diary

    booking = InterpreterBooking.objects.get()
    assert client.post(f"{url}/{booking.pk}/confirm").status_code == 302
    page = text(client.get(f"/appointments/{friday.pk}"))
    assert "Interpreter confirmed: Polish, Silesian dialect." in page
    assert "Confirmed" in page
    assert "Cora Coordinator" in page
    diary = text(as_user(practitioner).get(f"/diary?week={FRIDAY.isoformat()}"))
    assert "Interpreter: Polish, Silesian dialect (confirmed)" in diary


def test_the_professional_confirmation_is_required_and_everything_typed_is_kept(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    data = form_for(friday, provider="Mrs Kowalska", reference="REF-77")
    del data["professional"]
    response = as_user(coordinator).post(f"/appointments/{friday.pk}/interpreter", data)
    assert summary_errors(response) == ["Confirm the interpreter is a professional, not a family member or friend"]
    page = response.content.decode()
    assert 'value="Mrs Kowalska"' in page
    assert 'value="REF-77"' in page
    assert "<title>Error: " in page
    assert not InterpreterBooking.objects.exists()


def test_no_language_is_refused(as_user: Callable[[User], Client], coordinator: User, friday: Appointment) -> None:
    response = as_user(coordinator).post(f"/appointments/{friday.pk}/interpreter", form_for(friday, language=""))
    assert summary_errors(response) == ["Enter the language the interpreter needs to speak"]
    assert 'value="Lancashire Interpreting Service"' in response.content.decode()


def test_a_second_booking_is_refused(as_user: Callable[[User], Client], coordinator: User, friday: Appointment) -> None:
    booked(friday, coordinator)
    client = as_user(coordinator)
    # Posted from a page opened before the first booking was made.
    response = client.post(f"/appointments/{friday.pk}/interpreter", form_for(friday, language="Urdu"))
    assert summary_errors(response) == [
        "An interpreter is already booked for this appointment. Cancel that booking first"
    ]
    assert InterpreterBooking.objects.count() == 1


def test_booking_on_a_cancelled_appointment_is_refused(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    Appointment.objects.filter(pk=friday.pk).update(attendance=Attendance.CANCELLED_BY_SERVICE)
    client = as_user(coordinator)
    page = text(client.get(f"/appointments/{friday.pk}/interpreter"))
    assert "This appointment was cancelled, so you cannot book an interpreter for it." in page
    assert "Book interpreter" not in page
    response = client.post(f"/appointments/{friday.pk}/interpreter", form_for(friday))
    assert summary_errors(response) == ["This appointment was cancelled, so you cannot book an interpreter for it"]
    assert not InterpreterBooking.objects.exists()
    assert "needs an interpreter" not in text(client.get(f"/appointments/{friday.pk}"))


def test_confirming_a_cancelled_booking_is_refused(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    booking = booked(friday, coordinator)
    interpreters.cancel_interpreter(actor=acting(coordinator), booking=booking, reason="Visit moved")
    response = as_user(coordinator).post(f"/appointments/{friday.pk}/interpreter/{booking.pk}/confirm")
    assert summary_errors(response) == ["This interpreter booking was cancelled, so it cannot be confirmed"]
    page = text(response)
    assert "Cancelled bookings" in page
    assert "Visit moved" in page


def test_cancelling_needs_a_reason_and_is_kept(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    booking = booked(friday, coordinator)
    client = as_user(coordinator)
    url = f"/appointments/{friday.pk}/interpreter/{booking.pk}/cancel"
    response = client.post(url, {"reason": " "})
    assert summary_errors(response) == ["Enter why the interpreter booking is being cancelled"]
    assert client.post(url, {"reason": "The family no longer needs one"}).status_code == 302
    booking.refresh_from_db()
    assert booking.cancel_reason == "The family no longer needs one"
    page = text(client.get(f"/appointments/{friday.pk}"))
    assert "Interpreter booking cancelled." in page
    assert "Anna Nowak needs an interpreter" in page  # the prompt is back


def test_interpreter_pages_are_not_found_for_a_stranger_or_another_appointment(
    as_user: Callable[[User], Client],
    outsider: User,
    commissioner: User,
    coordinator: User,
    practitioner: User,
    friday: Appointment,
    world: World,
) -> None:
    booking = booked(friday, coordinator)
    url = f"/appointments/{friday.pk}/interpreter"
    for stranger in (outsider, commissioner):
        client = as_user(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url, form_for(friday)).status_code == 404
        assert client.post(f"{url}/{booking.pk}/confirm").status_code == 404
        assert client.post(f"{url}/{booking.pk}/cancel", {"reason": "x"}).status_code == 404
    other = appointment(open_episode(world.hub, practitioner), practitioner, at(FRIDAY, 14))
    assert as_user(coordinator).post(f"/appointments/{other.pk}/interpreter/{booking.pk}/confirm").status_code == 404
    booking.refresh_from_db()
    assert booking.confirmed_at is None
    assert as_user(coordinator).get(f"{url}/{booking.pk}/confirm").status_code == 405


def test_interpreter_page_query_count_does_not_grow_with_cancelled_bookings(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    client = as_user(coordinator)

    def grow(n: int) -> None:
        while InterpreterBooking.objects.filter(appointment=friday).count() < n:
            InterpreterBooking.objects.create(
                appointment=friday,
                language="Polish",
                provider="Agency",
                professional_confirmed=True,
                booked_at=timezone.now(),
                booked_by=coordinator,
                cancelled_at=timezone.now(),
                cancelled_by=coordinator,
                cancel_reason="Moved",
            )

    assert_flat(grow=grow, fetch=lambda: client.get(f"/appointments/{friday.pk}/interpreter"))


def test_diary_query_count_does_not_grow_with_interpreters(
    as_user: Callable[[User], Client], practitioner: User, coordinator: User, world: World
) -> None:
    client = as_user(practitioner)
    slots = (
        at(FRIDAY - dt.timedelta(days=4) + dt.timedelta(days=d), 8, 0) + dt.timedelta(minutes=3 * n)
        for d in range(5)
        for n in range(100)
    )

    def grow(n: int) -> None:
        while Appointment.objects.filter(practitioner=practitioner).count() < n:
            made = appointment(
                open_episode(world.hub, practitioner, opened_at=at(dt.date(2026, 11, 1))),
                practitioner,
                next(slots),
                minutes=2,
            )
            booked(made, coordinator)

    assert_flat(grow=grow, fetch=lambda: client.get("/diary"))
    assert text(client.get("/diary")).count("Interpreter: Polish (booked)") == 200


def test_a_cancelled_appointment_reminds_to_cancel_its_interpreter(
    as_user: Callable[[User], Client], coordinator: User, friday: Appointment
) -> None:
    booked(friday, coordinator)
    Appointment.objects.filter(pk=friday.pk).update(attendance=Attendance.CANCELLED_BY_FAMILY)
    page = text(as_user(coordinator).get(f"/appointments/{friday.pk}"))
    assert "This appointment was cancelled. Cancel the interpreter with the interpreting service too" in page
    assert "Confirm or cancel the interpreter" in page
