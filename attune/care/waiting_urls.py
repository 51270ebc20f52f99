"""The waiting list, allocation, transfer and caseloads (team leads; a practitioner's own caseload)."""

from django.urls import URLPattern, path

from attune.care.views import waiting
from attune.care.views.caseload import capacity, my_caseload, practitioner_caseload, team_caseloads

urlpatterns: list[URLPattern] = [
    path("waiting-list", waiting.waiting_teams, name="waiting_teams"),
    path("teams/<uuid:team_id>/waiting-list", waiting.waiting_list, name="waiting_list"),
    path(
        "teams/<uuid:team_id>/waiting-list/<uuid:referral_id>/allocate",
        waiting.allocate,
        name="allocate",
    ),
    path("episodes/<uuid:episode_id>/transfer", waiting.transfer, name="transfer"),
    path("caseload", my_caseload, name="my_caseload"),
    path("teams/<uuid:team_id>/caseloads", team_caseloads, name="team_caseloads"),
    path(
        "teams/<uuid:team_id>/caseloads/<uuid:user_id>",
        practitioner_caseload,
        name="practitioner_caseload",
    ),
    path("teams/<uuid:team_id>/caseloads/<uuid:user_id>/capacity", capacity, name="capacity"),
]
