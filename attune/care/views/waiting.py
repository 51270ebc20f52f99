"""The team lead's side of the care pathway: each team's waiting list, allocating a family to a
practitioner (or a pair) who has room, and transferring an episode to someone else, in this team
or another team of the same service."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from attune.care import queries as care_queries
from attune.care import scope as care_scope
from attune.care import services
from attune.care.codes import WorkerRole
from attune.care.forms.allocation import AllocationForm, TransferForm
from attune.care.models import Episode, PractitionerCapacity
from attune.care.presenters import waiting as presenters
from attune.core import audit, paging
from attune.families.banner import banner_for
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

# The waiting list ----------------------------------------------------------------------------

# Families on one page of a waiting list (a hub at region scale had 170 waiting).
WAITING_PAGE = 50


def waiting_teams(request: ScopedRequest) -> HttpResponse:
    """The teams the person leads, with how many wait; straight to the list when there is one."""
    scope = request.scope
    scope.require(Capability.LEAD_TEAM, "care.waiting_list")
    found = list(care_scope.lead_teams(scope))
    if len(found) == 1:
        return redirect("care:waiting_list", team_id=found[0].pk)
    counts = care_scope.waiting_counts(scope, found)
    audit.record(action="waiting_list.teams_viewed", actor=request.actor, detail={"teams": len(found)})
    return render(request, "care/waiting/teams.jinja", {"teams": presenters.team_waiting(found, counts)})


def waiting_list(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    team = care_scope.get_lead_team(scope, team_id)
    shown = paging.paging(
        care_scope.waiting_list(scope, team),
        request,
        per_page=WAITING_PAGE,
        one="family",
        many="families",
        label="Waiting list pages",
    )
    referrals = care_scope.waiting_rows(scope, team, shown.page.object_list)
    audit.record(
        action="waiting_list.viewed",
        actor=request.actor,
        obj=team,
        detail={"count": shown.count, "page": shown.number},
    )
    return render(
        request,
        "care/waiting/list.jinja",
        {
            "team": team,
            "rows": presenters.waiting_rows(
                referrals, today=timezone.localdate(), targets=care_queries.first_contact_targets([team.pk])
            ),
            "paging": shown,
            "caseloads_url": reverse("care:team_caseloads", args=[team.pk]),
        },
    )


# Allocation ----------------------------------------------------------------------------------


def _allocation_form(
    request: ScopedRequest,
    referral: Referral,
    capacities: list[PractitionerCapacity],
    loads: dict[object, Decimal],
    weights: services.Weights,
) -> AllocationForm:
    family = referral.family
    interventions = care_queries.active_interventions()
    participants = [(f"infant:{i.pk}", presenters.participant_name(i)) for i in family.infants.all()] + [
        (f"carer:{c.pk}", presenters.carer_name(c)) for c in family.carers.all()
    ]
    hints = {}
    for capacity in capacities:
        load = loads.get(capacity.practitioner_id, Decimal("0"))
        hint = presenters.capacity_hint(capacity, load)
        hints[str(capacity.practitioner_id)] = hint if presenters.has_room(capacity, load) else f"Full: {hint}"
    return AllocationForm(
        request.POST if request.method == "POST" else None,
        practitioners=[(str(c.practitioner_id), c.practitioner.full_name) for c in capacities],
        practitioner_hints=hints,
        interventions=[(str(i.pk), i.name) for i in interventions],
        intervention_hints={
            str(i.pk): presenters.intervention_hint(weights.get(i.pk, i.caseload_weight)) for i in interventions
        },
        participants=participants,
    )


@require_http_methods(["GET", "POST"])
def allocate(request: ScopedRequest, team_id: uuid.UUID, referral_id: uuid.UUID) -> HttpResponse:
    """Allocate a family on the waiting list to a lead practitioner (and a co-worker), which opens
    an episode of care. Going past someone's capacity needs a reason."""
    scope = request.scope
    team = care_scope.get_lead_team(scope, team_id)
    referral = care_scope.get_waiting_referral(scope, team, referral_id)
    existing = care_queries.episode_of(referral)
    if existing is not None:
        return _already_allocated(request, team, referral, existing)
    if getattr(referral, "current_status", None) != Status.ACCEPTED.value:
        messages.info(request, f"{referral.reference} is not on the waiting list, so it cannot be allocated.")
        return redirect("care:waiting_list", team_id=team.pk)
    capacities = care_scope.team_capacities(scope, [team.pk])
    weights = services.weights_today(team.service_id)
    loads = services.weighted_caseloads(team, [c.practitioner_id for c in capacities], weights=weights)
    form = _allocation_form(request, referral, capacities, loads, weights)
    problems: list[SafeString | str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = {str(c.practitioner_id): c.practitioner for c in capacities}
        chosen = {str(i.pk): i for i in care_queries.active_interventions()}
        family = referral.family
        wanted = set(data["participants"])
        lead = people[data["lead"]]
        co_worker = people.get(data["co_worker"] or "")
        try:
            episode = services.allocate_episode(
                actor=request.actor,
                referral=referral,
                lead=lead,
                co_worker=co_worker,
                interventions=[chosen[pk] for pk in data["interventions"]],
                infants=[i for i in family.infants.all() if f"infant:{i.pk}" in wanted],
                carers=[c for c in family.carers.all() if f"carer:{c.pk}" in wanted],
                planned_review_on=data["planned_review_on"],
                override_reason=data["override_reason"],
            )
        except services.AlreadyAllocated as taken:
            return _already_allocated(request, team, referral, taken.episode)
        except services.CapacityExceeded as over:
            form.add_error("override_reason", presenters.over_capacity_message(over.over))
        except services.CareError as error:
            problems.append(str(error))
        else:
            messages.success(request, presenters.allocated_message(presenters.family_name(family), lead, co_worker))
            return redirect("care:episode", episode_id=episode.pk)
    return _render_allocate(request, team, referral, form=form, problems=problems, has_capacities=bool(capacities))


def _already_allocated(request: ScopedRequest, team: Team, referral: Referral, episode: Episode) -> HttpResponse:
    leads = [w.practitioner for w in care_queries.current_workers(episode) if w.role == WorkerRole.LEAD]
    return _render_allocate(
        request, team, referral, form=None, problems=[presenters.already_allocated_problem(episode.pk, leads)]
    )


def _render_allocate(
    request: ScopedRequest,
    team: Team,
    referral: Referral,
    *,
    form: AllocationForm | None,
    problems: list[SafeString | str],
    has_capacities: bool = True,
) -> HttpResponse:
    family = referral.family
    audit.record(
        action="referral.allocation_viewed",
        actor=request.actor,
        obj=referral,
        family_id=referral.family_id,
        detail={"allocated": form is None},
    )
    return render(
        request,
        "care/waiting/allocate.jinja",
        {
            "team": team,
            "name": presenters.family_name(family),
            "banner": banner_for(family, flags=presenters.flags_of(family)),
            "family_url": reverse("families:family", args=[family.pk]),
            "summary_rows": presenters.summary_rows(
                referral, today=timezone.localdate(), targets=care_queries.first_contact_targets([referral.team_id])
            ),
            "form": form,
            "error_list": presenters.error_list(form, problems),
            "has_capacities": has_capacities,
            "no_capacity_html": presenters.no_capacity_html(team),
            "waiting_url": reverse("care:waiting_list", args=[team.pk]),
        },
    )


# Transfer ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transfer(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Hand the lead role to someone else in this team, or in another team of the service."""
    scope = request.scope
    episode = care_scope.get_lead_episode(scope, episode_id)
    workers = care_queries.current_workers(episode)
    lead_now = next((w for w in workers if w.role == WorkerRole.LEAD), None)
    capacities = [
        c
        for c in care_queries.service_capacities(episode)
        if not (lead_now and c.practitioner_id == lead_now.practitioner_id and c.team_id == episode.team_id)
    ]
    teams = {c.team_id: c.team for c in capacities}
    loads: dict[tuple[object, object], Decimal] = {}
    weights = services.weights_today(episode.team.service_id)  # the teams of the episode's service
    for team in teams.values():
        in_team = [c.practitioner_id for c in capacities if c.team_id == team.pk]
        for pk, load in services.weighted_caseloads(team, in_team, weights=weights).items():
            loads[team.pk, pk] = load
    several = len(teams) > 1
    form = TransferForm(
        request.POST if request.method == "POST" else None,
        choices=[(str(c.pk), presenters.transfer_choice_label(c, several_teams=several)) for c in capacities],
        hints={
            str(c.pk): presenters.capacity_hint(c, loads.get((c.team_id, c.practitioner_id), Decimal("0")))
            for c in capacities
        },
    )
    problems: list[SafeString | str] = []
    if request.method == "POST" and form.is_valid():
        target = next(c for c in capacities if str(c.pk) == form.cleaned_data["to"])
        name = presenters.family_name(episode.family)
        try:
            services.transfer_episode(
                actor=request.actor,
                episode=episode,
                to_practitioner=target.practitioner,
                to_team=target.team if target.team_id != episode.team_id else None,
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except services.CapacityExceeded as over:
            form.add_error("override_reason", presenters.over_capacity_message(over.over))
        except services.CareError as error:
            problems.append(str(error))
        else:
            messages.success(request, presenters.transferred_message(name, target.practitioner, target.team))
            if target.team_id in scope.team_ids(Capability.WORK_WITH_FAMILIES):
                return redirect("care:episode", episode_id=episode.pk)
            # Moved to a team the person does not work in: they can no longer open the episode.
            return redirect("care:team_caseloads", team_id=episode.team_id)
    audit.record(action="episode.transfer_viewed", actor=request.actor, obj=episode, family_id=episode.family_id)
    events = care_queries.episode_history(episode)
    ids = {str(event.detail.get(key, "")) for event in events for key in ("lead", "co_worker", "from", "to")}
    family = episode.family
    return render(
        request,
        "care/waiting/transfer.jinja",
        {
            "name": presenters.family_name(family),
            "team_service": episode.team.service.name,
            "banner": banner_for(family, flags=presenters.flags_of(family)),
            "family_url": reverse("families:family", args=[family.pk]),
            "episode_url": presenters.episode_url(episode.pk),
            "summary_rows": presenters.episode_summary_rows(episode, workers),
            "form": form,
            "error_list": presenters.error_list(form, problems),
            "history_rows": presenters.history_rows(
                events,
                care_queries.names_of(ids),
                {str(team.pk): team.name for team in care_queries.service_teams(episode)},
            ),
        },
    )
