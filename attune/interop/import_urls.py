from django.urls import URLPattern, path

from attune.interop import import_views as views

urlpatterns: list[URLPattern] = [
    path("imports/new", views.upload, name="import_new"),
    path("imports/template.xlsx", views.template, name="import_template"),
    path("imports/<uuid:run_id>", views.run_page, name="import_run"),
    path("imports/<uuid:run_id>/problems.csv", views.problems_csv, name="import_problems"),
    path("imports/<uuid:run_id>/start", views.start, name="import_start"),
]
