"""A risk alert's page: its history, the action taken recorded (what was done, when, by whom, and
what was decided), which closes it, and for a high-risk alert the review of that action by a
clinical supervisor or team lead of the episode's team."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from attune.accounts.models import User
from attune.core import audit
from attune.core.models import Outcome
from attune.families.banner import banner_for
from attune.families.models import FamilyAlert
from attune.families.naming import family_title
from attune.organisations.scope import ScopedRequest
from attune.outcomes import alert_pages, instruments, services
from attune.outcomes import scope as outcome_scope
from attune.outcomes.forms.alerts import AlertActionForm, AlertReviewForm
from attune.outcomes.models import Administration
from attune.outcomes.presenters import entry as presenters
from attune.outcomes.presenters.alert_history import alert_history


def _page(
    request: ScopedRequest,
    found: Administration,
    risk: FamilyAlert,
    *,
    action_form: AlertActionForm | None = None,
    review_form: AlertReviewForm | None = None,
) -> HttpResponse:
    family = found.episode.family
    measure = instruments.get(found.instrument).name
    about = presenters.about_text(found.carer, found.infant)
    user = request.user
    assert isinstance(user, User)
    if risk.closed_at is None and action_form is None:
        people = alert_pages.people_who_may_act(found.episode.team_id, user)
        now = timezone.localtime()
        action_form = AlertActionForm(
            people=people,
            initial={"done_by": str(user.pk), "done_on": now.date(), "done_time": f"{now:%H:%M}"},
        )
    may_review = risk.review_is_due and outcome_scope.may_review_alerts(request.scope, found.episode.team_id)
    if may_review and review_form is None:
        review_form = AlertReviewForm()
    reviewers = alert_pages.reviewers_asked(risk) if risk.review_is_due else []
    forms = [form for form in (action_form, review_form) if form is not None]
    return render(
        request,
        "outcomes/entry/alert.jinja",
        {
            "administration": found,
            "family": family,
            "title": family_title(family),
            "banner": banner_for(family),
            "history": alert_history(risk, measure=measure, about=about, reviewers=reviewers, now=timezone.now()),
            "about": about,
            "measure_name": measure,
            "administration_url": reverse("outcomes:administration", args=[found.pk]),
            "review_url": reverse("outcomes:alert_review", args=[found.pk, risk.pk]),
            "form": action_form,
            "review_form": review_form if may_review else None,
            "has_errors": any(form.errors for form in forms),
        },
    )


@require_http_methods(["GET", "POST"])
def alert(request: ScopedRequest, administration_id: uuid.UUID, alert_id: uuid.UUID) -> HttpResponse:
    found = outcome_scope.get_administration(request.scope, administration_id)
    risk = outcome_scope.get_alert(request.scope, found, alert_id)
    if request.method == "GET":
        audit.record(
            action="outcomes.alert_viewed",
            actor=request.actor,
            obj=risk,
            family_id=risk.family_id,
            person_id=found.carer_id or found.infant_id,
        )
        return _page(request, found, risk)
    if risk.closed_at is not None:
        messages.info(request, "The action on this alert has already been recorded.")
        return redirect("outcomes:alert", administration_id=found.pk, alert_id=risk.pk)
    user = request.user
    assert isinstance(user, User)
    form = AlertActionForm(request.POST, people=alert_pages.people_who_may_act(found.episode.team_id, user))
    if form.is_valid():
        try:
            services.record_alert_action(
                actor=request.actor,
                alert=risk,
                action=form.cleaned_data["action"],
                actions_done=form.cleaned_data["actions_done"],
                done_at=form.cleaned_data["done_at"],
                done_by=form.done_by_person(),
            )
        except services.OutcomeError as problem:
            form.add_refusal(problem.field, problem.message)
        else:
            if risk.review_due_at is not None:
                messages.success(request, "Action recorded. The alert is closed and a supervisor will review it.")
            else:
                messages.success(request, "Action recorded. The alert is closed.")
            return redirect("outcomes:administration", administration_id=found.pk)
    audit.record(
        action="outcomes.alert_action_refused",
        actor=request.actor,
        obj=risk,
        family_id=risk.family_id,
        outcome=Outcome.FAILURE,
    )
    return _page(request, found, risk, action_form=form)


@require_POST
def review(request: ScopedRequest, administration_id: uuid.UUID, alert_id: uuid.UUID) -> HttpResponse:
    found = outcome_scope.get_administration(request.scope, administration_id)
    risk = outcome_scope.get_alert_to_review(request.scope, found, alert_id)
    if not risk.review_is_due:
        messages.info(request, "This alert has no review waiting.")
        return redirect("outcomes:alert", administration_id=found.pk, alert_id=risk.pk)
    form = AlertReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_alert_action(
                actor=request.actor,
                alert=risk,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except services.OutcomeError as problem:
            form.add_refusal(problem.field, problem.message)
        else:
            messages.success(request, "Review recorded.")
            return redirect("outcomes:alert", administration_id=found.pk, alert_id=risk.pk)
    audit.record(
        action="outcomes.alert_review_refused",
        actor=request.actor,
        obj=risk,
        family_id=risk.family_id,
        outcome=Outcome.FAILURE,
    )
    return _page(request, found, risk, review_form=form)
