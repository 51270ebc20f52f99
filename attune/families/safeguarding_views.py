"""Safeguarding referral pages: make a referral, see it (outcomes, meetings, pre-birth
timescales), record an outcome, the council's reference, and its meetings. Every page is about a
family, shows its banner, and records that it was read."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.core.formatting import LONDON, date_long, datetime_long, time_short
from attune.families import safeguarding
from attune.families import safeguarding_forms as forms
from attune.families import safeguarding_presenters as presenters
from attune.families import safeguarding_scope as sg_scope
from attune.families import scope as family_scope
from attune.families.models import Family
from attune.families.pages import current_family, family_page, record_read
from attune.families.safeguarding_models import SafeguardingMeeting, SafeguardingReferral
from attune.organisations.scope import ScopedRequest


def _to_referral(referral: SafeguardingReferral) -> HttpResponse:
    return redirect(
        "families:safeguarding_referral", family_id=referral.family_id, safeguarding_referral_id=referral.pk
    )


@require_http_methods(["GET", "POST"])
def new_referral(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    infants = list(found.infants.all())
    initial: dict[str, Any] = {}
    if chosen := request.GET.get("infant"):
        # A link from a child's record names the child; one not in this family is not found.
        initial["infant"] = str(family_scope.get_infant(request.scope, found, chosen).pk)  # type: ignore[arg-type]
    elif len(infants) == 1:
        initial["infant"] = str(infants[0].pk)
    council = found.local_authority_id or found.team.local_authority_id
    if council:
        initial["council"] = str(council)
    form = forms.NewReferralForm(request.POST or None, initial=initial, infants=infants, councils=sg_scope.councils())
    record_read(request, found, "safeguarding_referral_new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = safeguarding.make_safeguarding_referral(
                actor=request.actor,
                family=found,
                infant=form.chosen_infant(),
                concern=data["concern"],
                referred_on=data["referred_on"],
                council=form.chosen_council(),
                council_reference=data["council_reference"],
            )
        except safeguarding.SafeguardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Safeguarding referral recorded.")
            return _to_referral(referral)
    return family_page(request, "families/safeguarding_new.jinja", found, {"form": form})


def referral(request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    item = sg_scope.get_referral(request.scope, found, safeguarding_referral_id)
    record_read(request, found, "safeguarding_referral", person_id=item.infant_id, referral=str(item.pk))
    view = presenters.referral_page(item, sg_scope.statuses_of(item), sg_scope.meetings_of(item), timezone.localdate())
    return family_page(
        request,
        "families/safeguarding_referral.jinja",
        found,
        {
            "referral": item,
            "view": view,
            "child": presenters.child_name(item.infant),
            "birth_to_tell": item.pre_birth and item.infant.is_born and sg_scope.birth_task_open(item),
        },
    )


@require_http_methods(["POST"])
def birth_told(request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    item = sg_scope.get_referral(request.scope, found, safeguarding_referral_id)
    try:
        safeguarding.record_birth_told(actor=request.actor, referral=item)
    except safeguarding.SafeguardingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Recorded: children's social care knows of the birth.")
    return _to_referral(item)


@require_http_methods(["GET", "POST"])
def record_outcome(request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    item = sg_scope.get_referral(request.scope, found, safeguarding_referral_id)
    form = forms.OutcomeForm(request.POST or None)
    record_read(request, found, "safeguarding_outcome", person_id=item.infant_id, referral=str(item.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            status = safeguarding.record_safeguarding_outcome(
                actor=request.actor,
                referral=item,
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                note=data["note"],
            )
        except safeguarding.SafeguardingError as error:
            form.add_error("outcome" if "outcome" in str(error) or "closed" in str(error) else "decided_on", str(error))
        else:
            messages.success(request, f"Outcome recorded: {status.get_status_display().lower()}.")
            return _to_referral(item)
    return family_page(
        request,
        "families/safeguarding_outcome.jinja",
        found,
        {
            "form": form,
            "referral": item,
            "child": presenters.child_name(item.infant),
            "now": presenters.outcome_label(getattr(item, "current_status", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def council_reference(
    request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID
) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    item = sg_scope.get_referral(request.scope, found, safeguarding_referral_id)
    form = forms.CouncilReferenceForm(request.POST or None, initial={"reference": item.council_reference})
    record_read(request, found, "safeguarding_council_reference", person_id=item.infant_id, referral=str(item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            safeguarding.add_council_reference(
                actor=request.actor, referral=item, reference=form.cleaned_data["reference"]
            )
        except safeguarding.SafeguardingError as error:
            form.add_error("reference", str(error))
        else:
            messages.success(request, "The council's reference is saved.")
            return _to_referral(item)
    return family_page(
        request,
        "families/safeguarding_council_reference.jinja",
        found,
        {"form": form, "referral": item, "child": presenters.child_name(item.infant)},
    )


@require_http_methods(["GET", "POST"])
def add_meeting(request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    item = sg_scope.get_referral(request.scope, found, safeguarding_referral_id)
    form = forms.MeetingForm(request.POST or None, referral=item)
    record_read(request, found, "safeguarding_meeting_new", person_id=item.infant_id, referral=str(item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = safeguarding.schedule_safeguarding_meeting(
                actor=request.actor,
                referral=item,
                kind=form.cleaned_data["kind"],
                starts_at=form.starts_at(),
                notes=form.cleaned_data["notes"],
            )
        except safeguarding.SafeguardingError as error:
            form.add_error("date", str(error))
        else:
            early = safeguarding.conference_too_early(item, meeting.kind, form.cleaned_data["date"])
            if early:
                messages.warning(
                    request,
                    "This conference is before the week the council's pre-birth timescales allow. "
                    "Check the date with children's social care.",
                )
            messages.success(request, f"{meeting.get_kind_display()} added for {date_long(meeting.starts_at)}.")
            return _to_referral(item)
    return family_page(
        request,
        "families/safeguarding_meeting.jinja",
        found,
        {
            "form": form,
            "referral": item,
            "child": presenters.child_name(item.infant),
            "timescales": presenters.timescale_lines(item),
        },
    )


def _meeting(
    request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID, meeting_id: uuid.UUID
) -> tuple[Family, SafeguardingReferral, SafeguardingMeeting] | HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    item = sg_scope.get_referral(request.scope, found, safeguarding_referral_id)
    return found, item, sg_scope.get_meeting(request.scope, item, meeting_id)


def _change_meeting(
    request: ScopedRequest,
    got: tuple[Family, SafeguardingReferral, SafeguardingMeeting],
    form: Form,
    *,
    page: str,
    error_field: str,
    change: Callable[[SafeguardingMeeting, dict[str, Any]], str],
) -> HttpResponse:
    """The shape the meeting's pages share (held, cancelled, moved): the form, the action (which
    returns what to tell the person), its refusal on the form, back to the referral when done."""
    found, item, meeting = got
    record_read(request, found, f"safeguarding_{page}", person_id=item.infant_id, referral=str(item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            done = change(meeting, form.cleaned_data)
        except safeguarding.SafeguardingError as error:
            form.add_error(error_field, str(error))
        else:
            messages.success(request, done)
            return _to_referral(item)
    return family_page(
        request,
        f"families/safeguarding_{page}.jinja",
        found,
        {"form": form, "referral": item, "meeting_heading": presenters.meeting_heading(meeting)},
    )


@require_http_methods(["GET", "POST"])
def meeting_held(
    request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID, meeting_id: uuid.UUID
) -> HttpResponse:
    got = _meeting(request, family_id, safeguarding_referral_id, meeting_id)
    if isinstance(got, HttpResponse):
        return got

    def held(meeting: SafeguardingMeeting, data: dict[str, Any]) -> str:
        safeguarding.record_meeting_held(
            actor=request.actor, meeting=meeting, attendance=data["attendance"], outcome_notes=data["outcome_notes"]
        )
        return f"{meeting.get_kind_display()} recorded as held."

    form = forms.MeetingHeldForm(request.POST or None)
    return _change_meeting(request, got, form, page="meeting_held", error_field="attendance", change=held)


@require_http_methods(["GET", "POST"])
def cancel_meeting(
    request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID, meeting_id: uuid.UUID
) -> HttpResponse:
    got = _meeting(request, family_id, safeguarding_referral_id, meeting_id)
    if isinstance(got, HttpResponse):
        return got

    def cancel(meeting: SafeguardingMeeting, data: dict[str, Any]) -> str:
        safeguarding.cancel_safeguarding_meeting(actor=request.actor, meeting=meeting, reason=data["reason"])
        return f"{meeting.get_kind_display()} cancelled."

    form = forms.CancelMeetingForm(request.POST or None)
    return _change_meeting(request, got, form, page="meeting_cancel", error_field="reason", change=cancel)


@require_http_methods(["GET", "POST"])
def move_meeting(
    request: ScopedRequest, family_id: uuid.UUID, safeguarding_referral_id: uuid.UUID, meeting_id: uuid.UUID
) -> HttpResponse:
    got = _meeting(request, family_id, safeguarding_referral_id, meeting_id)
    if isinstance(got, HttpResponse):
        return got
    _, item, meeting = got
    initial = {"date": meeting.starts_at.astimezone(LONDON).date(), "start_time": time_short(meeting.starts_at)}
    form = forms.MoveMeetingForm(request.POST or None, initial=initial, referral=item)

    def move(meeting: SafeguardingMeeting, data: dict[str, Any]) -> str:
        safeguarding.move_safeguarding_meeting(actor=request.actor, meeting=meeting, starts_at=form.starts_at())
        return f"{meeting.get_kind_display()} moved to {datetime_long(meeting.starts_at)}."

    return _change_meeting(request, got, form, page="meeting_move", error_field="date", change=move)
