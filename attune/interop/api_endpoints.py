"""The API's endpoints. Each reaches a team through api_scope (a team the token may not act for is
not found), changes things only through the apps' actions with the caller's actor, and is audited
once per call by api.py whatever its answer."""

import uuid

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status

from attune.interop import api_reads, api_referrals, api_scope, fhir_inbound, fhir_services
from attune.interop.api_auth import ApiCaller
from attune.interop.api_schemas import (
    CellOut,
    ColumnOut,
    Invalid,
    PeriodOut,
    ReferralIn,
    ReferralReceived,
    Refusal,
    ReportOut,
    RowOut,
    SectionOut,
    TableOut,
    TeamOut,
    WaitBand,
    WaitingOut,
)
from attune.organisations.models import Team
from attune.referrals import services as referral_services
from attune.referrals.models import Referral
from attune.reports.suppression import rule_note
from attune.reports.tables import ShownRow

router = Router()

# Query parameters, with what the documentation says of them.
TEAM_QUERY = Query(None, description="The team to refer to; needed when the token acts for more than one")
PERIOD_QUERY = Query(..., max_length=30, description="2025-26-Q3, 2025-26 or 2025-10-01..2025-12-31")

# Every endpoint may answer these besides its own: no usable token, and too many calls.
REFUSALS: dict[int, type[Schema]] = {401: Refusal, 429: Refusal}
TEAM_REFUSALS: dict[int, type[Schema]] = {**REFUSALS, 404: Refusal, 422: Invalid}
# And those that take a body: one that is not JSON at all.
BODY_REFUSALS: dict[int, type[Schema]] = {**TEAM_REFUSALS, 400: Refusal}


def _caller(request: HttpRequest) -> ApiCaller:
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, ApiCaller)
    return caller


def _team(team: Team) -> TeamOut:
    return TeamOut(id=team.pk, name=team.name, kind=team.kind, service=team.service.name)


@router.get(
    "/teams", response={200: list[TeamOut], **REFUSALS}, url_name="teams", summary="The teams this token may act for"
)
def teams(request: HttpRequest) -> list[TeamOut]:
    return [_team(team) for team in api_scope.teams_of(_caller(request))]


def _acknowledgement(referral: Referral) -> str:
    if referral.referrer_email:
        return f"An acknowledgement is sent to {referral.referrer_email}, as for a referral sent on the form"
    return "No acknowledgement is sent: no email address was given for the referrer"


def _received(referral: Referral, team: Team) -> ReferralReceived:
    return ReferralReceived(
        reference=referral.reference,
        team=_team(team),
        received_at=referral.received_at,
        status=referral.get_status_display(),
        acknowledgement=_acknowledgement(referral),
    )


@router.post(
    "/teams/{team_id}/referrals",
    response={201: ReferralReceived, **BODY_REFUSALS},
    url_name="send_referral",
    summary="Send a referral to a team",
    description=(
        "The referral arrives in the team's triage inbox as one sent on the public referral form, "
        "checked by the same rules; the referrer is sent the same acknowledgement. A body that breaks "
        "a rule gets 422 with every problem, each with the field it is about."
    ),
)
def send_referral(request: HttpRequest, team_id: uuid.UUID, payload: ReferralIn) -> Status:
    caller = _caller(request)
    team = api_scope.team_for(caller, team_id)
    # All or nothing, answer included: a call that fails may be sent again without a duplicate.
    with transaction.atomic():
        intake = api_referrals.intake_from(payload, team=team, client_name=caller.client.name)
        referral = referral_services.submit_referral(intake=intake, actor=caller.actor)
        answer = _received(referral, team)
    request.api_detail = {"referral": referral.reference}  # type: ignore[attr-defined]
    return Status(201, answer)


@router.post(
    "/fhir/ServiceRequest",
    response={201: ReferralReceived, 409: Refusal, **BODY_REFUSALS},
    url_name="fhir_service_request",
    # The body is read by the FHIR part, which answers a resource of the wrong kind in FHIR's terms.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object", "description": "A FHIR R4 resource"}}},
        }
    },
    summary="Send a referral as a FHIR R4 ServiceRequest (UK Core)",
    description=(
        "A ServiceRequest alone, or a Bundle holding it with its Patients and RelatedPersons, for "
        "example from a health visiting system. `team` names the team; it may be left out when the "
        "token acts for one team only. The same ServiceRequest sent again is refused with 409 and "
        "the reference of the referral it made."
    ),
)
def fhir_service_request(
    request: HttpRequest,
    team: uuid.UUID | None = TEAM_QUERY,
) -> Status:
    caller = _caller(request)
    chosen = api_scope.team_for(caller, team) if team is not None else api_scope.only_team(caller)
    payload = fhir_inbound.read_json(request.body)
    referral = fhir_services.receive_service_request(actor=caller.actor, team=chosen, payload=payload)
    request.api_detail = {"referral": referral.reference, "team": str(chosen.pk)}  # type: ignore[attr-defined]
    return Status(201, _received(referral, chosen))


@router.get(
    "/teams/{team_id}/waiting-list",
    response={200: WaitingOut, **TEAM_REFUSALS},
    url_name="waiting_list",
    summary="How many families wait, and for how long",
    description="Exact counts for the team's own systems: families accepted and not yet allocated.",
)
def waiting_list(request: HttpRequest, team_id: uuid.UUID) -> WaitingOut:
    team = api_scope.team_for(_caller(request), team_id)
    found = api_reads.waiting(team)
    return WaitingOut(
        team=_team(team),
        counted_at=found.counted_at,
        waiting=found.waiting,
        urgent=found.by_priority["urgent"],
        soon=found.by_priority["soon"],
        routine=found.by_priority["routine"],
        priority_not_set=found.by_priority["not_set"],
        by_weeks_waited=[
            WaitBand(label=label, from_weeks=start, to_weeks=end, families=count)
            for label, start, end, count in found.bands
        ],
        longest_wait_days=found.longest_wait_days,
    )


def _row(row: ShownRow) -> RowOut:
    return RowOut(
        label=row.label,
        cells=[CellOut(text=cell.text, value=cell.number, withheld=cell.withheld) for cell in row.cells],
    )


@router.get(
    "/teams/{team_id}/report",
    response={200: ReportOut, **TEAM_REFUSALS},
    url_name="report",
    summary="The team's report tables for a period, small numbers suppressed",
    description=(
        "For commissioners' BI tools: the tables of the team's report for a financial quarter "
        "(period=2025-26-Q3), year (2025-26) or two dates (2025-10-01..2025-12-31), at most 5 years. "
        "Always suppressed, as every download is: counts from 1 to 7 are '*', others rounded to 5."
    ),
)
def report(
    request: HttpRequest,
    team_id: uuid.UUID,
    period: str = PERIOD_QUERY,
) -> ReportOut:
    team = api_scope.team_for(_caller(request), team_id)
    today = timezone.localdate()
    chosen = api_reads.period_of(period, today)
    shared = api_reads.report(team, chosen, today)
    request.api_detail = {"period": chosen.key, "suppressed": True}  # type: ignore[attr-defined]
    return ReportOut(
        team=_team(team),
        period=PeriodOut(key=chosen.key, label=chosen.label, start=chosen.start, end=chosen.end),
        suppressed=True,
        suppression=rule_note(shared.rule),
        worked_out_at=shared.worked_out_at,
        notes=list(shared.shown.notes),
        sections=[
            SectionOut(
                key=section.key,
                title=section.title,
                tables=[
                    TableOut(
                        key=table.key,
                        title=table.title,
                        description=table.description,
                        columns=[
                            ColumnOut(key=c.key, label=c.label, kind=str(c.kind), unit=c.unit) for c in table.columns
                        ],
                        rows=[_row(row) for row in table.rows],
                        total=_row(table.total) if table.total is not None else None,
                        notes=list(table.notes),
                    )
                    for table in section.tables
                ],
            )
            for section in shared.shown.sections
        ],
    )
