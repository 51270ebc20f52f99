"""Who may see what in the api part.

Pages: a system administrator manages the tokens of their own organisation (the trust whose teams
the systems act for); anyone without set-up rights gets 403, and another organisation's token is
not found (404), both audited through the scope.

The API: a token acts only for the teams it was issued for; any other team, real or not, is not
found (404), as the pages answer a stranger."""

import uuid

from django.db.models import QuerySet

from attune.interop.api_auth import ApiCaller
from attune.interop.api_models import ApiClient
from attune.organisations import setup_scope
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


class NotInScope(Exception):
    """A team the token may not act for, or none at all: 404 with a message."""


# Pages -----------------------------------------------------------------------------------------


def clients(scope: Scope) -> QuerySet[ApiClient]:
    scope.require(Capability.SET_UP, "interop.apiclient")
    scope.acting_for_organisation(Capability.SET_UP)
    return (
        ApiClient.objects.of_organisations(scope.organisation_ids(Capability.SET_UP))
        .select_related("organisation", "issued_by", "revoked_by")
        .prefetch_related("teams")
    )


def get_client(scope: Scope, client_id: uuid.UUID) -> ApiClient:
    found = scope.get(clients(scope), client_id, team=None)
    scope.acting_for_organisation(Capability.SET_UP)
    return found


def teams_to_choose(scope: Scope) -> list[Team]:
    """The teams of the administrator's own services, hubs first."""
    return list(setup_scope.teams(scope).order_by("service__name", "kind", "name"))


# The API ---------------------------------------------------------------------------------------


def teams_of(caller: ApiCaller) -> QuerySet[Team]:
    return (
        Team.objects.with_context()
        .filter(pk__in=caller.team_ids, service__provider_id=caller.client.organisation_id)
        .order_by("name", "pk")
    )


def team_for(caller: ApiCaller, team_id: uuid.UUID) -> Team:
    team = teams_of(caller).filter(pk=team_id).first() if team_id in caller.team_ids else None
    if team is None:
        raise NotInScope("There is no team with this id that this token may act for")
    return team


def only_team(caller: ApiCaller) -> Team:
    """The one team a token acts for, when a call need not name it."""
    teams = list(teams_of(caller)[:2])
    if len(teams) != 1:
        raise NotInScope("This token acts for more than one team: name the team with ?team=<id>")
    return teams[0]
