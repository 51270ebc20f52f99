"""Change over time: an episode's measures, and each team's schedule of measures. The schedule
rows are chosen by ?schedule=<id>, so no URL parameter is new."""

from django.urls import URLPattern, path

from attune.outcomes.views import progress

urlpatterns: list[URLPattern] = [
    path("episodes/<uuid:episode_id>/outcomes", progress.progress, name="progress"),
    path("teams/<uuid:team_id>/measures", progress.schedules, name="schedules"),
    path("teams/<uuid:team_id>/measures/new", progress.schedule_add, name="schedule_add"),
    path("teams/<uuid:team_id>/measures/change", progress.schedule_change, name="schedule_change"),
    path("teams/<uuid:team_id>/measures/remove", progress.schedule_remove, name="schedule_remove"),
]
