"""A trainee's signed note under review: its history, the supervisor returning it with comments
instead of countersigning, and the trainee answering with an addendum."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attune.care import queries as care_queries
from attune.care import scope as care_scope
from attune.care.models import Appointment, Note, NoteStatus
from attune.core import audit
from attune.core.formatting import paragraphs
from attune.families.banner import banner_for
from attune.families.naming import family_title
from attune.organisations.roles import Role
from attune.organisations.scope import ScopedRequest
from attune.supervision import forms, presenters, services
from attune.supervision import queries as supervision_queries
from attune.supervision.models import NoteReturn


def _note_for_review(request: ScopedRequest, appointment_id: uuid.UUID) -> tuple[Appointment, Note]:
    """A signed note, for whoever may see its appointment (care's scope): 404 while unsigned."""
    appointment = care_scope.get_appointment(request.scope, appointment_id)
    note = care_queries.note_of(appointment)
    signed = note if note is not None and note.status == NoteStatus.SIGNED else None
    return appointment, request.scope.found(signed, "care.note", appointment_id)


def note(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment, found = _note_for_review(request, appointment_id)
    returns = supervision_queries.returns_of(found)
    audit.record(action="note.history_viewed", actor=request.actor, obj=found, family_id=appointment.episode.family_id)
    return _render(request, appointment, found, returns)


def _render(
    request: ScopedRequest,
    appointment: Appointment,
    found: Note,
    returns: list[NoteReturn],
    *,
    return_form: forms.ReturnNoteForm | None = None,
    answer_form: forms.AnswerReturnForm | None = None,
) -> HttpResponse:
    user = request.user
    open_return = next((r for r in returns if r.answered_at is None), None)
    supervises = Role.SUPERVISOR in request.scope.team_roles.get(appointment.episode.team_id, frozenset())
    can_return = found.awaiting_countersignature and open_return is None and supervises and found.author_id != user.pk
    can_answer = open_return is not None and found.author_id == user.pk
    family = appointment.episode.family
    return render(
        request,
        "supervision/note.jinja",
        {
            "appointment": appointment,
            "note": found,
            "title": family_title(family),
            "banner": banner_for(family),
            "paragraphs": paragraphs(found.body),
            "history": presenters.note_history(found, returns),
            "open_return": open_return,
            # A refused post shows its form again with the reason, whoever sent it.
            "return_form": return_form or (forms.ReturnNoteForm() if can_return else None),
            "answer_form": answer_form or (forms.AnswerReturnForm() if can_answer else None),
            "appointment_url": reverse("care:appointment", args=[appointment.pk]),
        },
    )


@require_POST
def return_note(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment, found = _note_for_review(request, appointment_id)
    returns = supervision_queries.returns_of(found)
    form = forms.ReturnNoteForm(request.POST)
    if form.is_valid():
        try:
            services.return_note(actor=request.actor, note=found, comments=form.cleaned_data["comments"])
        except services.SupervisionError as refused:
            form.add_error("comments", str(refused))
        else:
            messages.success(request, f"Note returned to {found.author.full_name} with your comments.")
            return redirect("supervision:note", appointment_id=appointment.pk)
    return _render(request, appointment, found, returns, return_form=form)


@require_POST
def answer_return(request: ScopedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment, found = _note_for_review(request, appointment_id)
    returns = supervision_queries.returns_of(found)
    form = forms.AnswerReturnForm(request.POST)
    if form.is_valid():
        try:
            services.answer_returned_note(actor=request.actor, note=found, addendum=form.cleaned_data["addendum"])
        except services.SupervisionError as refused:
            form.add_error("addendum", str(refused))
        else:
            messages.success(request, "Addendum added. The note has gone back to your supervisor to countersign.")
            return redirect("supervision:note", appointment_id=appointment.pk)
    return _render(request, appointment, found, returns, answer_form=form)
