"""Safeguarding referrals, under the family they belong to (included by families/urls.py, so the
names are in the "families" namespace)."""

from django.urls import URLPattern, path

from attune.families import safeguarding_views as views

BASE = "families/<uuid:family_id>/safeguarding-referrals"
ONE = f"{BASE}/<uuid:safeguarding_referral_id>"

urlpatterns: list[URLPattern] = [
    path(f"{BASE}/new", views.new_referral, name="safeguarding_referral_new"),
    path(ONE, views.referral, name="safeguarding_referral"),
    path(f"{ONE}/outcome", views.record_outcome, name="safeguarding_outcome"),
    path(f"{ONE}/birth-told", views.birth_told, name="safeguarding_birth_told"),
    path(f"{ONE}/council-reference", views.council_reference, name="safeguarding_council_reference"),
    path(f"{ONE}/meetings/new", views.add_meeting, name="safeguarding_meeting_new"),
    path(f"{ONE}/meetings/<uuid:meeting_id>/held", views.meeting_held, name="safeguarding_meeting_held"),
    path(f"{ONE}/meetings/<uuid:meeting_id>/move", views.move_meeting, name="safeguarding_meeting_move"),
    path(f"{ONE}/meetings/<uuid:meeting_id>/cancel", views.cancel_meeting, name="safeguarding_meeting_cancel"),
]
