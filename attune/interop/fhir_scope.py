"""Who may use the FHIR pages: a family's record is exported by whoever may see the family
(families.scope: people who work with families in its team); a ServiceRequest is taken into a
team's inbox by the team's coordinators and team leads, who run the inbox."""

import uuid

from attune.families import scope as family_scope
from attune.families.models import Family
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.referrals.scope import INBOX_ROLES


def family_to_export(scope: Scope, family_id: uuid.UUID) -> Family:
    return family_scope.get_family(scope, family_id)


def export_team_ids(scope: Scope) -> set[uuid.UUID]:
    """The teams whose episodes, contacts and measures the person may send."""
    return scope.team_ids(Capability.WORK_WITH_FAMILIES)


def inbox_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """The team whose inbox a ServiceRequest goes into: 404 to someone outside it, 403 to a
    member who does not run its inbox (a practitioner), both audited."""
    roles = scope.team_roles.get(team_id)
    if roles is None:
        raise scope.not_found("organisations.team", team_id)
    if not roles & INBOX_ROLES:
        raise scope.forbidden("organisations.team", team_id)
    return scope.get_team(team_id, Capability.WORK_WITH_FAMILIES)
