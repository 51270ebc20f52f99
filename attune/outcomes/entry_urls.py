"""Recording measures and acting on risk alerts (staff)."""

from django.urls import URLPattern, path

from attune.outcomes.views import alerts, entry

urlpatterns: list[URLPattern] = [
    path("episodes/<uuid:episode_id>/measures/new", entry.choose, name="choose"),
    path("episodes/<uuid:episode_id>/measures/new/<slug:instrument>", entry.enter, name="enter"),
    path("episodes/<uuid:episode_id>/measures/new/<slug:instrument>/check", entry.check, name="check_measure"),
    path("measures/<uuid:administration_id>", entry.administration, name="administration"),
    path("measures/<uuid:administration_id>/alerts/<uuid:alert_id>", alerts.alert, name="alert"),
    path("measures/<uuid:administration_id>/alerts/<uuid:alert_id>/review", alerts.review, name="alert_review"),
]
