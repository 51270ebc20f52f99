"""Family record pages: the family as one unit of care, its safeguarding flags, the birth of an
unborn baby, possible duplicates and undoing a merge. Every page shows the safeguarding banner."""

import uuid

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.core import audit
from attune.core.formatting import date_long
from attune.families import duplicates, forms, presenters, services
from attune.families import scope as family_scope
from attune.families.banner import banner_for
from attune.families.pages import current_family, family_page, record_read
from attune.organisations.scope import ScopedRequest

# Set by the referral's link page after a merge: the kept family's page shows it once, with Undo.
JUST_MERGED = "families.just_merged"


def family(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    found = family_scope.get_family(scope, family_id)
    if found.merged_into_id is not None:
        merge = family_scope.merged_away(found)
        when = f" on {date_long(merge.created_at)} by {merge.merged_by.full_name}" if merge else ""
        messages.info(request, f"The family record you opened was merged into this one{when}.")
        return redirect("families:family", family_id=found.merged_into_id)
    today = timezone.localdate()
    # Fetched once onto the family: the sections other parts register (consent) read them too.
    prefetch_related_objects([found], "infants", "carers")
    infants = list(found.infants.all())
    carers = list(found.carers.all())
    flags = family_scope.flags_of(found)
    active = [flag for flag in flags if flag.removed_at is None]
    removed = [flag for flag in flags if flag.removed_at is not None]
    merges = family_scope.merges_into(found)
    just_merged = request.session.pop(JUST_MERGED, None)
    linked = next((m for m in merges if just_merged and str(m.pk) == just_merged and m.undone_at is None), None)
    audit.record(action="family.viewed", actor=request.actor, obj=found)
    # The banner first: it reads every safeguarding referral for that section too, in its one query.
    banner = banner_for(found, flags=active, keep_referrals=True)
    return family_page(
        request,
        "families/family.jinja",
        found,
        {
            "banner": banner,
            "infants": [
                {"infant": infant, "rows": presenters.infant_rows(infant, today), "unborn": not infant.is_born}
                for infant in infants
            ],
            "carers": [presenters.carer_rows(carer) for carer in carers],
            "household_rows": presenters.household_rows(found),
            "active_flag_rows": presenters.active_flag_rows(found, active),
            "removed_flag_rows": presenters.removed_flag_rows(removed),
            "merge_rows": presenters.merge_rows(found, merges),
            "just_merged": linked,
            "just_merged_text": (
                f"{presenters.moved_summary(linked.moved)} moved to this record from the other family record. "
                "If they are not the same family, undo this now."
                if linked
                else ""
            ),
            "sections": family_scope.related_sections(scope, found),
            "may_audit": family_scope.may_audit(scope, found),
        },
    )


@require_http_methods(["GET", "POST"])
def raise_flag(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    form = forms.RaiseFlagForm(request.POST or None)
    record_read(request, found, "raise_flag")
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.raise_flag(
                actor=request.actor, family=found, kind=form.cleaned_data["kind"], detail=form.cleaned_data["detail"]
            )
        except services.FamilyError as error:
            form.add_error("kind", str(error))
        else:
            messages.success(request, f"Safeguarding flag added: {flag.get_kind_display()}.")
            return redirect("families:family", family_id=found.pk)
    return family_page(request, "families/raise_flag.jinja", found, {"form": form})


@require_http_methods(["GET", "POST"])
def remove_flag(request: ScopedRequest, family_id: uuid.UUID, flag_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    flag = family_scope.get_flag(request.scope, found, flag_id)
    form = forms.RemoveFlagForm(request.POST or None)
    record_read(request, found, "remove_flag")
    error = ""
    if flag.removed_at is not None:
        error = "This safeguarding flag has already been removed"
    elif request.method == "POST" and form.is_valid():
        try:
            services.remove_flag(actor=request.actor, flag=flag, reason=form.cleaned_data["reason"])
        except services.FamilyError as problem:
            form.add_error("reason", str(problem))
        else:
            messages.success(request, f"Safeguarding flag removed: {flag.get_kind_display()}.")
            return redirect("families:family", family_id=found.pk)
    return family_page(
        request,
        "families/remove_flag.jinja",
        found,
        {"form": form, "flag": flag, "flag_text": presenters.flag_lines([flag])[0], "error": error},
    )


@require_http_methods(["GET", "POST"])
def record_birth(request: ScopedRequest, family_id: uuid.UUID, infant_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    infant = family_scope.get_infant(request.scope, found, infant_id)
    if infant.is_born:
        messages.info(request, f"{infant.display_name} is already recorded as born.")
        return redirect("families:family", family_id=found.pk)
    initial = {"family_name": infant.family_name, "given_name": infant.given_name}
    form = forms.RecordBirthForm(request.POST or None, initial=initial)
    record_read(request, found, "record_birth", person_id=infant.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_birth(
                actor=request.actor,
                infant=infant,
                date_of_birth=data["date_of_birth"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                nhs_number=data["nhs_number"],
            )
        except services.FamilyError as error:
            form.add_error("date_of_birth", str(error))
        else:
            messages.success(request, f"Birth recorded: {infant.full_name}, born {date_long(infant.date_of_birth)}.")
            return redirect("families:family", family_id=found.pk)
    return family_page(
        request,
        "families/record_birth.jinja",
        found,
        {"form": form, "infant": infant, "due": date_long(infant.expected_due_date)},
    )


def check_duplicates(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    candidates = duplicates.candidates_for(found, family_scope.families(request.scope))
    audit.record(action="family.duplicates_checked", actor=request.actor, obj=found, detail={"found": len(candidates)})
    return family_page(
        request,
        "families/duplicates.jinja",
        found,
        {"candidates": presenters.candidate_views(candidates, timezone.localdate())},
    )


@require_http_methods(["GET", "POST"])
def undo_merge(request: ScopedRequest, family_id: uuid.UUID, merge_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    merge = family_scope.get_merge(request.scope, found, merge_id)
    error = "This merge has already been undone" if merge.undone_at is not None else ""
    record_read(request, found, "undo_merge")
    if request.method == "POST" and not error:
        try:
            restored = services.undo_merge(actor=request.actor, merge=merge)
        except services.FamilyError as problem:
            error = str(problem)
        else:
            put_back = (
                f" {presenters.details_taken_summary(merge.details_taken)} went back to what the record held before."
                if merge.details_taken
                else ""
            )
            messages.success(
                request,
                f"The merge is undone. {presenters.moved_summary(merge.moved)} moved back to this record.{put_back}",
            )
            return redirect("families:family", family_id=restored.pk)
    return family_page(
        request,
        "families/undo_merge.jinja",
        found,
        {
            "merge": merge,
            "moved": presenters.moved_summary(merge.moved),
            "details_taken": presenters.details_taken_summary(merge.details_taken),
            "error": error,
        },
    )
