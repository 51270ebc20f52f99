"""Which teams' reports a person may read, and what an organisation's report covers.

Team leads read their own teams' reports, and those of the satellites of a hub they lead (the hub
lead answers for them). Commissioners read aggregates only (ADR 0002) for what their organisation
pays for: the teams of services it commissions, and teams named in funding agreements it funds
or receives. A council that funds the satellite sees the satellite, not the hub; the ICB that
commissions the service sees both. Nobody else reads reports.
"""

import uuid
from datetime import date

from django.db.models import Q

from attune.commissioning.models import FundingAgreement
from attune.organisations.models import Organisation, OrganisationKind, Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope

_TEAM_LINKS = FundingAgreement.teams.through


def led_team_ids(scope: Scope) -> set[uuid.UUID]:
    led = scope.team_ids(Capability.VIEW_AGGREGATES)
    if not led:
        return set()
    return led | set(Team.objects.filter(hub_id__in=led).values_list("pk", flat=True))


def _commissioner_team_ids(organisation_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    if not organisation_ids:
        return set()
    commissioned = Team.objects.filter(service__commissioner_id__in=organisation_ids).values_list("pk", flat=True)
    funded = _TEAM_LINKS.objects.filter(
        Q(fundingagreement__funder_id__in=organisation_ids) | Q(fundingagreement__recipient_id__in=organisation_ids)
    ).values_list("team_id", flat=True)
    return set(commissioned) | set(funded)


def report_team_ids(scope: Scope) -> set[uuid.UUID]:
    """Teams whose reports this person may read; empty for anyone without the aggregate capability."""
    return led_team_ids(scope) | _commissioner_team_ids(scope.organisation_ids(Capability.VIEW_AGGREGATES))


def report_organisations(scope: Scope) -> list[Organisation]:
    """The commissioner's own organisations, whose funder and commissioner reports they may open."""
    ids = scope.organisation_ids(Capability.VIEW_AGGREGATES)
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def organisation_team_ids(organisation: Organisation, start: date, end: date) -> set[uuid.UUID]:
    """What an organisation's report covers for [start, end]: the teams of services it commissions,
    plus teams named in agreements it funds that overlap the period."""
    commissioned = Team.objects.filter(service__commissioner=organisation).values_list("pk", flat=True)
    funded = _TEAM_LINKS.objects.filter(
        fundingagreement__funder=organisation,
        fundingagreement__starts_on__lte=end,
        fundingagreement__ends_on__gte=start,
    ).values_list("team_id", flat=True)
    return set(commissioned) | set(funded)


def report_local_authorities(scope: Scope) -> list[Organisation]:
    """Council areas the person may narrow a report to: the areas their entitled teams serve, and
    a council commissioner's own council."""
    team_ids = report_team_ids(scope)
    own = scope.organisation_ids(Capability.VIEW_AGGREGATES)
    if not team_ids and not own:
        return []
    return list(
        Organisation.objects.filter(
            Q(teams_serving__in=team_ids) | Q(pk__in=own, kind=OrganisationKind.LOCAL_AUTHORITY),
            kind=OrganisationKind.LOCAL_AUTHORITY,
        )
        .distinct()
        .order_by("name")
    )
