"""Recording a measure by staff: choose the measure and whom it is about, enter the answers on
one page per measure, check them (each answer with its score, risk questions highlighted) and
save, see the result at once (score, band, change since the baseline, risk
alerts); a risk alert's own page is views/alerts.py."""

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
from attune.outcomes.forms.entry import MeasureForm
from attune.outcomes.forms.questions import wording_missing
from attune.outcomes.instruments import Instrument
from attune.outcomes.models import Administration, Source, TimePoint
from attune.outcomes.presenters import entry as presenters
from attune.outcomes.presenters.entry import code_slug
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
    audit.record(
        action="outcomes.measure_chosen_viewed",
        actor=request.actor,
        obj=people.episode,
        family_id=people.episode.family_id,
    )
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


def _person_id(carer: Carer | None, infant: Infant | None) -> uuid.UUID | None:
    """The person a measure is about (the carer who answers it, else the baby), for the audit."""
    return carer.pk if carer is not None else infant.pk if infant is not None else None


def _instrument(request: ScopedRequest, code: str) -> Instrument:
    known = {instrument.code for instrument in instruments.all_instruments()}
    code = request.scope.found(code.upper() if code.upper() in known else None, "outcomes.instrument", code)
    return services.instrument_for_service(code, outcome_queries.wording_for(code))


# Answers checked but not yet saved wait in the session (never the database) between the entry
# form, the check page and "Save these answers", one draft per episode, measure and person.
DRAFT = "outcomes:measure_draft:{}:{}:{}:{}"


def _draft_key(episode_id: uuid.UUID, code: str, carer: Carer | None, infant: Infant | None) -> str:
    return DRAFT.format(episode_id, code, carer.pk if carer else "", infant.pk if infant else "")


def _query(request: ScopedRequest) -> str:
    """The entry page's carer, infant and time point, kept from page to page."""
    kept = request.GET.copy()
    kept.pop("change", None)
    return kept.urlencode()


def _with_query(url: str, query: str, *extra: str) -> str:
    parts = [part for part in (query, *extra) if part]
    return f"{url}?{'&'.join(parts)}" if parts else url


def _refused(request: ScopedRequest, people: EpisodePeople, definition: Instrument) -> None:
    audit.record(
        action="outcomes.measure_entry_refused",
        actor=request.actor,
        obj=people.episode,
        family_id=people.episode.family_id,
        outcome=Outcome.FAILURE,
        detail={"instrument": definition.code},
    )


def _entry_page(
    request: ScopedRequest, people: EpisodePeople, definition: Instrument, form: MeasureForm, about: str
) -> HttpResponse:
    return render(
        request,
        "outcomes/entry/enter.jinja",
        {
            **_episode_context(people),
            "instrument": definition,
            "about": about,
            "form": form,
            "wording_missing": wording_missing(definition),
            "choose_url": reverse("outcomes:choose", args=[people.episode.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def enter(request: ScopedRequest, episode_id: uuid.UUID, instrument: str) -> HttpResponse:
    """The answers, then on to the check page: nothing is saved here."""
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    definition = _instrument(request, instrument)
    carer = _person(people, request, "carer")
    infant = _person(people, request, "infant")
    assert carer is None or isinstance(carer, Carer)
    assert infant is None or isinstance(infant, Infant)
    key = _draft_key(people.episode.pk, definition.code, carer, infant)
    if request.method == "POST":
        form = MeasureForm(request.POST, instrument=definition)
        if form.is_valid():
            request.session[key] = {
                name: value for name, value in request.POST.items() if name != "csrfmiddlewaretoken"
            }
            check_url = reverse("outcomes:check_measure", args=[people.episode.pk, code_slug(definition.code)])
            return redirect(_with_query(check_url, _query(request)))
        _refused(request, people, definition)
    else:
        draft = request.session.get(key) if request.GET.get("change") else None
        if draft:
            # Back from the check page to change an answer: every answer is still there.
            form = MeasureForm(draft, instrument=definition)
        else:
            initial: dict[str, object] = {"completed_on": timezone.localdate()}
            if request.GET.get("time_point") in TimePoint.values:
                initial["time_point"] = request.GET["time_point"]
            form = MeasureForm(instrument=definition, initial=initial)
        audit.record(
            action="outcomes.measure_entry_viewed",
            actor=request.actor,
            obj=people.episode,
            family_id=people.episode.family_id,
            person_id=_person_id(carer, infant),
            detail={"instrument": definition.code},
        )
    return _entry_page(request, people, definition, form, presenters.about_text(carer, infant))


@require_http_methods(["GET", "POST"])
def check(request: ScopedRequest, episode_id: uuid.UUID, instrument: str) -> HttpResponse:
    """Check your answers: each question, the answer and its score, risk questions highlighted,
    a Change link back to the form (which keeps every answer); saved only on "Save these answers"."""
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    definition = _instrument(request, instrument)
    carer = _person(people, request, "carer")
    infant = _person(people, request, "infant")
    assert carer is None or isinstance(carer, Carer)
    assert infant is None or isinstance(infant, Infant)
    about = presenters.about_text(carer, infant)
    key = _draft_key(people.episode.pk, definition.code, carer, infant)
    query = _query(request)
    enter_base = reverse("outcomes:enter", args=[people.episode.pk, code_slug(definition.code)])
    enter_url, change_url = _with_query(enter_base, query), _with_query(enter_base, query, "change=1")
    draft = request.session.get(key)
    if not draft:
        messages.info(request, "Your answers were not kept, so nothing was saved. Enter them again.")
        return redirect(enter_url)
    form = MeasureForm(draft, instrument=definition)
    if not form.is_valid():
        _refused(request, people, definition)
        return _entry_page(request, people, definition, form, about)
    if request.method == "POST":
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
            # Back to the form, every answer kept, with the reason by the answer it concerns.
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            _refused(request, people, definition)
            return _entry_page(request, people, definition, form, about)
        request.session.pop(key, None)
        messages.success(request, f"{definition.name} saved for {about}.")
        return redirect("outcomes:administration", administration_id=administration.pk)
    audit.record(
        action="outcomes.measure_check_viewed",
        actor=request.actor,
        obj=people.episode,
        family_id=people.episode.family_id,
        person_id=_person_id(carer, infant),
        detail={"instrument": definition.code},
    )
    found = presenters.item_answers(definition, form.answers())
    return render(
        request,
        "outcomes/entry/check.jinja",
        {
            **_episode_context(people),
            "instrument": definition,
            "about": about,
            "rows": presenters.check_rows(found, change_url),
            "detail_rows": presenters.check_detail_rows(
                completed_on=form.cleaned_data["completed_on"],
                time_point=form.cleaned_data["time_point"],
                bands_key=form.cleaned_data.get("bands_key", ""),
                change_url=change_url,
            ),
            "risks": presenters.risk_callouts(found, saved=False),
            "back_url": change_url,
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
        "risks": presenters.risk_callouts(
            presenters.item_answers(definition, list(administration.answers)), saved=True
        ),
        "change": presenters.change_since_baseline(administration, definition, baseline),
        "alerts": [presenters.alert_view(alert) for alert in outcome_queries.alerts_of(administration)],
    }


@require_GET
def administration(request: ScopedRequest, administration_id: uuid.UUID) -> HttpResponse:
    found = outcome_scope.get_administration(request.scope, administration_id)
    audit.record(
        action="outcomes.administration_viewed",
        actor=request.actor,
        obj=found,
        family_id=found.episode.family_id,
        person_id=found.carer_id or found.infant_id,
    )
    return render(request, "outcomes/entry/administration.jinja", _result_context(found))
