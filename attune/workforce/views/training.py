"""Recruit-to-train: the trainees a person can see, a trainee's progress page, and the forms to
add evidence and sign off a competency."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attune.core import audit
from attune.organisations.scope import ScopedRequest
from attune.workforce import forms, frameworks, presenters, services
from attune.workforce import scope as workforce_scope
from attune.workforce.models import EvidenceKind, TrainingPlan


@require_GET
def trainees(request: ScopedRequest) -> HttpResponse:
    found = list(workforce_scope.plans(request.scope))
    audit.record(action="training_plan.list_viewed", actor=request.actor, detail={"count": len(found)})
    return render(
        request,
        "workforce/trainees.jinja",
        {
            "head": presenters.TRAINEE_HEAD,
            "rows": presenters.trainee_rows(found),
            "new_plan_links": new_plan_links(request),
        },
    )


@require_GET
def plan(request: ScopedRequest, plan_id: uuid.UUID) -> HttpResponse:
    found = workforce_scope.get_plan(request.scope, plan_id)
    today = timezone.localdate()
    framework = frameworks.load(found.framework_code)
    evidence = workforce_scope.evidence_of(found)
    sign_offs = workforce_scope.sign_offs_of(found)
    summary = workforce_scope.hours_of(found, today)
    can_sign_off = services.may_sign_off(request.user, found)
    upcoming, more = presenters.next_steps(presenters.what_is_next(framework, evidence, sign_offs))
    audit.record(action="training_plan.viewed", actor=request.actor, obj=found)
    return render(
        request,
        "workforce/plan.jinja",
        {
            "plan": found,
            "plan_rows": presenters.plan_rows(found, framework),
            "hours_head": presenters.HOURS_HEAD,
            "hours_rows": presenters.hours_rows(summary),
            "month_head": presenters.MONTH_HEAD,
            "month_rows": presenters.month_rows(summary),
            "domains": presenters.competency_views(found, framework, evidence, sign_offs, can_sign_off=can_sign_off),
            "upcoming": upcoming,
            "more": more,
            "signed_count": len(sign_offs),
            "total": len(framework.competencies),
            "evidence_url": presenters.evidence_url(found),
            "sign_off_url": presenters.sign_off_url(found) if can_sign_off and upcoming else "",
        },
    )


def _render_form(
    request: ScopedRequest, template: str, plan: TrainingPlan, context: dict[str, Any], problems: list[str]
) -> HttpResponse:
    return render(
        request,
        f"workforce/{template}",
        {"plan": plan, "plan_url": presenters.plan_url(plan), "problems": problems, **context},
    )


@require_http_methods(["GET", "POST"])
def add_evidence(request: ScopedRequest, plan_id: uuid.UUID) -> HttpResponse:
    found = workforce_scope.get_plan(request.scope, plan_id)
    framework = frameworks.load(found.framework_code)
    initial = {"competency": request.GET.get("competency", ""), "dated_on": timezone.localdate()}
    form = forms.EvidenceForm(request.POST or None, initial=initial, competencies=list(framework.competencies))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.add_evidence(
                actor=request.actor,
                plan=found,
                competency_code=form.cleaned_data["competency"],
                kind=EvidenceKind(form.cleaned_data["kind"]),
                dated_on=form.cleaned_data["dated_on"],
                description=form.cleaned_data["description"],
            )
        except services.WorkforceError as error:
            problems.append(str(error))
        else:
            messages.success(request, f"Evidence added for {form.cleaned_data['competency']}.")
            return redirect("workforce:plan", plan_id=found.pk)
    if request.method == "GET":
        audit.record(action="training_plan.viewed", actor=request.actor, obj=found, detail={"page": "add_evidence"})
    return _render_form(request, "add_evidence.jinja", found, {"form": form}, problems)


@require_http_methods(["GET", "POST"])
def sign_off(request: ScopedRequest, plan_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    found = workforce_scope.get_plan_to_sign_off(scope, plan_id)
    framework = frameworks.load(found.framework_code)
    signed = {s.competency_code for s in workforce_scope.sign_offs_of(found)}
    open_competencies = [c for c in framework.competencies if c.code not in signed]
    initial = {"competency": request.GET.get("competency", ""), "signed_on": timezone.localdate()}
    form = forms.SignOffForm(request.POST or None, initial=initial, competencies=open_competencies)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            done = services.sign_off_competency(
                actor=request.actor,
                plan=found,
                competency_code=form.cleaned_data["competency"],
                signed_on=form.cleaned_data["signed_on"],
                comment=form.cleaned_data["comment"],
            )
        except services.WorkforceError as error:
            problems.append(str(error))
        else:
            competency = framework.competency(done.competency_code)
            title = competency.title if competency else done.competency_code
            messages.success(request, f"{done.competency_code}: {title} signed off for {found.trainee.full_name}.")
            return redirect("workforce:plan", plan_id=found.pk)
    if request.method == "GET":
        audit.record(action="training_plan.viewed", actor=request.actor, obj=found, detail={"page": "sign_off"})
    return _render_form(request, "sign_off.jinja", found, {"form": form, "all_signed": not open_competencies}, problems)


def new_plan_links(request: ScopedRequest) -> list[dict[str, str]]:
    """'Start a training plan' links on the trainees page, one per team the person may create in."""
    return [
        {"text": f"Start a training plan in {team.name}", "href": reverse("workforce:new_plan", args=[team.pk])}
        for team in workforce_scope.plan_teams(request.scope)
    ]


@require_http_methods(["GET", "POST"])
def new_plan(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    """Start a trainee's plan: team leads of the team, or supervisors in it."""
    team = workforce_scope.get_plan_team(request.scope, team_id)
    trainees_found = workforce_scope.trainees_without_plan(team)
    form = forms.NewPlanForm(
        request.POST or None,
        initial={"framework": frameworks.DEMO},
        trainees=trainees_found,
        supervisors=workforce_scope.supervisor_choices(team),
        framework_codes=frameworks.available(),
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        trainee = form.person("trainee")
        try:
            created = services.create_plan(
                actor=request.actor,
                trainee=trainee,
                team=team,
                programme=data["programme"],
                course_provider=data["course_provider"],
                started_on=data["started_on"],
                expected_qualification_on=data["expected_qualification_on"],
                supervisor=form.person("supervisor"),
                framework_code=data["framework"],
            )
        except services.WorkforceError as error:
            problems.append(str(error))
        else:
            messages.success(request, f"Training plan started for {trainee.full_name}.")
            return redirect("workforce:plan", plan_id=created.pk)
    if request.method == "GET":
        audit.record(
            action="training_plan.new_viewed", actor=request.actor, obj=team, detail={"trainees": len(trainees_found)}
        )
    return render(
        request,
        "workforce/new_plan.jinja",
        {
            "team": team,
            "form": form,
            "problems": problems,
            "has_trainees": bool(trainees_found),
            "back_url": reverse("workforce:trainees"),
        },
    )
