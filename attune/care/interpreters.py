"""Interpreters booked for appointments (domain reference G.4): book, confirm, cancel. Each is one
action, audited in the same transaction. The person booking confirms the interpreter is a
professional: never a family member, friend or child. One booking in force per appointment; a
cancelled one is kept with who cancelled it and why, and another may then be booked."""

from django.db import transaction
from django.utils import timezone

from attune.care.models import CANCELLED, Appointment, InterpreterBooking, InterpreterMode
from attune.care.services import CareError
from attune.core import audit
from attune.core.actors import Actor
from attune.core.problems import Problems
from attune.families.models import Carer


class InterpreterError(Problems, CareError):
    """What the person must put right, by the form field it is about (`booking` for the whole
    booking); fit to show."""


def _touch(appointment: Appointment) -> None:
    # Kept report figures are worked out again for contacts changed since (reports/snapshots.py),
    # and contacts with an interpreter are one of them.
    appointment.save(update_fields=["updated_at"])


def bookable_problem(appointment: Appointment) -> str:
    """Why no interpreter can be booked for this appointment now, or ''."""
    if appointment.attendance in CANCELLED:
        return "This appointment was cancelled, so you cannot book an interpreter for it"
    if appointment.attendance:
        return "Attendance is already recorded for this appointment, so you cannot book an interpreter for it"
    return ""


@transaction.atomic
def book_interpreter(
    *,
    actor: Actor,
    appointment: Appointment,
    language: str,
    provider: str,
    mode: str,
    professional_confirmed: bool,
    dialect: str = "",
    reference: str = "",
    carer: Carer | None = None,
) -> InterpreterBooking:
    """Book an interpreter for an appointment that has not happened or been cancelled. The
    appointment's row is locked, so two people booking at once cannot both book one."""
    appointment = Appointment.objects.select_for_update().select_related("episode").get(pk=appointment.pk)
    language, dialect = " ".join(language.split()), " ".join(dialect.split())
    provider, reference = " ".join(provider.split()), reference.strip()
    problems: dict[str, str] = {}
    if not language:
        problems["language"] = "Enter the language the interpreter needs to speak"
    if not provider:
        problems["provider"] = "Enter the interpreting service or the interpreter's name"
    if mode not in InterpreterMode.values:
        problems["mode"] = "Select how the interpreter will join the appointment"
    if carer is not None and carer.family_id != appointment.episode.family_id:
        problems["carer"] = "Select someone in this family"
    if not professional_confirmed:
        problems["professional"] = "Confirm the interpreter is a professional, not a family member or friend"
    if problem := bookable_problem(appointment):
        problems = {"booking": problem}
    elif InterpreterBooking.objects.active().filter(appointment=appointment).exists():
        problems = {"booking": "An interpreter is already booked for this appointment. Cancel that booking first"}
    if problems:
        raise InterpreterError(problems)
    booking = InterpreterBooking.objects.create(
        appointment=appointment,
        carer=carer,
        language=language,
        dialect=dialect,
        provider=provider,
        mode=mode,
        reference=reference,
        professional_confirmed=True,
        booked_at=timezone.now(),
        booked_by=actor.person,
    )
    _touch(appointment)
    audit.record(
        action="interpreter.booked",
        actor=actor,
        obj=booking,
        family_id=appointment.episode.family_id,
        person_id=carer.pk if carer else None,
        detail={"appointment": str(appointment.pk), "mode": mode},
    )
    return booking


def _locked(booking: InterpreterBooking) -> InterpreterBooking:
    return InterpreterBooking.objects.select_for_update().select_related("appointment__episode").get(pk=booking.pk)


@transaction.atomic
def confirm_interpreter(*, actor: Actor, booking: InterpreterBooking) -> InterpreterBooking:
    """The service or interpreter has confirmed they will come."""
    booking = _locked(booking)
    if booking.cancelled_at is not None:
        raise InterpreterError({"booking": "This interpreter booking was cancelled, so it cannot be confirmed"})
    if booking.confirmed_at is not None:
        raise InterpreterError({"booking": "This interpreter booking is already confirmed"})
    booking.confirmed_at = timezone.now()
    booking.confirmed_by = actor.person
    booking.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    _touch(booking.appointment)
    audit.record(
        action="interpreter.confirmed",
        actor=actor,
        obj=booking,
        family_id=booking.appointment.episode.family_id,
        detail={"appointment": str(booking.appointment_id)},
    )
    return booking


@transaction.atomic
def cancel_interpreter(*, actor: Actor, booking: InterpreterBooking, reason: str) -> InterpreterBooking:
    """Cancel the booking, keeping it with who cancelled it and why."""
    booking = _locked(booking)
    if booking.cancelled_at is not None:
        raise InterpreterError({"booking": "This interpreter booking is already cancelled"})
    if not reason.strip():
        raise InterpreterError({"reason": "Enter why the interpreter booking is being cancelled"})
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = actor.person
    booking.cancel_reason = reason.strip()
    booking.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    _touch(booking.appointment)
    audit.record(
        action="interpreter.cancelled",
        actor=actor,
        obj=booking,
        family_id=booking.appointment.episode.family_id,
        detail={"appointment": str(booking.appointment_id)},
    )
    return booking
