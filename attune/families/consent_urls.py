from django.urls import path

from attune.families import consent_views

urlpatterns = [
    path("families/<uuid:family_id>/consent/<uuid:person_id>", consent_views.person_consent, name="consent"),
    path(
        "families/<uuid:family_id>/consent/<uuid:person_id>/<uuid:consent_id>/withdraw",
        consent_views.withdraw_consent,
        name="withdraw_consent",
    ),
]
