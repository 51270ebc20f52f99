from django.urls import path

from attune.organisations.views import staff, system, teams

app_name = "organisations"
urlpatterns = [
    path("teams", teams.team_list, name="team_list"),
    path("teams/<uuid:team_id>", teams.team_detail, name="team_detail"),
    path("staff", staff.staff_list, name="staff_list"),
    path("staff/<uuid:user_id>", staff.staff_detail, name="staff_detail"),
    path("staff/<uuid:user_id>/disable", staff.disable_account, name="staff_disable"),
    path("staff/<uuid:user_id>/<slug:action>", staff.confirm_action, name="staff_action"),
    path("system/jobs", system.jobs_page, name="system_jobs"),
]
