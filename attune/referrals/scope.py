"""Scoped look-ups for referrals: seen by people who work with families in the team referred to."""

import uuid

from django.db.models import Prefetch, QuerySet

from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.referrals.models import Referral, ReferralQuerySet, ReferralStatus


def referrals(scope: Scope) -> ReferralQuerySet:
    return Referral.objects.filter(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def inbox(scope: Scope, team: Team) -> QuerySet[Referral]:
    """Referrals waiting for triage in one team, oldest first, with what the page needs."""
    return (
        referrals(scope)
        .filter(team=team)
        .awaiting_triage()
        .select_related("family")
        .prefetch_related(
            "family__infants",
            "family__carers",
            Prefetch("history", queryset=ReferralStatus.objects.order_by("entered_at", "id")),
        )
        .order_by("received_at")
    )


def get_referral(scope: Scope, referral_id: uuid.UUID) -> Referral:
    referral = Referral.objects.select_related("team__service", "family").filter(pk=referral_id).first()
    if referral is None or referral.team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found("referrals.referral", referral_id)
    if referral.team_id not in scope.team_ids(Capability.WORK_WITH_FAMILIES):
        raise scope.forbidden("referrals.referral", referral_id)
    scope.acting_in_team(referral.team)
    return referral
