"""Which reports a person may open, what each covers, and whether they may see exact figures.

Entitlements come from commissioning (`report_team_ids`, `report_organisations`,
`report_local_authorities`): team leads read their own teams (and the satellites of a hub they
lead); commissioners read what their organisation commissions or funds, as aggregates only
(DESIGN.md: "sees aggregate, small-number-suppressed reports for what they fund; never a person").
Someone outside gets 404, someone with no report capability anywhere 403, both audited (ADR 0002).

The audience rule: exact figures only for a reader who leads every team in the report (a team lead
looking at their own teams). Everyone else, any commissioner included, and everything that leaves
the team (the printable report, every download) gets small-number suppression (domain reference
C.4, NHS Digital's sub-national rule:
https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018).
"""

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings

from attune.commissioning import entitlements
from attune.commissioning import scope as commissioning_scope
from attune.commissioning.models import FundingAgreement
from attune.core import periods
from attune.core.formatting import date_long
from attune.core.periods import Period
from attune.organisations.models import Organisation, Site, Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.reports.suppression import Rule
from attune.reports.tables import ReportScope


class SubjectKind(StrEnum):
    TEAM = "team"
    ORGANISATION = "organisation"
    AREA = "area"
    AGREEMENT = "agreement"


def sharing_rule() -> Rule:
    """The suppression applied to everything that leaves the team; the one place it is built, so a
    service that sets ATTUNE_SUPPRESSION_UP_TO (say to 10, the ONS research-output threshold) gets
    it on every page, print and download alike."""
    return Rule(up_to=settings.ATTUNE_SUPPRESSION_UP_TO, round_to=settings.ATTUNE_SUPPRESSION_ROUND_TO)


@dataclass(frozen=True)
class Entitled:
    """Every report this person may open."""

    teams: list[Team]
    organisations: list[Organisation]
    areas: list[Organisation]
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    agreements: list[FundingAgreement] = field(default_factory=list)


@dataclass(frozen=True)
class Subject:
    """What one report is about, already checked against the reader's entitlements."""

    kind: SubjectKind
    pk: uuid.UUID
    name: str  # "Blackpool PAIRS hub team", "Lancashire and South Cumbria ICB"
    covers: str  # what the page says the report covers
    entitled_team_ids: frozenset[uuid.UUID]
    organisation: Organisation | None = None
    site: Site | None = None
    sites: tuple[Site, ...] = ()  # a team's sites, to narrow its report to one
    # The period the subject itself fixes (a funding agreement's dates), in place of the chooser.
    period: Period | None = None


def entitled(scope: Scope) -> Entitled:
    """403 for someone who may read no report anywhere; 404 for a report reader entitled to
    nothing now (a commissioner whose organisation commissions nothing, say)."""
    scope.require(Capability.VIEW_AGGREGATES, "reports.report")
    team_ids = entitlements.report_team_ids(scope)
    organisations = entitlements.report_organisations(scope)
    areas = entitlements.report_local_authorities(scope)
    if not (team_ids or organisations or areas):
        raise scope.not_found("reports.report", "")
    teams = list(Team.objects.filter(pk__in=team_ids).order_by("name", "pk"))
    # Each funding agreement the person may see has its own return (the teams it names are
    # among theirs, or their organisation funds or receives it).
    agreements = list(commissioning_scope.agreements(scope).prefetch_related(None))
    scope.acting_for_organisation(Capability.VIEW_AGGREGATES)
    return Entitled(
        teams=teams, organisations=organisations, areas=areas, team_ids=frozenset(team_ids), agreements=agreements
    )


def _refuse(scope: Scope, object_type: str, object_id: object, member: bool) -> Exception:
    # A member of the team without report rights (a practitioner) gets 403; anyone else 404, as
    # if the team did not exist.
    return scope.forbidden(object_type, object_id) if member else scope.not_found(object_type, object_id)


def team_subject(scope: Scope, team_id: uuid.UUID, raw_site: str | None = None) -> Subject:
    team_ids = frozenset(entitlements.report_team_ids(scope))
    if team_id not in team_ids:
        raise _refuse(scope, "organisations.team", team_id, team_id in scope.team_roles)
    team = Team.objects.get(pk=team_id)
    if team_id in scope.team_roles:
        scope.acting_in_team(team)
    else:
        scope.acting_for_organisation(Capability.VIEW_AGGREGATES)
    sites = tuple(Site.objects.filter(team=team).order_by("name", "pk"))
    site = None
    if raw_site:
        site = next((s for s in sites if str(s.pk) == raw_site.strip()), None)
        if site is None:
            raise scope.not_found("organisations.site", raw_site[:40])
    covers = team.name if site is None else f"{team.name}: families whose preferred site is {site.name}"
    return Subject(SubjectKind.TEAM, team.pk, team.name, covers, team_ids, site=site, sites=sites)


def organisation_subject(scope: Scope, organisation_id: uuid.UUID) -> Subject:
    organisations = entitlements.report_organisations(scope)
    organisation = next((o for o in organisations if o.pk == organisation_id), None)
    if organisation is None:
        raise _refuse(scope, "organisations.organisation", organisation_id, organisation_id in scope.organisation_roles)
    scope.acting_for_organisation(Capability.VIEW_AGGREGATES)
    return Subject(
        SubjectKind.ORGANISATION,
        organisation.pk,
        organisation.name,
        f"Everything {organisation.name} funds or commissions",
        frozenset(),
        organisation=organisation,
    )


def area_subject(scope: Scope, area_id: uuid.UUID) -> Subject:
    areas = entitlements.report_local_authorities(scope)
    area = next((a for a in areas if a.pk == area_id), None)
    if area is None:
        raise _refuse(scope, "organisations.organisation", area_id, area_id in scope.organisation_roles)
    scope.acting_for_organisation(Capability.VIEW_AGGREGATES)
    return Subject(
        SubjectKind.AREA,
        area.pk,
        area.name,
        f"Families living in {area.name}",
        frozenset(entitlements.report_team_ids(scope)),
        organisation=area,
    )


def agreement_subject(scope: Scope, agreement_id: uuid.UUID) -> Subject:
    """A funding agreement's return: for whoever may see the agreement (commissioning/scope.py).
    A member of one of its teams without report rights (a practitioner) gets 403, anyone else 404."""
    visible = commissioning_scope.agreements(scope) if scope.can(Capability.VIEW_AGGREGATES) else None
    found = visible.prefetch_related(None).filter(pk=agreement_id).first() if visible is not None else None
    if found is None:
        named = set(
            FundingAgreement.teams.through.objects.filter(fundingagreement_id=agreement_id).values_list(
                "team_id", flat=True
            )
        )
        raise _refuse(scope, "commissioning.fundingagreement", agreement_id, bool(named & set(scope.team_roles)))
    teams = list(found.teams.select_related("hub").order_by("name", "pk"))
    # The audit role: leading one of its teams (or that team's hub), else a commissioning role.
    led = scope.team_ids(Capability.VIEW_AGGREGATES)
    place = next((p for team in teams for p in (team, team.hub) if p is not None and p.pk in led), None)
    if place is not None:
        scope.acting_in_team(place)
    else:
        scope.acting_for_organisation(Capability.VIEW_AGGREGATES)
    try:
        period = periods.between(found.starts_on, found.ends_on)
    except periods.BadPeriod:
        # Outside the years a chooser offers, but an agreement's dates are what they are.
        dates = f"{date_long(found.starts_on)} to {date_long(found.ends_on)}"
        period = Period(found.starts_on, found.ends_on, f"{found.starts_on}..{found.ends_on}", dates)
    return Subject(
        SubjectKind.AGREEMENT,
        found.pk,
        f"{found.funder.name} to {found.recipient.name}",
        f"{found.purpose} ({', '.join(team.name for team in teams)})",
        frozenset(team.pk for team in teams),
        organisation=found.funder,
        period=period,
    )


def report_scope(subject: Subject, period: Period) -> ReportScope:
    """What the indicators count for this subject and period. An organisation's teams depend on
    the period: a funding agreement covers the teams it names only while it runs."""
    if subject.kind is SubjectKind.ORGANISATION:
        assert subject.organisation is not None
        team_ids = frozenset(entitlements.organisation_team_ids(subject.organisation, period.start, period.end))
        return ReportScope(
            start=period.start, end=period.end, team_ids=team_ids, funder_id=subject.pk, label=subject.covers
        )
    if subject.kind is SubjectKind.AGREEMENT:
        return ReportScope(
            start=period.start,
            end=period.end,
            team_ids=subject.entitled_team_ids,
            agreement_id=subject.pk,
            label=subject.covers,
        )
    if subject.kind is SubjectKind.AREA:
        return ReportScope(
            start=period.start,
            end=period.end,
            team_ids=subject.entitled_team_ids,
            local_authority_id=subject.pk,
            label=subject.covers,
        )
    return ReportScope(
        start=period.start,
        end=period.end,
        team_ids=frozenset({subject.pk}),
        site_id=subject.site.pk if subject.site else None,
        label=subject.covers,
    )


def sees_exact_figures(scope: Scope, subject: Subject, covered: ReportScope) -> bool:
    """Exact figures only for a reader who leads every team in the report, and never on a
    funder's report (an organisation's, or one funding agreement's return): that is written for
    the organisation that pays, outside the team."""
    if subject.kind in (SubjectKind.ORGANISATION, SubjectKind.AGREEMENT) or not covered.team_ids:
        return False
    return set(covered.team_ids) <= scope.team_ids(Capability.LEAD_TEAM)
