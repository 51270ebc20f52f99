"""Funding agreements (who pays whom for which teams) and the staff cost of each team's posts.

Commissioners read agreements and aggregate staff costs, never a person; team leads record
agreements for their teams and keep their posts' costs."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attune.commissioning import forms, presenters, queries, services
from attune.commissioning import scope as commissioning_scope
from attune.commissioning.models import FundingAgreement
from attune.core import audit, periods
from attune.core.formatting import money
from attune.organisations.scope import ScopedRequest


@require_GET
def agreements(request: ScopedRequest) -> HttpResponse:
    found = list(commissioning_scope.agreements(request.scope))
    can_record = bool(commissioning_scope.editable_team_ids(request.scope))
    audit.record(
        action="commissioning.agreements_viewed",
        actor=request.actor,
        object_type="commissioning.fundingagreement",
        detail={"count": len(found)},
    )
    return render(
        request,
        "commissioning/agreements.jinja",
        {
            "head": presenters.AGREEMENT_HEAD,
            "rows": presenters.agreement_rows(found),
            "new_url": reverse("commissioning:new_agreement") if can_record else "",
        },
    )


@require_GET
def agreement(request: ScopedRequest, agreement_id: uuid.UUID) -> HttpResponse:
    found = commissioning_scope.get_agreement(request.scope, agreement_id)
    teams = commissioning_scope.agreement_teams(found)
    posts = commissioning_scope.agreement_posts(found)
    # Holders' names are for the team's leads; a commissioner sees post titles and sums only.
    lead = commissioning_scope.is_team_lead_for(request.scope, found)
    if posts:
        cost = queries.posts_staff_cost([p.pk for p in posts], found.starts_on, found.ends_on)
    else:
        cost = queries.staff_cost([t.pk for t in teams], found.starts_on, found.ends_on)
    editable = commissioning_scope.editable_team_ids(request.scope)
    can_change = lead and all(t.pk in editable for t in teams)
    audit.record(action="commissioning.agreement_viewed", actor=request.actor, obj=found)
    return render(
        request,
        "commissioning/agreement.jinja",
        {
            "agreement": found,
            "summary_rows": presenters.summary_rows(found, teams),
            "cost_text": presenters.cost_against_amount(cost, found, of_posts=bool(posts)),
            "post_head": presenters.post_head(show_holders=lead),
            "post_rows": presenters.post_rows(posts, show_holders=lead),
            "change_url": presenters.change_url(found) if can_change else "",
            "back_url": reverse("commissioning:agreements"),
        },
    )


def _agreement_form(request: ScopedRequest, agreement: FundingAgreement | None) -> forms.AgreementForm:
    teams = commissioning_scope.recording_teams(request.scope)
    initial: dict[str, Any] = {}
    if agreement is not None:
        initial = {
            "funder": str(agreement.funder_id),
            "recipient": str(agreement.recipient_id),
            "amount": f"{agreement.amount:.2f}",
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "purpose": agreement.purpose,
            "reference": agreement.reference,
            "teams": [str(t.pk) for t in commissioning_scope.agreement_teams(agreement)],
            "posts": [str(p.pk) for p in commissioning_scope.agreement_posts(agreement)],
        }
    return forms.AgreementForm(
        request.POST or None,
        initial=initial,
        organisations=commissioning_scope.organisation_choices(),
        teams=teams,
        posts=commissioning_scope.posts_of_teams({t.pk for t in teams}),
    )


def _save(request: ScopedRequest, form: forms.AgreementForm, agreement: FundingAgreement | None) -> list[str]:
    data = form.cleaned_data
    values: dict[str, Any] = {
        "funder": form.organisation("funder"),
        "recipient": form.organisation("recipient"),
        "amount": data["amount"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "purpose": data["purpose"],
        "reference": data["reference"],
        "teams": form.chosen_teams(),
        "posts": form.chosen_posts(),
    }
    try:
        if agreement is None:
            saved = services.record_agreement(actor=request.actor, **values)
        else:
            saved = services.change_agreement(actor=request.actor, agreement=agreement, **values)
    except services.CommissioningError as error:
        return [str(error)]
    verb = "recorded" if agreement is None else "changed"
    messages.success(
        request,
        f"Funding agreement {verb}: {saved.funder.name} to {saved.recipient.name}, {money(saved.amount)}.",
    )
    return []


def _form_page(
    request: ScopedRequest, form: forms.AgreementForm, problems: list[str], agreement: FundingAgreement | None
) -> HttpResponse:
    return render(
        request,
        "commissioning/agreement_form.jinja",
        {
            "form": form,
            "problems": problems,
            "heading": "Change a funding agreement" if agreement else "Record a funding agreement",
            "back_url": presenters.agreement_url(agreement) if agreement else reverse("commissioning:agreements"),
        },
    )


@require_http_methods(["GET", "POST"])
def new_agreement(request: ScopedRequest) -> HttpResponse:
    form = _agreement_form(request, None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        problems = _save(request, form, None)
        if not problems:
            return redirect("commissioning:agreements")
    return _form_page(request, form, problems, None)


@require_http_methods(["GET", "POST"])
def change_agreement(request: ScopedRequest, agreement_id: uuid.UUID) -> HttpResponse:
    found = commissioning_scope.get_agreement_to_change(request.scope, agreement_id)
    form = _agreement_form(request, found)
    if request.method == "GET":
        # The form shows the agreement as it stands: reading it is an event like its own page.
        audit.record(action="commissioning.agreement_viewed", actor=request.actor, obj=found, detail={"page": "change"})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        problems = _save(request, form, found)
        if not problems:
            return redirect("commissioning:agreement", agreement_id=found.pk)
    return _form_page(request, form, problems, found)


@require_http_methods(["GET", "POST"])
def costs(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = commissioning_scope.get_costs_team(request.scope, team_id)
    today = timezone.localdate()
    posts = commissioning_scope.posts_with_costs(team)
    form = forms.PostCostForm(request.POST or None, posts=posts, initial={"effective_from": today})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_post_cost(
                actor=request.actor,
                post=form.chosen_post(),
                annual_cost=data["annual_cost"],
                effective_from=data["effective_from"],
                note=data["note"],
            )
        except services.CommissioningError as error:
            problems.append(str(error))
        else:
            messages.success(
                request,
                f"Cost recorded for {form.chosen_post().title}: {money(data['annual_cost'])} a year.",
            )
            return redirect("commissioning:costs", team_id=team.pk)
    quarter = periods.quarter_of(today)
    year = periods.financial_year(periods.financial_year_of(today))
    totals = [
        (label, queries.staff_cost_detail([team.pk], p.start, p.end))
        for label, p in (
            (f"This quarter ({presenters.period_text(quarter.start, quarter.end)})", quarter),
            (f"This financial year ({year.key})", year),
        )
    ]
    audit.record(action="commissioning.costs_viewed", actor=request.actor, obj=team, detail={"posts": len(posts)})
    return render(
        request,
        "commissioning/costs.jinja",
        {
            "team": team,
            "head": presenters.COST_HEAD,
            "rows": presenters.cost_rows(posts, today),
            "total_rows": presenters.team_cost_rows([(label, s.cost, s.uncosted_posts) for label, s in totals]),
            "form": form,
            "problems": problems,
            "has_posts": bool(posts),
            "posts_url": reverse("workforce:posts", args=[team.pk]),
        },
    )
