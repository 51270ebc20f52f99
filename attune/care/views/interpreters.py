"""Booking an interpreter for an appointment, then confirming or cancelling it (domain reference
G.4). One page per appointment: the booking in force with its confirm and cancel forms, or the
form to book one, filled in from the carer who needs an interpreter. Refusals are shown on the
page with everything typed kept."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from attune.care import interpreter_scope, interpreters
from attune.care import scope as care_scope
from attune.care.forms import interpreters as forms
from attune.care.models import Appointment
from attune.care.presenters import diary as diary_presenters
from attune.care.presenters import interpreters as presenters
from attune.care.views.diary import _error_list
from attune.core import audit
from attune.families.banner import banner_for
from attune.families.naming import family_title
from attune.organisations.scope import ScopedRequest


@require_http_methods(["GET", "POST"])
def interpreter(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    carers = list(found.episode.family.carers.all())
    people = presenters.carer_choices(carers)
    if request.method == "GET":
        audit.record(
            action="appointment.viewed",
            actor=request.actor,
            obj=found,
            family_id=found.episode.family_id,
            detail={"page": "interpreter"},
        )
        return _render(request, found, form=forms.InterpreterForm(people=people, initial=presenters.prefilled(carers)))
    form = forms.InterpreterForm(request.POST, people=people)
    if not form.is_valid():
        return _render(request, found, form=form)
    chosen = form.carer_id()
    try:
        booking = interpreters.book_interpreter(
            actor=request.actor,
            appointment=found,
            carer=next((carer for carer in carers if str(carer.pk) == chosen), None),
            language=form.cleaned_data["language"],
            dialect=form.cleaned_data["dialect"],
            provider=form.cleaned_data["provider"],
            mode=form.cleaned_data["mode"],
            reference=form.cleaned_data["reference"],
            professional_confirmed=forms.PROFESSIONAL in form.cleaned_data["professional"],
        )
    except interpreters.InterpreterError as refused:
        for key, message in refused.problems.items():
            # "booking" is about the whole booking; every other problem is named by its field.
            form.add_error(None if key == "booking" else key, message)
        return _render(request, found, form=form)
    messages.success(
        request,
        f"Interpreter booked: {presenters.language_of(booking.language, booking.dialect)}. "
        "Confirm the booking here when the interpreting service confirms it.",
    )
    return redirect("care:appointment", appointment_id=found.pk)


@require_POST
def confirm_interpreter(request: ScopedRequest, appointment_id: uuid.UUID, booking_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    booking = interpreter_scope.get_booking(request.scope, found, booking_id)
    try:
        interpreters.confirm_interpreter(actor=request.actor, booking=booking)
    except interpreters.InterpreterError as refused:
        return _render(request, found, problem=str(refused))
    messages.success(request, f"Interpreter confirmed: {presenters.language_of(booking.language, booking.dialect)}.")
    return redirect("care:appointment", appointment_id=found.pk)


@require_POST
def cancel_interpreter(request: ScopedRequest, appointment_id: uuid.UUID, booking_id: uuid.UUID) -> HttpResponse:
    found = care_scope.get_appointment(request.scope, appointment_id)
    booking = interpreter_scope.get_booking(request.scope, found, booking_id)
    form = forms.CancelInterpreterForm(request.POST)
    if not form.is_valid():
        return _render(request, found, cancel_form=form)
    try:
        interpreters.cancel_interpreter(actor=request.actor, booking=booking, reason=form.cleaned_data["reason"])
    except interpreters.InterpreterError as refused:
        if "reason" in refused.problems:
            form.add_error("reason", refused.problems["reason"])
            return _render(request, found, cancel_form=form)
        return _render(request, found, problem=str(refused))
    messages.success(request, "Interpreter booking cancelled.")
    return redirect("care:appointment", appointment_id=found.pk)


def _render(
    request: ScopedRequest,
    found: Appointment,
    *,
    form: forms.InterpreterForm | None = None,
    cancel_form: forms.CancelInterpreterForm | None = None,
    problem: str = "",
) -> HttpResponse:
    """The page, with the form that was posted and refused kept as typed, or `problem`: a refused
    button (confirm), shown at the top."""
    family = found.episode.family
    carers = list(family.carers.all())
    bookings = interpreter_scope.bookings_of(found)
    booking = presenters.active_of(bookings)
    cannot = interpreters.bookable_problem(found)
    if booking is None and form is None and not cannot:
        form = forms.InterpreterForm(people=presenters.carer_choices(carers), initial=presenters.prefilled(carers))
    if booking is not None and cancel_form is None:
        cancel_form = forms.CancelInterpreterForm()
    error_list = _error_list(form, cancel_form)
    if cannot and booking is None and form is not None and form.is_bound:
        # Booked on a page opened before the appointment was cancelled or attended: no form now.
        error_list, problem = [], cannot
    if problem:
        error_list.insert(0, {"text": problem, "href": "#booking"})
    page = presenters.InterpreterPage(
        appointment=found,
        title=family_title(family),
        banner=banner_for(family),
        heading="Interpreter",
        when=diary_presenters.when(found),
        appointment_url=reverse("care:appointment", args=[found.pk]),
        booking=booking,
        rows=presenters.booking_rows(booking) if booking is not None else [],
        form=form if booking is None and not cannot else None,
        cancel_form=cancel_form if booking is not None else None,
        problem=cannot if booking is None else "",
        needs=presenters.need_text(presenters.needing(carers)),
        earlier=[presenters.booking_rows(b) for b in bookings if b.cancelled_at is not None],
        error_list=error_list,
    )
    return render(request, "care/diary/interpreter.jinja", {"page": page})
