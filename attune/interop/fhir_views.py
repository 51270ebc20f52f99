"""FHIR pages: download a family's record as a FHIR R4 UK Core Bundle for a named receiver, and
take a ServiceRequest file into a team's inbox as a referral. Both are reached through the scope
(a stranger gets 404); reading either page is recorded, as is every download and every upload."""

import logging
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from attune.core import audit
from attune.families.banner import banner_for
from attune.families.models import Family
from attune.families.naming import family_title
from attune.interop import fhir_export, fhir_inbound, fhir_scope, fhir_services
from attune.interop import fhir_forms as forms
from attune.organisations.scope import ScopedRequest

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def export(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse:
    family = fhir_scope.family_to_export(request.scope, family_id)
    if family.merged_into_id is not None:
        return redirect("families:family", family_id=family.merged_into_id)
    form = forms.ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(action="family.viewed", actor=request.actor, obj=family, detail={"page": "fhir_export"})
    if request.method == "POST" and form.is_valid():
        try:
            made = fhir_services.export_family(
                actor=request.actor,
                family=family,
                receiver=form.chosen_receiver(),
                team_ids=fhir_scope.export_team_ids(request.scope),
            )
        except fhir_export.InvalidBundle:
            # A fault in Attune, not in what was chosen: nothing leaves, and it is logged in full.
            logger.exception("The FHIR Bundle for family %s did not validate", family.pk)
            form.add_error(
                None,
                "The record could not be made into a valid FHIR file, so nothing was downloaded. "
                "Tell your system administrator",
            )
            return _export_page(request, family, form)
        response = HttpResponse(made.content, content_type=f"{fhir_services.MEDIA_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        response["Cache-Control"] = "no-store, private"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return _export_page(request, family, form)


def _export_page(request: ScopedRequest, family: Family, form: forms.ExportForm) -> HttpResponse:
    return render(
        request,
        "interop/fhir_export.jinja",
        {"family": family, "title": family_title(family), "banner": banner_for(family), "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def upload(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = fhir_scope.inbox_team(request.scope, team_id)
    form = forms.UploadForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "GET":
        audit.record(action="fhir.upload_viewed", actor=request.actor, obj=team)
    if request.method == "POST" and form.is_valid():
        try:
            payload = fhir_inbound.read_json(form.cleaned_data["file"].read())
            referral = fhir_services.receive_service_request(actor=request.actor, team=team, payload=payload)
        except fhir_services.AlreadyReceived as repeat:
            form.refuse(repeat.message)
            return _upload_page(request, team, form, earlier=repeat.referral.pk)
        except fhir_inbound.FhirInputError as error:
            form.refuse(error.message)
        else:
            messages.success(request, f"Referral {referral.reference} received from the FHIR ServiceRequest.")
            return redirect("referrals:referral", referral_id=referral.pk)
    return _upload_page(request, team, form)


def _upload_page(
    request: ScopedRequest, team: object, form: forms.UploadForm, *, earlier: uuid.UUID | None = None
) -> HttpResponse:
    return render(
        request,
        "interop/fhir_upload.jinja",
        {"team": team, "form": form, "earlier": earlier},
        status=400 if form.is_bound else 200,
    )
