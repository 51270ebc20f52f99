"""A service's intervention weights (issue 15): set by a team lead of one of its hub teams, or a
system administrator of its provider, from a day on. Reached from the hub team's settings."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.care import queries as care_queries
from attune.care import services, settings_scope
from attune.care.forms.settings import WeightsForm
from attune.care.presenters import settings as presenters
from attune.core import audit
from attune.organisations.scope import ScopedRequest


@require_http_methods(["GET", "POST"])
def intervention_weights(request: ScopedRequest, service_id: uuid.UUID) -> HttpResponse:
    found = settings_scope.get_settings_service(request.scope, service_id)
    service = found.service
    today = timezone.localdate()
    interventions = care_queries.interventions_with_weight(service.pk, today)
    page = presenters.WeightsPage(service, found.hub, interventions, care_queries.weight_history(service.pk), today)
    if request.method != "POST":
        audit.record(action="intervention_weights.viewed", actor=request.actor, obj=service)
        form = WeightsForm(interventions=interventions, initial=page.initial())
        return render(request, "care/settings/interventions.jinja", {"page": page, "form": form})
    form = WeightsForm(request.POST, interventions=interventions)
    if form.is_valid():
        day = form.cleaned_data["effective_from"]
        try:
            services.change_intervention_weights(
                actor=request.actor, service=service, weights=form.weights(), effective_from=day
            )
        except services.WeightsError as refused:
            for key, problem in refused.problems.items():
                form.add_error(form.field_for(key), problem)
        else:
            messages.success(request, presenters.weights_changed_message(day, today))
            return redirect("care:intervention_weights", service_id=service.pk)
    return render(request, "care/settings/interventions.jinja", {"page": page, "form": form})
