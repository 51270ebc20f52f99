"""Who may set a service's care settings (issue 15): its intervention weights are the service's,
shared by its hub and satellite teams, so they are set by a team lead of one of its hub teams or
a system administrator of the organisation that provides it, as team settings are
(referrals.scope.get_settings_team). Anyone else in one of its teams gets 403; everyone else
404, as if the service did not exist. Each refusal is audited through the scope."""

import uuid
from dataclasses import dataclass

from attune.organisations.models import Service, Team, TeamKind
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


@dataclass(frozen=True)
class ServiceSettings:
    """The service, and the hub team whose settings page the person came from and goes back to:
    the first hub they lead, else (a system administrator) the service's first hub."""

    service: Service
    hub: Team | None


def get_settings_service(scope: Scope, service_id: uuid.UUID) -> ServiceSettings:
    service = Service.objects.select_related("provider").filter(pk=service_id).first()
    teams = list(Team.objects.filter(service_id=service_id).order_by("name", "pk")) if service else []
    hubs = [team for team in teams if team.kind == TeamKind.HUB]
    led = [team for team in hubs if team.pk in scope.team_ids(Capability.LEAD_TEAM)]
    if service is not None and led:
        scope.acting_in_team(led[0])
        return ServiceSettings(service, led[0])
    if service is not None and service.provider_id in scope.organisation_ids(Capability.MANAGE_ACCOUNTS):
        scope.acting_for_organisation(Capability.MANAGE_ACCOUNTS)
        return ServiceSettings(service, hubs[0] if hubs else None)
    if any(team.pk in scope.team_ids(Capability.VIEW_TEAM) for team in teams):
        raise scope.forbidden("organisations.service", service_id)
    raise scope.not_found("organisations.service", service_id)
