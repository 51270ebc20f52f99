"""The episode of care: its page, changing what is offered and who takes part, goals and their
ratings, discharge with the letter to the referrer and GP, and reopening."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attune.care import pages as care_pages
from attune.care import queries as care_queries
from attune.care import scope as care_scope
from attune.care import services
from attune.care.forms import episode as forms
from attune.care.models import Episode, EpisodeEvent
from attune.care.presenters import episode as presenters
from attune.core import audit
from attune.families.banner import banner_for
from attune.families.models import Family
from attune.families.naming import family_title
from attune.families.presenters import RecordSection
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope, ScopedRequest

# The episode page ------------------------------------------------------------------------------


@require_GET
def episode(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    record = care_pages.episode_record(request.scope, episode_id)
    found = record.episode
    audit.record(action="episode.viewed", actor=request.actor, obj=found, family_id=found.family_id)
    today = timezone.localdate()
    state = presenters.state_of(record.state, record.events)
    upcoming, past = presenters.appointment_tables(record, now=timezone.now())
    return render(
        request,
        "care/episode/episode.jinja",
        {
            "episode": found,
            "family": found.family,
            "title": family_title(found.family),
            "banner": banner_for(found.family, flags=record.flags),
            "state": state,
            "state_tag": presenters.state_tag(state),
            "summary_rows": presenters.summary_rows(record, today=today, state=state),
            "worker_rows": presenters.worker_rows(record.workers),
            "goal_sections": presenters.goal_sections(record),
            "upcoming_rows": upcoming,
            "past_rows": past,
            "history_rows": presenters.history_rows(record.events),
            "discharge_rows": presenters.discharge_rows(record.discharge) if record.discharge else [],
            "actions": presenters.actions(
                found,
                state=state,
                can_transfer=found.team_id in request.scope.team_ids(Capability.LEAD_TEAM),
            ),
        },
    )


# Pages that change the episode ------------------------------------------------------------------


def _is_open(episode: Episode) -> bool:
    return getattr(episode, "last_event", None) != EpisodeEvent.Kind.DISCHARGED


def _render(
    request: ScopedRequest,
    template: str,
    episode: Episode,
    context: dict[str, Any],
    *,
    problems: list[str] | None = None,
) -> HttpResponse:
    """A form page about the episode: the family's name and safeguarding banner first, and any
    refusal from the action shown in the error summary."""
    family = episode.family
    return render(
        request,
        f"care/episode/{template}",
        {
            "episode": episode,
            "family": family,
            "title": family_title(family),
            "banner": banner_for(family, flags=list(getattr(family, "active_flags", []))),
            "episode_url": presenters.episode_url(episode),
            "problems": problems or [],
            **context,
        },
    )


def _viewed(request: ScopedRequest, episode: Episode, page: str) -> None:
    if request.method == "GET":
        audit.record(
            action="episode.viewed",
            actor=request.actor,
            obj=episode,
            family_id=episode.family_id,
            detail={"page": page},
        )


CLOSED = "This episode is closed. Reopen it before changing it."


@require_http_methods(["GET", "POST"])
def details(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    found = care_scope.episode_for_change(request.scope, episode_id)
    if not _is_open(found):
        messages.info(request, CLOSED)
        return redirect("care:episode", episode_id=found.pk)
    family = found.family
    offered = care_queries.interventions_offered()
    # An intervention no longer offered stays a choice while this episode has it.
    offered += [i for i in found.interventions.all() if i not in offered]
    initial = {
        "interventions": [str(i.pk) for i in found.interventions.all()],
        "infants": [str(i.pk) for i in found.infants.all()],
        "carers": [str(c.pk) for c in found.carers.all()],
        "planned_review_on": found.planned_review_on,
    }
    form = forms.EpisodeDetailsForm(
        request.POST or None,
        initial=initial,
        interventions=offered,
        infants=list(family.infants.all()),
        carers=list(family.carers.all()),
        was_review_on=found.planned_review_on,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_episode(
                actor=request.actor,
                episode=found,
                interventions=form.chosen_interventions(),
                infants=form.chosen_infants(),
                carers=form.chosen_carers(),
                planned_review_on=form.cleaned_data["planned_review_on"],
            )
        except services.CareError as error:
            problems.append(str(error))
        else:
            messages.success(request, "The episode's details are saved.")
            return redirect("care:episode", episode_id=found.pk)
    _viewed(request, found, "details")
    return _render(request, "details.jinja", found, {"form": form}, problems=problems)


# Goals -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def add_goal(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    found = care_scope.episode_for_change(request.scope, episode_id)
    if not _is_open(found):
        messages.info(request, CLOSED)
        return redirect("care:episode", episode_id=found.pk)
    carers = list(found.carers.all())
    form = forms.GoalForm(request.POST or None, carers=carers)
    if request.method == "POST" and form.is_valid():
        carer = form.chosen_carer()
        try:
            services.add_goal(
                actor=request.actor, episode=found, carer=carer, description=form.cleaned_data["description"]
            )
        except services.CareError as error:
            form.add_error("description" if str(error).startswith("Enter") else "carer", str(error))
        else:
            messages.success(request, f"Goal added for {carer.full_name}.")
            return redirect("care:episode", episode_id=found.pk)
    _viewed(request, found, "add_goal")
    return _render(
        request,
        "add_goal.jinja",
        found,
        {"form": form, "has_carers": bool(carers), "details_url": presenters.details_url(found)},
    )


@require_http_methods(["GET", "POST"])
def rate_goal(request: ScopedRequest, episode_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    found = care_scope.episode_for_change(request.scope, episode_id)
    goal = care_scope.get_goal(request.scope, found, goal_id)
    form = forms.RateGoalForm(request.POST or None, initial={"rated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.rate_goal(
                actor=request.actor,
                goal=goal,
                score=int(form.cleaned_data["score"]),
                rated_on=form.cleaned_data["rated_on"],
            )
        except services.CareError as error:
            form.add_error("rated_on" if "date" in str(error) else "score", str(error))
        else:
            messages.success(
                request, f"Rating saved for {goal.carer.full_name}'s goal: {presenters.rating_text(rating)}."
            )
            return redirect("care:episode", episode_id=found.pk)
    _viewed(request, found, "rate_goal")
    ratings = care_queries.ratings_of(goal)
    return _render(
        request,
        "rate_goal.jinja",
        found,
        {"form": form, "goal": goal, "goal_view": presenters.goal_view(found.pk, goal, ratings)},
    )


# Discharge and reopening -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def discharge(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Discharge with a reason and a summary. Appointments still booked stop it, unless the person
    ticks to cancel them all (with one cancellation reason) as part of the same discharge."""
    found = care_scope.episode_for_change(request.scope, episode_id)
    if not _is_open(found):
        messages.info(request, "This episode is already discharged.")
        return redirect("care:episode", episode_id=found.pk)
    booked = care_queries.booked_appointments(found)
    form = forms.DischargeForm(request.POST or None, booked=len(booked))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.cancels_booked:
                services.cancel_booked_and_discharge(
                    actor=request.actor,
                    episode=found,
                    reason=data["reason"],
                    summary=data["summary"],
                    cancellation=data["cancellation"],
                    expected=request.POST.getlist("booked"),
                )
            else:
                services.discharge_episode(
                    actor=request.actor, episode=found, reason=data["reason"], summary=data["summary"]
                )
        except services.CareError as error:
            problems.append(str(error))
            booked = care_queries.booked_appointments(found)
            if len(booked) != form.booked:  # booked or recorded meanwhile: offer what is booked now
                form = forms.DischargeForm(request.POST, booked=len(booked))
                form.is_valid()
        else:
            cancelled = form.booked if form.cancels_booked else 0
            messages.success(request, presenters.discharged_message(family_title(found.family), cancelled))
            return redirect("care:discharge_letter", episode_id=found.pk)
    _viewed(request, found, "discharge")
    blockers = presenters.blocker_links(services.unfinished_notes(found), [])
    return _render(
        request,
        "discharge.jinja",
        found,
        {
            "form": form,
            "blockers": blockers,
            "booked": presenters.booked_list(booked),
            "booked_ids": [str(a.pk) for a in booked],
        },
        problems=problems,
    )


@require_GET
def discharge_letter(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    record = care_pages.episode_record(request.scope, episode_id)
    found = record.episode
    if record.discharge is None:
        messages.info(request, "There is no discharge letter yet: this episode is open.")
        return redirect("care:episode", episode_id=found.pk)
    audit.record(action="episode.discharge_letter_viewed", actor=request.actor, obj=found, family_id=found.family_id)
    return render(
        request,
        "care/episode/letter.jinja",
        {
            "episode": found,
            "family": found.family,
            "title": family_title(found.family),
            "banner": banner_for(found.family, flags=record.flags),
            "letter": presenters.discharge_letter(record, today=timezone.localdate()),
            "episode_url": presenters.episode_url(found),
        },
    )


@require_http_methods(["GET", "POST"])
def reopen(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    found = care_scope.episode_for_change(request.scope, episode_id)
    if _is_open(found):
        messages.info(request, "This episode is open, so there is nothing to reopen.")
        return redirect("care:episode", episode_id=found.pk)
    form = forms.ReopenForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_episode(actor=request.actor, episode=found, reason=form.cleaned_data["reason"])
        except services.CareError as error:
            problems.append(str(error))
        else:
            messages.success(request, "The episode is open again.")
            return redirect("care:episode", episode_id=found.pk)
    _viewed(request, found, "reopen")
    return _render(request, "reopen.jinja", found, {"form": form}, problems=problems)


# The family page's list of episodes ------------------------------------------------------------


def family_episodes(scope: Scope, family: Family) -> RecordSection:
    """Registered with families.scope (CareConfig.ready), so the family page lists its episodes."""
    return presenters.family_episodes_section(care_scope.for_family(scope, family))
