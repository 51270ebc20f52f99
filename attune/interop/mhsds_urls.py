"""The MHSDS extract: the page (team and month in the address) and the zip to download."""

from django.urls import URLPattern, path

from attune.interop import mhsds_views

urlpatterns: list[URLPattern] = [
    path("mhsds/", mhsds_views.extract_page, name="mhsds"),
    path("mhsds/extract.zip", mhsds_views.extract_download, name="mhsds_download"),
]
