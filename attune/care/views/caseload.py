"""Caseloads: a practitioner's own families across their teams, and for a team lead each
practitioner's load against their capacity, one person's caseload, and setting capacity."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.accounts.models import User
from attune.care import columns as care_columns
from attune.care import queries as care_queries
from attune.care import scope as care_scope
from attune.care import services
from attune.care.forms.allocation import CapacityForm
from attune.care.presenters import caseload as presenters
from attune.care.presenters.waiting import error_list, number
from attune.core import audit, paging
from attune.core.rows import Cell
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest

# Families on one page of a caseload. A caseload is held to the practitioner's capacity, so one
# page is the usual case. It is read whole (its size is bounded, and counting it apart would be
# one query past the page budget) and drawn, with its notes, tasks and measures, a page at a time.
CASELOAD_PAGE = 50


def _tables(
    request: ScopedRequest, person: User, team_ids: set[uuid.UUID], whose: str, *, own: bool = False
) -> tuple[list[presenters.CaseloadTable], list[Cell], paging.Paging]:
    """One page of the caseload: its tables, their head and the page. The person's own caseload
    also has the columns other apps register (measures due): it is the list they work from; a
    team lead reading it has the team's pages for those."""
    shown = paging.paging(
        care_scope.caseload(request.scope, person, team_ids),
        request,
        per_page=CASELOAD_PAGE,
        one="family",
        many="families",
        label="Caseload pages",
    )
    episodes = list(shown.page.object_list)
    ids = [episode.pk for episode in episodes]
    today = timezone.localdate()
    columns = care_columns.caseload_columns() if own else []
    tables = presenters.caseload_tables(
        episodes,
        person,
        notes=care_queries.outstanding_notes(person, ids),
        tasks=care_queries.open_tasks_by_episode(person, ids),
        today=today,
        whose=whose,
        extra=[source(episodes, today) if episodes else {} for _, source in columns],
        counted=not shown.page.has_other_pages(),
    )
    return tables, presenters.caseload_head(heading for heading, _ in columns), shown


def my_caseload(request: ScopedRequest) -> HttpResponse:
    """The families the signed-in person works with now, in every team they work in."""
    scope = request.scope
    scope.require(Capability.WORK_WITH_FAMILIES, "care.caseload")
    tables, head, shown = _tables(
        request, request.user, scope.team_ids(Capability.WORK_WITH_FAMILIES), "Your", own=True
    )
    audit.record(
        action="caseload.viewed",
        actor=request.actor,
        obj=request.user,
        detail={"count": shown.count, "page": shown.number},
    )
    return render(
        request,
        "care/caseload/caseload.jinja",
        {
            "heading": "Your caseload",
            "tables": tables,
            "head": head,
            "count": shown.count,
            "paging": shown,
            "own": True,
        },
    )


def practitioner_caseload(request: ScopedRequest, team_id: uuid.UUID, user_id: uuid.UUID) -> HttpResponse:
    """One practitioner's caseload in a team, as the team lead sees it (read only)."""
    scope = request.scope
    team = care_scope.get_lead_team(scope, team_id)
    person = care_scope.get_caseload_member(scope, team, user_id)
    tables, head, shown = _tables(request, person, {team.pk}, f"{person.full_name}'s")
    audit.record(
        action="caseload.practitioner_viewed",
        actor=request.actor,
        obj=person,
        detail={"team": str(team.pk), "count": shown.count, "page": shown.number},
    )
    return render(
        request,
        "care/caseload/caseload.jinja",
        {
            "heading": f"{person.full_name}'s caseload",
            "team": team,
            "tables": tables,
            "head": head,
            "count": shown.count,
            "paging": shown,
            "own": False,
            "back_url": reverse("care:team_caseloads", args=[team.pk]),
            "capacity_url": presenters.capacity_url(team.pk, person.pk),
        },
    )


def team_caseloads(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    """Each practitioner's load against their capacity: in the team, and for a hub in each of
    its satellites the person also leads."""
    scope = request.scope
    team = care_scope.get_lead_team(scope, team_id)
    teams = care_scope.caseload_teams(scope, team)
    ids = [t.pk for t in teams]
    capacities = care_scope.team_capacities(scope, ids)
    loads: dict[tuple[object, object], Decimal] = {}
    weights = services.weights_today(team.service_id)  # a hub's satellites are of its service
    for each in teams:
        people = [c.practitioner_id for c in capacities if c.team_id == each.pk]
        if people:
            for pk, load in services.weighted_caseloads(each, people, weights=weights).items():
                loads[each.pk, pk] = load
    audit.record(action="caseload.team_viewed", actor=request.actor, obj=team, detail={"teams": len(teams)})
    return render(
        request,
        "care/caseload/team.jinja",
        {
            "team": team,
            "tables": presenters.team_caseloads(
                teams,
                capacities,
                loads,
                care_queries.family_counts(ids),
                care_queries.members_without_capacity(ids),
            ),
            "head": presenters.TEAM_HEAD,
            "waiting_url": reverse("care:waiting_list", args=[team.pk]),
            "weights_url": presenters.weights_url(team),
        },
    )


@require_http_methods(["GET", "POST"])
def capacity(request: ScopedRequest, team_id: uuid.UUID, user_id: uuid.UUID) -> HttpResponse:
    """Set a practitioner's contracted hours and maximum weighted caseload in the team."""
    scope = request.scope
    team = care_scope.get_lead_team(scope, team_id)
    person = care_scope.get_caseload_member(scope, team, user_id)
    current = care_queries.capacity_of(team, person)
    own = current.max_weighted_caseload if current else None
    initial = (
        {
            "contracted_hours": number(current.contracted_hours),
            "max_weighted_caseload": number(own) if own is not None else "",
        }
        if current
        else {}
    )
    default = care_queries.team_default_maximum(team, timezone.localdate())
    form = CapacityForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        team_default_hint=presenters.team_default_hint(default),
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.set_capacity(
                actor=request.actor,
                team=team,
                practitioner=person,
                contracted_hours=form.cleaned_data["contracted_hours"],
                max_weighted_caseload=form.cleaned_data["max_weighted_caseload"],
            )
        except services.CareError as error:
            problems.append(str(error))
        else:
            messages.success(request, presenters.capacity_saved_message(person, team, saved))
            return redirect("care:team_caseloads", team_id=team.pk)
    if request.method == "GET":
        audit.record(action="capacity.viewed", actor=request.actor, obj=person, detail={"team": str(team.pk)})
    return _render_capacity(request, team, person, form, problems)


def _render_capacity(
    request: ScopedRequest, team: Team, person: User, form: CapacityForm, problems: list[str]
) -> HttpResponse:
    return render(
        request,
        "care/caseload/capacity.jinja",
        {
            "team": team,
            "person": person,
            "form": form,
            "error_list": error_list(form, list(problems)),
            "back_url": reverse("care:team_caseloads", args=[team.pk]),
        },
    )
