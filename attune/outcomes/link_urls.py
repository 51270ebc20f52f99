"""Parents' questionnaire links: the practitioner's pages, and the parent's public pages."""

from django.urls import URLPattern, path

from attune.outcomes.views import links, parent

urlpatterns: list[URLPattern] = [
    path("episodes/<uuid:episode_id>/questionnaire-links", links.episode_links, name="episode_links"),
    path("episodes/<uuid:episode_id>/questionnaire-links/new", links.send_link, name="send_link"),
    path("episodes/<uuid:episode_id>/questionnaire-links/<uuid:link_id>/sent", links.link_sent, name="link_sent"),
    path("episodes/<uuid:episode_id>/questionnaire-links/<uuid:link_id>/revoke", links.revoke_link, name="revoke_link"),
    # The parent's pages (no account). thank-you comes first: it would match <str:token> too.
    path("q/thank-you", parent.parent_thanks, name="parent_thanks"),
    path("q/<str:token>", parent.parent_start, name="parent_start"),
    path("q/<str:token>/check", parent.parent_check, name="parent_check"),
    # Before <slug:instrument>, which would match "consent" too.
    path("q/<str:token>/consent", parent.parent_consent, name="parent_consent"),
    path("q/<str:token>/<slug:instrument>", parent.parent_questionnaire, name="parent_questionnaire"),
]
