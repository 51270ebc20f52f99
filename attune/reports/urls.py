"""Report pages. Each report has a page, a printable version and two downloads; the period is a
query parameter (?period=2025-26-Q3), a team's site another (?site=<uuid>)."""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path

from attune.reports import views

app_name = "reports"


def _report(prefix: str, param: str, name: str, found: dict[str, Callable[..., HttpResponse]]) -> list[URLPattern]:
    return [
        path(f"{prefix}/<uuid:{param}>/", found["page"], name=name),
        path(f"{prefix}/<uuid:{param}>/print", found["print"], name=f"{name}_print"),
        path(f"{prefix}/<uuid:{param}>/export.csv", found["csv"], name=f"{name}_csv"),
        path(f"{prefix}/<uuid:{param}>/export.xlsx", found["xlsx"], name=f"{name}_xlsx"),
    ]


urlpatterns: list[URLPattern] = [
    path("reports/", views.index, name="index"),
    *_report("reports/teams", "team_id", "team", views.team),
    *_report("reports/organisations", "organisation_id", "organisation", views.organisation),
    *_report("reports/areas", "area_id", "area", views.area),
    *_report("reports/agreements", "agreement_id", "agreement", views.agreement),
]
