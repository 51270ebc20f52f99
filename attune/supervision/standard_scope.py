"""Who may see and set a service's supervision standard (issue 15). Kept beside scope.py, which
says who may see supervision sessions and compliance, so neither grows into a catch-all."""

import uuid
from dataclasses import dataclass

from attune.organisations.models import Service, Team, TeamKind
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


@dataclass(frozen=True)
class StandardPlace:
    """The service whose supervision standard is shown, whether this person may change it, and
    the team page they came from (for the back link)."""

    service: Service
    may_change: bool
    settings_team: Team | None  # a hub team whose settings they may change
    compliance_team: Team | None  # else a team whose compliance they follow


def standard_service(scope: Scope, service_id: uuid.UUID, *, change: bool = False) -> StandardPlace:
    """The service's supervision standard, decided as team settings are
    (referrals.scope.get_settings_team): a team lead of one of its hub teams, or a system
    administrator of the organisation that provides it, may change it. Team leads and clinical
    supervisors of its other teams may read it (their compliance pages measure against it), and
    get 403 if they try to change it; any other member of its teams gets 403, and everyone else
    404. All refusals are audited."""
    service = Service.objects.select_related("provider").filter(pk=service_id).first()
    if service is None:
        raise scope.not_found("organisations.service", service_id)
    mine = [m.team for m in scope.memberships if m.team is not None and m.team.service_id == service.pk]
    leads = scope.team_ids(Capability.LEAD_TEAM)
    hub_led = next((team for team in mine if team.pk in leads and team.kind == TeamKind.HUB), None)
    if hub_led is not None:
        scope.acting_in_team(hub_led)
        return StandardPlace(service, True, hub_led, None)
    if service.provider_id in scope.organisation_ids(Capability.MANAGE_ACCOUNTS):
        scope.acting_for_organisation(Capability.MANAGE_ACCOUNTS)
        first_hub = Team.objects.filter(service=service, kind=TeamKind.HUB).order_by("name", "pk").first()
        return StandardPlace(service, True, first_hub, None)
    followers = leads | scope.team_ids(Capability.SUPERVISE)
    followed = next((team for team in mine if team.pk in followers), None)
    if not mine:
        raise scope.not_found("organisations.service", service_id)
    if followed is None or change:
        raise scope.forbidden("organisations.service", service_id)
    scope.acting_in_team(followed)
    return StandardPlace(service, False, None, followed)
