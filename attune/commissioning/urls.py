"""Funding agreements and post costs."""

from django.urls import URLPattern, URLResolver, path

from attune.commissioning import views

app_name = "commissioning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("funding", views.agreements, name="agreements"),
    path("funding/new", views.new_agreement, name="new_agreement"),
    path("funding/<uuid:agreement_id>", views.agreement, name="agreement"),
    path("funding/<uuid:agreement_id>/change", views.change_agreement, name="change_agreement"),
    path("teams/<uuid:team_id>/costs", views.costs, name="costs"),
]
