"""Scoped look-ups for referrals: seen by people who work with families in the team referred to."""

import uuid

from django.db.models import Prefetch, QuerySet

from attune.families import queries as family_queries
from attune.families.models import Family
from attune.organisations.models import Organisation, OrganisationKind, Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.referrals import dated
from attune.referrals.models import EligibilityRules, Referral, ReferralQuerySet, ReferralStatus, RulesVersion

# A team with no stored rules works to the model's default triage target.

# Who runs a team's inbox, so may also take in referrals sent as files from other systems.
INBOX_ROLES = frozenset({Role.COORDINATOR, Role.TEAM_LEAD})


def runs_inbox(scope: Scope, team_id: uuid.UUID) -> bool:
    return bool(scope.team_roles.get(team_id, set()) & INBOX_ROLES)


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
        .order_by("received_at", "pk")  # the key last: pages of the inbox neither repeat nor skip
    )


def get_referral(scope: Scope, referral_id: uuid.UUID) -> Referral:
    """404 outside the referral's team, 403 for a role there that does not work with families."""
    return scope.get(
        Referral.objects.select_related("team__service", "family"), referral_id, act=Capability.WORK_WITH_FAMILIES
    )


# Added for the triage pages -------------------------------------------------------------------


def inbox_teams(scope: Scope) -> QuerySet[Team]:
    """The teams whose referrals the person triages."""
    return scope.teams(Capability.WORK_WITH_FAMILIES).order_by("kind", "name")


def get_inbox_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team's inbox: 404 outside the team, 403 for a role there that does not work with families."""
    return scope.get_team(team_id, Capability.WORK_WITH_FAMILIES)


def inbox_page(scope: Scope, team: Team) -> QuerySet[Referral]:
    """The inbox with the safeguarding flags each row shows as a tag: a fixed number of queries
    however many referrals wait."""
    return inbox(scope, team).prefetch_related(family_queries.active_flags())


def open_referrals(scope: Scope) -> QuerySet[Referral]:
    """Every referral waiting for triage in the person's teams, with the history its clock needs."""
    return (
        referrals(scope)
        .awaiting_triage()
        .only("id", "team_id", "received_at")
        .prefetch_related(Prefetch("history", queryset=ReferralStatus.objects.order_by("entered_at", "id")))
    )


def triage_targets(team_ids: set[uuid.UUID]) -> dated.Targets:
    """Each team's triage targets over time (the default where a team has no rules): a referral's
    clock runs to the target in force on the day it was received."""
    return EligibilityRules.objects.target_history(team_ids)


def rules_history(team_id: uuid.UUID) -> list[RulesVersion]:
    """The team's rules over time, with their areas, triage and first-contact targets, in one query."""
    return EligibilityRules.objects.history_of(team_id)


def get_referral_page(scope: Scope, referral_id: uuid.UUID) -> Referral:
    """The referral with everything its page shows, in a fixed number of queries. Refuses as
    get_referral does: 404 outside the team, 403 for a role there that does not work with families."""
    return scope.get(
        Referral.objects.select_related("team__service", "team__local_authority", "family__local_authority")
        .prefetch_related(
            "family__infants",
            "family__carers",
            # The banner's flags and risk alerts come in one query (families.scope.banner_of).
            Prefetch("history", queryset=ReferralStatus.objects.select_related("by").order_by("entered_at", "id")),
        )
        .filter(team_id__in=scope.team_ids(Capability.VIEW_TEAM)),
        referral_id,
        act=Capability.WORK_WITH_FAMILIES,
    )


def for_family(scope: Scope, family: Family) -> QuerySet[Referral]:
    """A family's referrals (the family page), newest first, with their current status."""
    return referrals(scope).filter(family=family).with_status().select_related("team").order_by("-received_at")


# Team settings (issue 15, S4) -------------------------------------------------------------------


def get_settings_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team whose rules the person sets: its team lead, or a system administrator of the
    organisation that provides its service. 404 to strangers, 403 to other members."""
    admin_of = scope.organisation_ids(Capability.MANAGE_ACCOUNTS)
    if admin_of and team_id not in scope.team_ids(Capability.LEAD_TEAM):
        team = Team.objects.with_context().filter(pk=team_id, service__provider_id__in=admin_of).first()
        if team is not None:
            scope.acting_for_organisation(Capability.MANAGE_ACCOUNTS)
            return team
    return scope.get_team(team_id, Capability.LEAD_TEAM)


def service_areas() -> QuerySet[Organisation]:
    """The council areas a team may cover."""
    return Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).order_by("name")


def team_rules_rows(team: Team) -> list[EligibilityRules]:
    """Every version of the team's rules, oldest first, with their areas (two queries)."""
    return list(EligibilityRules.objects.filter(team=team).prefetch_related("areas").order_by("effective_from"))
