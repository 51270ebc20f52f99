"""Who may import a caseload: a team lead into their own team, and a system administrator into
any team of their organisation's services (who sets the teams up). Anyone else in the team gets
403; a stranger to the team gets 404. An import run is seen by whoever may import into its team."""

import uuid

from django.db.models import QuerySet

from attune.interop.import_models import ImportRun
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def _administered(scope: Scope) -> QuerySet[Team]:
    return Team.objects.filter(service__provider_id__in=scope.organisation_ids(Capability.SET_UP))


def team_ids(scope: Scope) -> set[uuid.UUID]:
    """The teams the person may import into."""
    ids = scope.team_ids(Capability.LEAD_TEAM)
    if scope.organisation_ids(Capability.SET_UP):
        ids |= set(_administered(scope).values_list("pk", flat=True))
    return ids


def teams(scope: Scope) -> list[Team]:
    """The teams to choose from, by kind and name; 403 to someone who may import into none."""
    ids = team_ids(scope)
    if not ids:
        raise scope.forbidden("interop.importrun")
    return list(Team.objects.with_context().filter(pk__in=ids).order_by("kind", "name"))


def _acting(scope: Scope, team: Team) -> None:
    if team.pk in scope.team_ids(Capability.LEAD_TEAM):
        scope.acting_in_team(team)
    else:
        scope.acting_for_organisation(Capability.SET_UP)


def _check(scope: Scope, team_id: uuid.UUID, allowed: set[uuid.UUID], object_type: str, object_id: object) -> None:
    if team_id in allowed:
        return
    if team_id in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.forbidden(object_type, object_id)
    raise scope.not_found(object_type, object_id)


def get_team(scope: Scope, team_id: uuid.UUID | str) -> Team:
    """A team chosen on the upload form."""
    try:
        team = Team.objects.with_context().filter(pk=team_id).first()
    except (ValueError, TypeError):
        team = None
    if team is None:
        raise scope.not_found("organisations.team", team_id)
    _check(scope, team.pk, team_ids(scope), "organisations.team", team_id)
    _acting(scope, team)
    return team


def get_run(scope: Scope, run_id: uuid.UUID) -> ImportRun:
    """One import run, without its file or the rows read from it (the pages never need them, and
    the page of a file being checked asks again every few seconds)."""
    run = scope.get(
        ImportRun.objects.select_related("team", "uploaded_by").defer("parsed", "content"),
        run_id,
        team=None,
        object_type="interop.importrun",
    )
    _check(scope, run.team_id, team_ids(scope), "interop.importrun", run_id)
    _acting(scope, run.team)
    return run
