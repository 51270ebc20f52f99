"""Oversight: compliance with the supervision standard per team and per supervisor, the
countersigning queue, and a supervisee's caseload (read only)."""

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.accounts.models import User
from attune.core import audit
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest
from attune.supervision import forms, presenters, services
from attune.supervision import queries as supervision_queries
from attune.supervision import scope as supervision_scope

# Enough history for the current and previous fortnight, whatever day it is.
LOOK_BACK = dt.timedelta(days=35)


def team_compliance(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    """Each practitioner and trainee in the team (and, for a hub, the satellites the person also
    leads or supervises in) against the standard."""
    scope = request.scope
    team = supervision_scope.compliance_team(scope, team_id)
    today = timezone.localdate()
    teams = supervision_scope.compliance_teams(scope, team)
    standards = supervision_queries.standards_of(teams)
    people = supervision_queries.team_supervised(teams, today - LOOK_BACK, standards=standards, today=today)
    audit.record(action="supervision.compliance_viewed", actor=request.actor, obj=team, detail={"people": len(people)})
    return render(
        request,
        "supervision/compliance.jinja",
        {
            "heading": "Supervision against the standard",
            "caption": team.name,
            "teams": ", ".join(t.name for t in teams),
            "standards": [presenters.standard_sentence(standards.on(team.service_id, today))],
            "standard_url": presenters.standard_url(team.service_id),
            "rows": presenters.compliance_rows(people, today),
            "counts": presenters.status_counts(people, today),
            "head": presenters.COMPLIANCE_HEAD,
            "experience_links": experience_links(team, people),
        },
    )


def my_compliance(request: ScopedRequest) -> HttpResponse:
    """The people the signed-in supervisor supervises, against the standard."""
    scope = request.scope
    today = timezone.localdate()
    people = supervision_scope.my_supervisees(scope, today - LOOK_BACK, today=today)
    audit.record(
        action="supervision.compliance_viewed", actor=request.actor, obj=request.user, detail={"people": len(people)}
    )
    return render(
        request,
        "supervision/compliance.jinja",
        {
            "heading": "Your supervisees against the standard",
            "caption": "Clinical supervision",
            "teams": "",
            "standards": presenters.standards_stated(people),
            "standard_url": "",
            "rows": presenters.compliance_rows(people, today),
            "counts": presenters.status_counts(people, today),
            "head": presenters.COMPLIANCE_HEAD,
            "caseload_links": [
                {"name": p.person.full_name, "url": presenters.caseload_url(p.person.pk)} for p in people
            ],
        },
    )


def countersign_queue(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    notes = list(supervision_scope.countersign_queue(scope))
    audit.record(action="supervision.countersign_queue_viewed", actor=request.actor, detail={"count": len(notes)})
    return render(
        request,
        "supervision/countersigning.jinja",
        {"rows": presenters.countersign_rows(notes, timezone.localdate()), "head": presenters.COUNTERSIGN_HEAD},
    )


def supervisee_caseload(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    """Someone the person supervises: the families they hold that the person may see."""
    scope = request.scope
    person = supervision_scope.get_supervisee(scope, user_id)
    episodes, hidden = supervision_scope.supervisee_families(scope, person)
    work_teams = scope.team_ids(Capability.WORK_WITH_FAMILIES)
    for episode in episodes:
        episode.linkable = episode.team_id in work_teams  # type: ignore[attr-defined]
    audit.record(
        action="supervision.supervisee_caseload_viewed",
        actor=request.actor,
        obj=person,
        detail={"shown": len(episodes), "hidden": hidden},
    )
    return render(
        request,
        "supervision/caseload.jinja",
        {
            "person": person,
            "rows": presenters.caseload_rows(episodes),
            "head": presenters.CASELOAD_HEAD,
            "hidden": hidden,
        },
    )


def experience_url(team: Team, person: User) -> str:
    return f"{reverse('supervision:experience', args=[team.pk])}?{urlencode({'person': str(person.pk)})}"


def experience_links(team: Team, people: list[supervision_queries.Supervised]) -> list[dict[str, str]]:
    """'Change' links for each person's experience and contracted hours on the team page."""
    return [{"name": p.person.full_name, "url": experience_url(team, p.person)} for p in people]


@require_http_methods(["GET", "POST"])
def experience(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    """Set when someone's experience with under-2s began and their contracted hours: team leads
    or supervisors in the team."""
    scope = request.scope
    team = supervision_scope.compliance_team(scope, team_id)
    person, current = supervision_scope.experience_person(scope, team, request.GET.get("person", ""))
    initial = (
        {"since": current.under_twos_experience_since, "weekly_hours": str(current.weekly_hours)}
        if current
        else {"weekly_hours": "37.5"}
    )
    form = forms.ExperienceForm(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.set_experience(
                actor=request.actor,
                practitioner=person,
                since=form.cleaned_data["since"],
                weekly_hours=form.cleaned_data["weekly_hours"],
            )
        except services.SupervisionError as error:
            problems.append(str(error))
        else:
            messages.success(request, f"Experience and contracted hours saved for {person.full_name}.")
            return redirect("supervision:compliance", team_id=team.pk)
    return render(
        request,
        "supervision/experience.jinja",
        {
            "team": team,
            "standard": presenters.standard_sentence(supervision_queries.standard_now(team, timezone.localdate())),
            "person": person,
            "form": form,
            "problems": problems,
            "back_url": reverse("supervision:compliance", args=[team.pk]),
        },
    )
