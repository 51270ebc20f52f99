"""What the appointment page, the interpreter page and the diary show about interpreters, built
from models already fetched (the appointment's bookings and its family's carers, prefetched)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.care.models import CANCELLED, Appointment, InterpreterBooking
from attune.core.formatting import datetime_long
from attune.core.rows import SummaryRow
from attune.families.models import Carer
from attune.families.presenters import tag_html

NEVER_FAMILY = "Always use a professional interpreter. Never ask a family member, a friend or a child to interpret."


def language_of(language: str, dialect: str) -> str:
    """'Polish', 'Bengali, Sylheti dialect'."""
    return f"{language}, {dialect} dialect" if dialect else language


def status_text(booking: InterpreterBooking) -> str:
    if booking.cancelled_at is not None:
        return "cancelled"
    return "confirmed" if booking.confirmed_at is not None else "booked"


def status_tag(booking: InterpreterBooking) -> str:
    colour = {"confirmed": "green", "booked": "yellow", "cancelled": "grey"}[status_text(booking)]
    return tag_html(status_text(booking).capitalize(), colour)


def active_of(bookings: Iterable[InterpreterBooking]) -> InterpreterBooking | None:
    return next((b for b in bookings if b.cancelled_at is None), None)


def diary_line(appointment: Appointment) -> str:
    """'Interpreter: Polish (booked)' under the contact in a diary row, or ''. Reads the active
    booking prefetched onto the row (queries.diary_rows), so a row costs no query."""
    found = getattr(appointment, "active_interpreters", None) or []
    if not found:
        return ""
    booking = found[0]
    return format_html(
        '<br><span class="nhsuk-body-s">Interpreter: {} ({})</span>',
        language_of(booking.language, booking.dialect),
        status_text(booking),
    )


def needing(carers: Iterable[Carer]) -> list[Carer]:
    return [carer for carer in carers if carer.interpreter_needed]


def need_text(carers: Iterable[Carer]) -> str:
    """'Anna Nowak needs a Polish interpreter.' for each carer who needs one."""
    return " ".join(
        f"{carer.full_name or 'A parent or carer'} needs an interpreter"
        + (f" ({language_of(carer.spoken_language, carer.dialect)})." if carer.spoken_language else ".")
        for carer in carers
    )


def booking_rows(booking: InterpreterBooking) -> list[SummaryRow]:
    rows: list[SummaryRow] = [
        {"key": {"text": "Status"}, "value": {"html": status_tag(booking)}},
        {"key": {"text": "Language"}, "value": {"text": language_of(booking.language, booking.dialect)}},
    ]
    if booking.carer is not None:
        rows.append({"key": {"text": "For"}, "value": {"text": booking.carer.full_name}})
    rows += [
        {"key": {"text": "Interpreting service"}, "value": {"text": booking.provider}},
        {"key": {"text": "How"}, "value": {"text": booking.get_mode_display()}},
    ]
    if booking.reference:
        rows.append({"key": {"text": "Booking reference"}, "value": {"text": booking.reference}})
    rows.append(
        {
            "key": {"text": "Booked"},
            "value": {"text": f"{datetime_long(booking.booked_at)} by {booking.booked_by.full_name}"},
        }
    )
    if booking.confirmed_at is not None and booking.confirmed_by is not None:
        rows.append(
            {
                "key": {"text": "Confirmed"},
                "value": {"text": f"{datetime_long(booking.confirmed_at)} by {booking.confirmed_by.full_name}"},
            }
        )
    if booking.cancelled_at is not None and booking.cancelled_by is not None:
        rows.append(
            {
                "key": {"text": "Cancelled"},
                "value": {
                    "text": f"{datetime_long(booking.cancelled_at)} by {booking.cancelled_by.full_name}: "
                    f"{booking.cancel_reason}"
                },
            }
        )
    return rows


@dataclass(frozen=True)
class InterpreterSection:
    """The appointment page's interpreter part: the booking in force, or a prompt to book one."""

    booking: InterpreterBooking | None
    rows: list[SummaryRow]
    prompt: str  # someone in the family needs an interpreter and none is booked
    problem: str  # why none can be booked now ("This appointment was cancelled, ...")
    url: str  # the interpreter page
    cancelled_appointment: bool = False  # booked, but the appointment was cancelled since


def section(appointment: Appointment, bookings: list[InterpreterBooking], problem: str) -> InterpreterSection:
    booking = active_of(bookings)
    needs = needing(appointment.episode.family.carers.all())
    prompt = f"{need_text(needs)} No interpreter is booked." if needs and booking is None and not problem else ""
    return InterpreterSection(
        booking=booking,
        rows=booking_rows(booking) if booking is not None else [],
        prompt=prompt,
        problem=problem,
        url=reverse("care:interpreter", args=[appointment.pk]),
        cancelled_appointment=booking is not None and appointment.attendance in CANCELLED,
    )


def carer_choices(carers: Iterable[Carer]) -> list[tuple[str, str]]:
    return [(str(carer.pk), carer.full_name or "Parent or carer") for carer in carers]


def prefilled(carers: list[Carer]) -> dict[str, Any]:
    """The booking form filled from the first carer who needs an interpreter."""
    for carer in needing(carers):
        return {"carer": str(carer.pk), "language": carer.spoken_language, "dialect": carer.dialect}
    return {}


@dataclass
class InterpreterPage:
    appointment: Appointment
    title: str
    banner: Any
    heading: str
    when: str
    appointment_url: str
    booking: InterpreterBooking | None
    rows: list[SummaryRow]
    form: Any  # InterpreterForm when one can be booked
    cancel_form: Any  # CancelInterpreterForm while a booking is in force
    problem: str
    needs: str
    earlier: list[list[SummaryRow]] = field(default_factory=list)  # cancelled bookings
    error_list: list[dict[str, str]] = field(default_factory=list)
