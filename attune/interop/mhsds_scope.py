"""Who may build a team's MHSDS extract: the extract names every person the team saw in the month,
so only the team's lead, or a system administrator of the trust that runs the team (who submits
the trust's return), may. A stranger to the team gets 404 as if it did not exist; a member of the
team without the role (a practitioner) gets 403; both audited by the scope (ADR 0002)."""

import uuid

from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def _administered(scope: Scope) -> set[uuid.UUID]:
    trusts = scope.organisation_ids(Capability.SET_UP)
    if not trusts:
        return set()
    return set(Team.objects.filter(service__provider_id__in=trusts).values_list("pk", flat=True))


def teams(scope: Scope) -> list[Team]:
    """The teams whose extract this person may build, by name; 403 for someone who may build
    none (a practitioner, a commissioner)."""
    allowed = scope.team_ids(Capability.LEAD_TEAM) | _administered(scope)
    if not allowed:
        raise scope.forbidden("interop.mhsds_extract")
    return list(
        Team.objects.filter(pk__in=allowed)
        .select_related("service__provider", "service__commissioner")
        .order_by("name", "pk")
    )


def team(scope: Scope, team_id: uuid.UUID, allowed: list[Team]) -> Team:
    """One team whose extract this person may build, out of `teams(scope)`, with the role that
    allows it named in the audit log."""
    found = next((t for t in allowed if t.pk == team_id), None)
    if found is not None and team_id in scope.team_ids(Capability.LEAD_TEAM):
        scope.acting_in_team(found)
        return found
    if found is not None:
        scope.acting_for_organisation(Capability.SET_UP)
        return found
    if team_id in scope.team_roles:
        raise scope.forbidden("organisations.team", team_id)
    raise scope.not_found("organisations.team", team_id)
