"""Scoped look-ups for the interpreter pages: a booking of an appointment already fetched through
the care scope (scope.get_appointment), so a booking on another appointment is not found."""

import uuid

from attune.care.models import Appointment, InterpreterBooking
from attune.organisations.scope import Scope


def get_booking(scope: Scope, appointment: Appointment, booking_id: uuid.UUID) -> InterpreterBooking:
    return scope.get(appointment.interpreter_bookings.select_related("appointment__episode"), booking_id, team=None)


def bookings_of(appointment: Appointment) -> list[InterpreterBooking]:
    """Every booking for the appointment, oldest first, from the page's prefetch when it has one."""
    return list(appointment.interpreter_bookings.all())
