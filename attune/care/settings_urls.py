"""A service's care settings: its intervention weights, from a day on."""

from django.urls import URLPattern, path

from attune.care.views import settings

urlpatterns: list[URLPattern] = [
    path("services/<uuid:service_id>/interventions", settings.intervention_weights, name="intervention_weights"),
]
