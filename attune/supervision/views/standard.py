"""The service's supervision standard (issue 15): what it asks in plain words, a change from a
day on, and the history of changes. A team lead of one of the service's hub teams, or a system
administrator of its provider, may change it; team leads and supervisors of its other teams read
it (standard_scope.standard_service)."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.core import audit
from attune.core.formatting import date_long
from attune.organisations.scope import ScopedRequest
from attune.supervision import forms, presenters, queries, services, standard_scope
from attune.supervision import standard as standards


def _applies(day: object) -> str:
    return "today" if day == timezone.localdate() else f"on {date_long(day)}"  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def supervision_standard(request: ScopedRequest, service_id: uuid.UUID) -> HttpResponse:
    place = standard_scope.standard_service(request.scope, service_id, change=request.method == "POST")
    page = presenters.StandardPage(place, queries.standard_changes(place.service.pk), timezone.localdate())
    if request.method != "POST":
        audit.record(
            action="supervision.standard_viewed",
            actor=request.actor,
            obj=place.service,
            detail={"in_force": standards.describe(page.now)},
        )
        form = forms.StandardForm(initial=page.initial()) if place.may_change else None
        return render(request, "supervision/standard.jinja", {"page": page, "form": form})
    form = forms.StandardForm(request.POST)
    if form.is_valid():
        effective_from = form.cleaned_data["effective_from"]
        try:
            services.change_supervision_standard(
                actor=request.actor,
                service=place.service,
                standard=form.chosen_standard(),
                effective_from=effective_from,
            )
        except services.StandardError as refused:
            for name, problem in refused.problems.items():
                form.add_error(name, problem)
        else:
            messages.success(
                request, f"The supervision standard is changed. The change applies {_applies(effective_from)}."
            )
            return redirect("supervision:standard", service_id=place.service.pk)
    return render(request, "supervision/standard.jinja", {"page": page, "form": form})
