"""Workforce pages."""

from django.urls import URLPattern, path

from attune.workforce.views import teams, training

app_name = "workforce"
urlpatterns: list[URLPattern] = [
    path("training", training.trainees, name="trainees"),
    path("training/<uuid:plan_id>", training.plan, name="plan"),
    path("training/<uuid:plan_id>/evidence", training.add_evidence, name="add_evidence"),
    path("training/<uuid:plan_id>/sign-off", training.sign_off, name="sign_off"),
    path("teams/<uuid:team_id>/training/new", training.new_plan, name="new_plan"),
    path("teams/<uuid:team_id>/posts", teams.posts, name="posts"),
    path("teams/<uuid:team_id>/posts/new", teams.new_post, name="new_post"),
    path("teams/<uuid:team_id>/posts/change", teams.change_post, name="change_post"),
    path("teams/<uuid:team_id>/activities", teams.activities, name="activities"),
    path("teams/<uuid:team_id>/activities/record", teams.record_activity, name="record_activity"),
]
