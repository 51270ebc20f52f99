"""Scoped look-ups for the funding and cost pages (ADR 0002; views reach data only through here).

An agreement is seen by team leads of a team it names (or of that team's hub), and by
commissioners of an organisation that funds it, receives it or commissions a service whose team it
names. Team leads record and change agreements for the teams they lead (and their hub's
satellites); commissioners only read them. Staff costs per post are for the team's leads.
"""

import uuid

from django.db.models import Prefetch, Q, QuerySet

from attune.commissioning import entitlements
from attune.commissioning.models import FundingAgreement, PostCost
from attune.organisations.models import Organisation, Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.workforce.models import Post

_TEAM_LINKS = FundingAgreement.teams.through


def _visible(scope: Scope) -> Q:
    led = entitlements.led_team_ids(scope)
    orgs = scope.organisation_ids(Capability.VIEW_AGGREGATES)
    by_team = _TEAM_LINKS.objects.filter(Q(team_id__in=led) | Q(team__service__commissioner_id__in=orgs)).values(
        "fundingagreement_id"
    )
    return Q(pk__in=by_team) | Q(funder_id__in=orgs) | Q(recipient_id__in=orgs)


def agreements(scope: Scope) -> QuerySet[FundingAgreement]:
    """Agreements the person may see, with what the list shows; 403 without the aggregate capability."""
    scope.require(Capability.VIEW_AGGREGATES, "commissioning.fundingagreement")
    return (
        FundingAgreement.objects.filter(_visible(scope))
        .select_related("funder", "recipient")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("-starts_on", "funder__name", "pk")
    )


def get_agreement(scope: Scope, agreement_id: uuid.UUID) -> FundingAgreement:
    """404 for anyone who may not see it, as if it did not exist."""
    visible = FundingAgreement.objects.filter(_visible(scope) if scope.memberships else Q(pk__in=[]))
    found = scope.get(visible.select_related("funder", "recipient"), agreement_id, team=None)
    _acting(scope, found)
    return found


def _acting(scope: Scope, agreement: FundingAgreement) -> None:
    """Record in the audit role what gave access: leading one of its teams (or that team's hub),
    else a commissioning role."""
    for team in agreement_teams(agreement):
        for place in (team, team.hub):
            if place is not None and place.pk in scope.team_ids(Capability.VIEW_AGGREGATES):
                scope.acting_in_team(place)
                return
    scope.acting_for_organisation(Capability.VIEW_AGGREGATES)


def agreement_teams(agreement: FundingAgreement) -> list[Team]:
    return list(agreement.teams.select_related("hub").order_by("name"))


def agreement_posts(agreement: FundingAgreement) -> list[Post]:
    return list(agreement.posts.select_related("team", "holder").order_by("team__name", "title", "starts_on"))


# Recording and changing ---------------------------------------------------------------------


def editable_team_ids(scope: Scope) -> set[uuid.UUID]:
    """Teams the person leads, and the satellites of a hub they lead."""
    led = scope.team_ids(Capability.LEAD_TEAM)
    if not led:
        return set()
    return led | set(Team.objects.filter(hub_id__in=led).values_list("pk", flat=True))


def is_team_lead_for(scope: Scope, agreement: FundingAgreement) -> bool:
    led = entitlements.led_team_ids(scope)
    return bool(led) and _TEAM_LINKS.objects.filter(fundingagreement=agreement, team_id__in=led).exists()


def recording_teams(scope: Scope) -> list[Team]:
    """Teams the person may record an agreement for; 403 for anyone who leads no team."""
    scope.require(Capability.LEAD_TEAM, "commissioning.fundingagreement")
    return list(Team.objects.filter(pk__in=editable_team_ids(scope)).order_by("name"))


def get_agreement_to_change(scope: Scope, agreement_id: uuid.UUID) -> FundingAgreement:
    """404 for strangers; 403 for someone who sees it but does not lead every team it names
    (commissioners, or a lead of only one of its teams)."""
    found = get_agreement(scope, agreement_id)
    editable = editable_team_ids(scope)
    if not editable or any(team.pk not in editable for team in agreement_teams(found)):
        raise scope.forbidden("commissioning.fundingagreement", agreement_id)
    return found


def organisation_choices() -> list[Organisation]:
    """Funders and recipients: every organisation Attune knows (their names are not personal)."""
    return list(Organisation.objects.order_by("name"))


def posts_of_teams(team_ids: set[uuid.UUID]) -> list[Post]:
    return list(
        Post.objects.filter(team_id__in=team_ids)
        .select_related("team", "holder")
        .order_by("team__name", "title", "starts_on")
    )


# Post costs ---------------------------------------------------------------------------------


def get_costs_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team whose post costs the person keeps: its team leads (403 for other members)."""
    return scope.get_team(team_id, Capability.LEAD_TEAM)


def posts_with_costs(team: Team) -> list[Post]:
    """The team's posts, newest first, each with its cost rows (two queries in all)."""
    return list(
        Post.objects.filter(team=team)
        .select_related("holder")
        .prefetch_related(Prefetch("costs", queryset=PostCost.objects.order_by("effective_from")))
        .order_by("-starts_on", "title", "pk")
    )
