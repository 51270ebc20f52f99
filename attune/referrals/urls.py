"""Referral pages: the public forms (no sign-in) and the team's triage pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("attune.referrals.public_urls")),
    path("", include("attune.referrals.staff_urls")),
]
