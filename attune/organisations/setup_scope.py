"""Who may set what up (issue 15). A system administrator sets up everything in their own
organisation's services: the services, their teams, the teams' sites. The integrated care boards
and councils that commission services and whose areas teams serve are public bodies shared by
every provider, so an administrator sees and keeps them all; other providers are strangers (404).
A team lead manages their own team's sites and rooms; anyone else in the team gets 403.

Functions take the person's `Scope` (as every app's scope module does) and refuse through it,
so each refusal is audited."""

import uuid

from django.db.models import Q, QuerySet

from attune.organisations.models import Organisation, OrganisationKind, Service, Site, Team, TeamKind
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope

SHARED_KINDS = [OrganisationKind.ICB, OrganisationKind.LOCAL_AUTHORITY]


def providers(scope: Scope) -> QuerySet[Organisation]:
    """The organisations the person is a system administrator of (their trust)."""
    scope.require(Capability.SET_UP, "organisations.organisation")
    return Organisation.objects.filter(pk__in=scope.organisation_ids(Capability.SET_UP))


def organisations(scope: Scope) -> QuerySet[Organisation]:
    scope.require(Capability.SET_UP, "organisations.organisation")
    own = scope.organisation_ids(Capability.SET_UP)
    return Organisation.objects.filter(Q(pk__in=own) | Q(kind__in=SHARED_KINDS))


def commissioners(scope: Scope) -> QuerySet[Organisation]:
    return organisations(scope).filter(kind__in=SHARED_KINDS)


def councils(scope: Scope) -> QuerySet[Organisation]:
    """The councils whose area a team may serve."""
    return organisations(scope).filter(kind=OrganisationKind.LOCAL_AUTHORITY).order_by("name")


def get_organisation(scope: Scope, organisation_id: uuid.UUID) -> Organisation:
    found = scope.get(organisations(scope), organisation_id, team=None)
    scope.acting_for_organisation(Capability.SET_UP)
    return found


def services(scope: Scope) -> QuerySet[Service]:
    scope.require(Capability.SET_UP, "organisations.service")
    own = scope.organisation_ids(Capability.SET_UP)
    return Service.objects.filter(provider_id__in=own).select_related("provider", "commissioner")


def get_service(scope: Scope, service_id: uuid.UUID) -> Service:
    found = scope.get(services(scope), service_id, team=None)
    scope.acting_for_organisation(Capability.SET_UP)
    return found


def teams(scope: Scope) -> QuerySet[Team]:
    scope.require(Capability.SET_UP, "organisations.team")
    own = scope.organisation_ids(Capability.SET_UP)
    return Team.objects.with_context().filter(service__provider_id__in=own)


def hubs(scope: Scope) -> QuerySet[Team]:
    return teams(scope).filter(kind=TeamKind.HUB)


def get_team(scope: Scope, team_id: uuid.UUID) -> Team:
    found = scope.get(teams(scope), team_id, team=None)
    scope.acting_for_organisation(Capability.SET_UP)
    return found


# Sites: a system administrator of the provider, or the team's own lead ---------------------


def may_manage_sites(scope: Scope, team: Team) -> bool:
    return team.service.provider_id in scope.organisation_ids(Capability.SET_UP) or team.pk in scope.team_ids(
        Capability.LEAD_TEAM
    )


def _allowed(scope: Scope, team: Team | None, object_type: str, object_id: uuid.UUID) -> None:
    if team is not None and may_manage_sites(scope, team):
        if team.pk in scope.team_ids(Capability.LEAD_TEAM):
            scope.acting_in_team(team)
        else:
            scope.acting_for_organisation(Capability.SET_UP)
        return
    if team is not None and team.pk in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.forbidden(object_type, object_id)
    raise scope.not_found(object_type, object_id)


def team_for_sites(scope: Scope, team_id: uuid.UUID) -> Team:
    """The team whose sites the person manages."""
    team = Team.objects.with_context().filter(pk=team_id).first()
    _allowed(scope, team, "organisations.team", team_id)
    assert team is not None
    return team


def get_site(scope: Scope, site_id: uuid.UUID) -> Site:
    site = Site.objects.select_related("team__service").filter(pk=site_id).first()
    _allowed(scope, site.team if site else None, "organisations.site", site_id)
    assert site is not None
    return site
