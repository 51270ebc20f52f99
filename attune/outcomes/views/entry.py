"""Recording a measure by staff: choose the measure and whom it is about, enter the answers on
one page per measure, see the result at once (score, band, change since the baseline, risk
alerts), and record the action taken on a risk alert, which is what closes it."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attune.core import audit
from attune.core.models import Outcome
from attune.families.banner import banner_for
from attune.families.models import Carer, Infant
from attune.families.naming import family_title
from attune.organisations.scope import ScopedRequest
from attune.outcomes import instruments, services
from attune.outcomes import queries as outcome_queries
from attune.outcomes import scope as outcome_scope
from attune.outcomes.forms.entry import AlertActionForm, MeasureForm
from attune.outcomes.instruments import Instrument
from attune.outcomes.models import Administration, Source, TimePoint
from attune.outcomes.presenters import entry as presenters
from attune.outcomes.scope import EpisodePeople


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _episode_context(people: EpisodePeople) -> dict[str, object]:
    episode = people.episode
    return {
        "episode": episode,
        "family": episode.family,
        "title": family_title(episode.family),
        "banner": banner_for(episode.family),
        "episode_url": reverse("care:episode", args=[episode.pk]),
    }


@require_GET
def choose(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    audit.record(action="outcomes.measure_chosen_viewed", actor=request.actor, obj=people.episode)
    time_point = request.GET.get("time_point", "")
    choices = presenters.measure_choices(
        instruments.all_instruments(),
        episode_id=people.episode.pk,
        carers=people.carers,
        infants=people.infants,
        today=timezone.localdate(),
        time_point=time_point,
    )
    return render(
        request, "outcomes/entry/choose.jinja", {**_episode_context(people), "groups": presenters.grouped(choices)}
    )


def _person(people: EpisodePeople, request: ScopedRequest, kind: str) -> Carer | Infant | None:
    wanted = _uuid(request.GET.get(kind))
    if wanted is None:
        return None
    found: list[Carer] | list[Infant] = people.carers if kind == "carer" else people.infants
    chosen: Carer | Infant | None = next((p for p in found if p.pk == wanted), None)
    request.scope.found(chosen, f"families.{kind}", wanted)  # 404 for anyone else
    return chosen


def _instrument(request: ScopedRequest, code: str) -> Instrument:
    known = {instrument.code for instrument in instruments.all_instruments()}
    code = request.scope.found(code.upper() if code.upper() in known else None, "outcomes.instrument", code)
    return services.instrument_for_service(code, outcome_queries.wording_for(code))


@require_http_methods(["GET", "POST"])
def enter(request: ScopedRequest, episode_id: uuid.UUID, instrument: str) -> HttpResponse:
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    definition = _instrument(request, instrument)
    carer = _person(people, request, "carer")
    infant = _person(people, request, "infant")
    assert carer is None or isinstance(carer, Carer)
    assert infant is None or isinstance(infant, Infant)
    if request.method == "POST":
        form = MeasureForm(request.POST, instrument=definition)
        if form.is_valid():
            try:
                administration = services.record_administration(
                    actor=request.actor,
                    episode=people.episode,
                    instrument=definition.code,
                    answers=form.answers(),
                    time_point=form.cleaned_data["time_point"],
                    completed_on=form.cleaned_data["completed_on"],
                    source=Source.STAFF,
                    carer=carer,
                    infant=infant,
                    bands_key=form.cleaned_data.get("bands_key", ""),
                )
            except services.OutcomeError as problem:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            else:
                messages.success(request, f"{definition.name} saved for {presenters.about_text(carer, infant)}.")
                return redirect("outcomes:administration", administration_id=administration.pk)
        audit.record(
            action="outcomes.measure_entry_refused",
            actor=request.actor,
            obj=people.episode,
            outcome=Outcome.FAILURE,
            detail={"instrument": definition.code},
        )
    else:
        initial: dict[str, object] = {"completed_on": timezone.localdate()}
        if request.GET.get("time_point") in TimePoint.values:
            initial["time_point"] = request.GET["time_point"]
        form = MeasureForm(instrument=definition, initial=initial)
        audit.record(
            action="outcomes.measure_entry_viewed",
            actor=request.actor,
            obj=people.episode,
            detail={"instrument": definition.code},
        )
    return render(
        request,
        "outcomes/entry/enter.jinja",
        {
            **_episode_context(people),
            "instrument": definition,
            "about": presenters.about_text(carer, infant),
            "form": form,
            "choose_url": reverse("outcomes:choose", args=[people.episode.pk]),
        },
    )


def _result_context(administration: Administration) -> dict[str, object]:
    definition = services.instrument_for_service(
        administration.instrument, outcome_queries.wording_for(administration.instrument)
    )
    loaded = [
        band
        for band_set in outcome_queries.band_sets(administration.instrument)
        for band in services.bands_of(band_set)
    ]
    baseline = outcome_queries.baseline_of(administration)
    family = administration.episode.family
    return {
        "administration": administration,
        "instrument": definition,
        "episode": administration.episode,
        "family": family,
        "title": family_title(family),
        "banner": banner_for(family),
        "episode_url": reverse("care:episode", args=[administration.episode_id]),
        "about": presenters.about_text(administration.carer, administration.infant),
        "rows": presenters.result_rows(administration, definition, loaded),
        "subscale_rows": presenters.subscale_rows(administration, definition),
        "answer_rows": presenters.answer_rows(administration, definition),
        "change": presenters.change_since_baseline(administration, definition, baseline),
        "alerts": [presenters.alert_view(alert) for alert in outcome_queries.alerts_of(administration)],
    }


@require_GET
def administration(request: ScopedRequest, administration_id: uuid.UUID) -> HttpResponse:
    found = outcome_scope.get_administration(request.scope, administration_id)
    audit.record(action="outcomes.administration_viewed", actor=request.actor, obj=found)
    return render(request, "outcomes/entry/administration.jinja", _result_context(found))


@require_http_methods(["GET", "POST"])
def alert(request: ScopedRequest, administration_id: uuid.UUID, alert_id: uuid.UUID) -> HttpResponse:
    found = outcome_scope.get_administration(request.scope, administration_id)
    risk = outcome_scope.get_alert(request.scope, found, alert_id)
    form = AlertActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_alert_action(actor=request.actor, alert=risk, action=form.cleaned_data["action"])
        except services.OutcomeError as problem:
            form.add_error("action", problem.message)
        else:
            messages.success(request, "Action recorded. The alert is closed.")
            return redirect("outcomes:administration", administration_id=found.pk)
    if request.method == "GET":
        audit.record(action="outcomes.alert_viewed", actor=request.actor, obj=risk)
    family = found.episode.family
    view = presenters.alert_view(risk)
    return render(
        request,
        "outcomes/entry/alert.jinja",
        {
            "administration": found,
            "family": family,
            "title": family_title(family),
            "banner": banner_for(family),
            "alert": view,
            "rows": presenters.alert_rows(view),
            "about": presenters.about_text(found.carer, found.infant),
            "measure_name": instruments.get(found.instrument).name,
            "administration_url": reverse("outcomes:administration", args=[found.pk]),
            "form": form,
        },
    )
