from django.urls import path

from attune.organisations.views import setup

app_name = "setup"
urlpatterns = [
    path("setup", setup.index, name="index"),
    path("setup/organisations", setup.organisation_list, name="organisations"),
    path("setup/organisations/new", setup.organisation_new, name="organisation_new"),
    path("setup/organisations/<uuid:organisation_id>", setup.organisation_edit, name="organisation"),
    path("setup/services", setup.service_list, name="services"),
    path("setup/services/new", setup.service_new, name="service_new"),
    path("setup/services/<uuid:service_id>", setup.service_edit, name="service"),
    path("setup/teams", setup.team_list, name="teams"),
    path("setup/teams/new", setup.team_new, name="team_new"),
    path("setup/teams/<uuid:team_id>", setup.team_edit, name="team"),
    path("setup/teams/<uuid:team_id>/sites", setup.site_list, name="sites"),
    path("setup/teams/<uuid:team_id>/sites/new", setup.site_new, name="site_new"),
    path("setup/sites/<uuid:site_id>", setup.site_edit, name="site"),
]
