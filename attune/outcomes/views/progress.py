"""Change over time: an episode's measures (what is due, a chart and table per measure and
person, the outcome summary) and the team's schedule of measures, kept by its team leads."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attune.care import scope as care_scope
from attune.core import audit
from attune.families.banner import banner_for
from attune.families.naming import family_title
from attune.organisations.models import Team
from attune.organisations.scope import ScopedRequest
from attune.outcomes import due
from attune.outcomes import pages as outcome_pages
from attune.outcomes import queries as outcome_queries
from attune.outcomes import schedules as actions
from attune.outcomes import scope as outcomes_scope
from attune.outcomes.forms import progress as forms
from attune.outcomes.models import MeasureSchedule
from attune.outcomes.presenters import progress as presenters

# An episode's progress -------------------------------------------------------------------------


@require_GET
def progress(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    record = outcome_pages.progress_record(request.scope, episode_id)
    episode = record.episode
    audit.record(
        action="outcomes.progress_viewed",
        actor=request.actor,
        obj=episode,
        family_id=episode.family_id,
        detail={"administrations": len(record.administrations)},
    )
    today = timezone.localdate()
    statuses, subjects = due.measure_statuses(
        opened_on=record.opened_on,
        discharged_on=record.discharged_on,
        today=today,
        schedules=record.schedules,
        carers=record.carers,
        infants=record.infants,
        recorded=due.recorded_of(record.administrations),
    )
    all_series = presenters.series_of(record.administrations, record.carers, record.infants)
    family = episode.family
    return render(
        request,
        "outcomes/progress/progress.jinja",
        {
            "episode": episode,
            "family": family,
            "title": family_title(family),
            "banner": banner_for(record.episode.family, flags=record.flags, alerts=record.alerts),
            "discharged": record.discharged_on is not None,
            "due_rows": presenters.due_rows(episode.pk, statuses, subjects),
            "at_discharge": presenters.at_discharge_lines(statuses, subjects),
            "has_schedule": bool(record.schedules),
            "enter_url": presenters.choose_url(episode.pk),
            "summary_rows": presenters.summary_rows(all_series),
            "measures": presenters.series_views(all_series),
        },
    )


# The team's schedule --------------------------------------------------------------------------


def _team(request: ScopedRequest, team_id: uuid.UUID) -> Team:
    return care_scope.get_lead_team(request.scope, team_id)


@require_GET
def schedules(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = _team(request, team_id)
    rows = outcome_queries.team_schedules(team)
    audit.record(action="outcomes.schedules_viewed", actor=request.actor, obj=team)
    return render(
        request,
        "outcomes/progress/schedules.jinja",
        {"team": team, "rows": presenters.schedule_rows(team.pk, rows)},
    )


def _schedule_form(
    request: ScopedRequest, team: Team, schedule: MeasureSchedule | None, initial: dict[str, object]
) -> HttpResponse:
    form = forms.ScheduleForm(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.set_schedule(actor=request.actor, team=team, entry=form.entry(), schedule=schedule)
        except actions.ScheduleError as error:
            if error.field in form.fields:
                form.add_error(error.field, str(error))
            else:
                problems.append(str(error))
        else:
            what = (
                f"{presenters.short_name(saved.instrument)} at {presenters.time_point_label(saved.time_point).lower()}"
            )
            messages.success(request, f"{what[:1].upper()}{what[1:]} is {'changed' if schedule else 'added'}.")
            return redirect("outcomes:schedules", team_id=team.pk)
    return render(
        request,
        "outcomes/progress/schedule_form.jinja",
        {
            "team": team,
            "form": form,
            "problems": problems,
            "heading": "Change a scheduled measure" if schedule else "Add a measure to the schedule",
            "button_text": "Save changes" if schedule else "Add measure",
            "schedule": schedule,
        },
    )


@require_http_methods(["GET", "POST"])
def schedule_add(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = _team(request, team_id)
    if request.method == "GET":
        audit.record(action="outcomes.schedules_viewed", actor=request.actor, obj=team, detail={"page": "add"})
    return _schedule_form(request, team, None, {})


def _chosen(request: ScopedRequest, team: Team) -> MeasureSchedule:
    """The row named by ?schedule= (404 for another team's, or none)."""
    return outcomes_scope.get_team_schedule(request.scope, team, request.GET.get("schedule", ""))


@require_http_methods(["GET", "POST"])
def schedule_change(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = _team(request, team_id)
    schedule = _chosen(request, team)
    if request.method == "GET":
        audit.record(action="outcomes.schedules_viewed", actor=request.actor, obj=schedule, detail={"page": "change"})
    initial: dict[str, object] = {
        "instrument": schedule.instrument,
        "time_point": schedule.time_point,
        "weeks_after_start": "" if schedule.weeks_after_start is None else schedule.weeks_after_start,
        "infant_min_months": "" if schedule.infant_min_months is None else schedule.infant_min_months,
        "infant_max_months": "" if schedule.infant_max_months is None else schedule.infant_max_months,
    }
    return _schedule_form(request, team, schedule, initial)


@require_http_methods(["GET", "POST"])
def schedule_remove(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = _team(request, team_id)
    schedule = _chosen(request, team)
    problems: list[str] = []
    if request.method == "POST":
        try:
            actions.remove_schedule(actor=request.actor, schedule=schedule)
        except actions.ScheduleError as error:
            problems.append(str(error))
        else:
            what = f"{presenters.short_name(schedule.instrument)} at {presenters.time_point_label(schedule.time_point).lower()}"
            messages.success(request, f"{what[:1].upper()}{what[1:]} is off the schedule.")
            return redirect("outcomes:schedules", team_id=team.pk)
    else:
        audit.record(action="outcomes.schedules_viewed", actor=request.actor, obj=schedule, detail={"page": "remove"})
    return render(
        request,
        "outcomes/progress/schedule_remove.jinja",
        {"team": team, "schedule": schedule, "rows": presenters.schedule_summary(schedule), "problems": problems},
    )
