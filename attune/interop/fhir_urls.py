from django.urls import URLPattern, path

from attune.interop import fhir_views as views

urlpatterns: list[URLPattern] = [
    path("families/<uuid:family_id>/fhir", views.export, name="fhir_export"),
    path("teams/<uuid:team_id>/referrals/fhir", views.upload, name="fhir_upload"),
]
