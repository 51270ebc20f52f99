from django.urls import path

from attune.referrals.views import settings, staff

app_name = "referrals"
urlpatterns = [
    path("referrals", staff.teams, name="teams"),
    path("teams/<uuid:team_id>/referrals", staff.inbox, name="inbox"),
    path("referrals/<uuid:referral_id>", staff.referral, name="referral"),
    path("referrals/<uuid:referral_id>/decide/<slug:decision>", staff.decide, name="decide"),
    path("referrals/<uuid:referral_id>/letter", staff.letter, name="letter"),
    path("referrals/<uuid:referral_id>/link/<uuid:family_id>", staff.link_family, name="link_family"),
    path("teams/<uuid:team_id>/settings", settings.team_settings, name="team_settings"),
    path("teams/<uuid:team_id>/settings/rules", settings.team_rules, name="team_rules"),
    path("teams/<uuid:team_id>/settings/catchment", settings.team_catchment, name="team_catchment"),
]
