"""Booking an interpreter for an appointment (issue 19, domain reference G.4): the actions' rules
(a professional, never family; one booking in force; not on a cancelled or attended appointment;
a cancelled booking cannot be confirmed), each write audited."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import IntegrityError, transaction

from attune.accounts.models import User
from attune.care import interpreters
from attune.care.codes import Attendance
from attune.care.models import Appointment, Episode, InterpreterBooking, InterpreterMode
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def friday(episode: Episode, practitioner: User) -> Appointment:
    return appointment(episode, practitioner, at(TODAY + dt.timedelta(days=2), 10))


def book(visit: Appointment, by: User, **changes: object) -> InterpreterBooking:
    fields: dict[str, object] = {
        "language": "Polish",
        "provider": "Lancashire Interpreting Service",
        "mode": InterpreterMode.IN_PERSON,
        "professional_confirmed": True,
    }
    fields.update(changes)
    return interpreters.book_interpreter(actor=acting(by), appointment=visit, **fields)  # type: ignore[arg-type]


def test_an_interpreter_is_booked_then_confirmed_each_audited(
    friday: Appointment, coordinator: User, practitioner: User
) -> None:
    mum = friday.episode.family.carers.get()
    booking = book(friday, coordinator, carer=mum, dialect=" Silesian ", reference="LIS-1234")
    assert (booking.language, booking.dialect, booking.reference) == ("Polish", "Silesian", "LIS-1234")
    assert (booking.booked_by, booking.carer, booking.confirmed_at) == (coordinator, mum, None)
    event = AuditEvent.objects.get(action="interpreter.booked")
    assert (event.object_id, str(event.family_id), str(event.person_id)) == (
        str(booking.pk),
        str(friday.episode.family_id),
        str(mum.pk),
    )

    confirmed = interpreters.confirm_interpreter(actor=acting(practitioner), booking=booking)
    assert confirmed.is_confirmed
    assert confirmed.confirmed_by == practitioner
    assert AuditEvent.objects.filter(action="interpreter.confirmed", object_id=str(booking.pk)).count() == 1


def test_booking_needs_a_language_a_service_and_a_professional(friday: Appointment, coordinator: User) -> None:
    with pytest.raises(interpreters.InterpreterError) as refused:
        book(friday, coordinator, language=" ", provider="", mode="carrier pigeon", professional_confirmed=False)
    assert refused.value.problems == {
        "language": "Enter the language the interpreter needs to speak",
        "provider": "Enter the interpreting service or the interpreter's name",
        "mode": "Select how the interpreter will join the appointment",
        "professional": "Confirm the interpreter is a professional, not a family member or friend",
    }
    assert not InterpreterBooking.objects.exists()
    assert not AuditEvent.objects.filter(action="interpreter.booked").exists()


def test_the_interpreter_is_for_someone_in_the_family(
    friday: Appointment, coordinator: User, world: World, practitioner: User
) -> None:
    stranger = open_episode(world.hub, practitioner).family.carers.get()
    with pytest.raises(interpreters.InterpreterError) as refused:
        book(friday, coordinator, carer=stranger)
    assert refused.value.problems == {"carer": "Select someone in this family"}


def test_one_booking_in_force_per_appointment(friday: Appointment, coordinator: User) -> None:
    first = book(friday, coordinator)
    with pytest.raises(interpreters.InterpreterError) as refused:
        book(friday, coordinator, language="Urdu")
    assert refused.value.problems == {
        "booking": "An interpreter is already booked for this appointment. Cancel that booking first"
    }
    # The database holds to it too, for two people booking at the same moment.
    with pytest.raises(IntegrityError), transaction.atomic():
        InterpreterBooking.objects.create(
            appointment=friday,
            language="Urdu",
            provider="Agency",
            professional_confirmed=True,
            booked_at=first.booked_at,
            booked_by=coordinator,
        )
    interpreters.cancel_interpreter(actor=acting(coordinator), booking=first, reason="Wrong language")
    second = book(friday, coordinator, language="Urdu")
    assert list(InterpreterBooking.objects.active()) == [second]


def test_no_interpreter_is_booked_on_a_cancelled_or_attended_appointment(
    episode: Episode, practitioner: User, coordinator: User
) -> None:
    cancelled = appointment(
        episode, practitioner, at(TODAY + dt.timedelta(days=1)), attendance=Attendance.CANCELLED_BY_FAMILY
    )
    attended = appointment(episode, practitioner, at(TODAY - dt.timedelta(days=1)), attendance=Attendance.ATTENDED)
    with pytest.raises(interpreters.InterpreterError) as refused:
        book(cancelled, coordinator)
    assert refused.value.problems == {
        "booking": "This appointment was cancelled, so you cannot book an interpreter for it"
    }
    with pytest.raises(interpreters.InterpreterError) as refused:
        book(attended, coordinator)
    assert refused.value.problems == {
        "booking": "Attendance is already recorded for this appointment, so you cannot book an interpreter for it"
    }


def test_a_cancelled_booking_is_kept_and_cannot_be_confirmed(friday: Appointment, coordinator: User) -> None:
    booking = book(friday, coordinator)
    with pytest.raises(interpreters.InterpreterError) as refused:
        interpreters.cancel_interpreter(actor=acting(coordinator), booking=booking, reason="  ")
    assert refused.value.problems == {"reason": "Enter why the interpreter booking is being cancelled"}

    cancelled = interpreters.cancel_interpreter(
        actor=acting(coordinator), booking=booking, reason="The family moved the visit"
    )
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == (coordinator, "The family moved the visit")
    assert AuditEvent.objects.filter(action="interpreter.cancelled").count() == 1
    with pytest.raises(interpreters.InterpreterError) as refused:
        interpreters.confirm_interpreter(actor=acting(coordinator), booking=booking)
    assert str(refused.value) == "This interpreter booking was cancelled, so it cannot be confirmed"
    with pytest.raises(interpreters.InterpreterError):
        interpreters.cancel_interpreter(actor=acting(coordinator), booking=booking, reason="Again")
    assert InterpreterBooking.objects.get().confirmed_at is None


def test_a_booking_marks_the_appointment_changed_for_kept_reports(friday: Appointment, coordinator: User) -> None:
    before = friday.updated_at
    with time_machine.travel(at(TODAY, 15), tick=False):
        book(friday, coordinator)
    friday.refresh_from_db()
    assert friday.updated_at > before
