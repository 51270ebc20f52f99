"""Data in and out: spreadsheet import, the MHSDS extract, FHIR exchange and the API for other
systems. One urls module per part."""

from django.urls import include, path

app_name = "interop"
urlpatterns = [
    path("", include("attune.interop.import_urls")),
    path("", include("attune.interop.mhsds_urls")),
    path("", include("attune.interop.fhir_urls")),
    path("", include("attune.interop.api_urls")),
]
