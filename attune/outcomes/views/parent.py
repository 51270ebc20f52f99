"""The parent's pages: a single-use link opens them on the parent's own phone, with no account.

The parent first confirms the baby's date of birth (due date for a baby not yet born); then
answers one questionnaire a page, checks the answers, and sends them. Answers wait in the
session (never the database) until sent, and are stored only by `links.submit`, all or none.

What a page may say: a link that cannot be used gets one kind page that names nobody and no
team. The parent never sees a score; if their answers raised a risk alert they are told where
to get help now, with no clinical detail.

A link that asks consent shows, after the date of birth, the parent's current decisions (and
their baby's, with parental responsibility) in plain words; what they change is stored at once
through families.consent (links.record_parent_consent). A link asking only consent is then used.

Abuse protection: per-address rate limits on every request to these pages and on dates of
birth posted (django-ratelimit, as the public referral forms), and five wrong dates withdraw
the link. The token stays out of the audit log (events name the link by its id) and out of
logs (attune.outcomes.log_filters); Referrer-Policy: same-origin keeps it from other sites.
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit import ALL  # type: ignore[import-untyped]
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]

from attune.core.actors import QUESTIONNAIRE_LINK, actor_of
from attune.core.network import client_ip
from attune.families import consent as family_consent
from attune.outcomes import links, services
from attune.outcomes import queries as outcome_queries
from attune.outcomes.forms.links import DateOfBirthForm, ParentConsentForm, QuestionnaireForm
from attune.outcomes.instruments import Instrument
from attune.outcomes.links import LinkError
from attune.outcomes.models import QuestionnaireLink
from attune.outcomes.presenters import links as presenters

# Answers not touched for this long are forgotten, and the date of birth is asked again.
IDLE_SECONDS = 60 * 60
DONE = "questionnaire_link:done"
REFUSALS = {
    LinkError.USED: (
        "This link has already been used",
        [
            "Your answers have been sent to your therapist. Each link can only be used once.",
            "If you need to answer again, ask your therapist for a new link.",
        ],
    ),
    LinkError.EXPIRED: (
        "This link has expired",
        ["Links to questionnaires work for 7 days.", "Ask your therapist for a new one."],
    ),
    LinkError.REVOKED: (
        "This link no longer works",
        ["Ask your therapist for a new one."],
    ),
    LinkError.UNKNOWN: (
        "This link does not work",
        [
            "Check you used the whole link from your message.",
            "If it still does not work, ask your therapist for a new one.",
        ],
    ),
}


# Abuse protection ----------------------------------------------------------------------------


def _client(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _rate(setting: str, default: str) -> Callable[[str, HttpRequest], str]:
    # Read at each request, so the limits can be changed in settings (and in tests).
    return lambda group, request: str(getattr(settings, setting, default))


def _over_limit(request: HttpRequest) -> bool:
    """Every request to a link's pages counts; dates of birth posted count again, more tightly."""
    limited: bool = is_ratelimited(
        request,
        group="questionnaire-link",
        key=_client,
        rate=_rate("QUESTIONNAIRE_LINK_RATE", "300/h"),
        method=ALL,
        increment=True,
    )
    return limited


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/parent/too_many.jinja", status=429)


def _limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _over_limit(request):
            return _too_many(request)
        return view(request, *args, **kwargs)

    return wrapped


def _too_many_checks(request: HttpRequest) -> bool:
    limited: bool = is_ratelimited(
        request,
        group="questionnaire-link-check",
        key=_client,
        rate=_rate("QUESTIONNAIRE_LINK_CHECK_RATE", "30/h"),
        method="POST",
        increment=True,
    )
    return limited


# The parent's progress, in the session ---------------------------------------------------------


class Progress:
    """Whether this browser has confirmed the baby's date of birth for the link, and the answers
    given so far, keyed by the link's id (never the token)."""

    def __init__(self, request: HttpRequest, link: QuestionnaireLink) -> None:
        self.request = request
        self.key = f"questionnaire_link:{link.pk}"
        stored: dict[str, Any] = request.session.get(self.key) or {}
        self.expired = bool(stored) and int(time.time()) - int(stored.get("touched", 0)) > IDLE_SECONDS
        if self.expired:
            stored = {}
            request.session.pop(self.key, None)
            # The start page says why the date of birth is asked again.
            request.session[f"{self.key}:expired"] = True
        self.verified: bool = bool(stored.get("verified"))
        self.answers: dict[str, list[int | None]] = stored.get("answers", {})
        # The consent page was answered (its choices are stored at once, not kept here).
        self.consent_done: bool = bool(stored.get("consent_done"))

    def save(self) -> None:
        self.request.session[self.key] = {
            "verified": self.verified,
            "answers": self.answers,
            "consent_done": self.consent_done,
            "touched": int(time.time()),
        }

    def clear(self) -> None:
        self.request.session.pop(self.key, None)


def _questionnaires(link: QuestionnaireLink) -> list[Instrument]:
    """The link's measures as the service shows them (its licensed wording when loaded)."""
    return [services.instrument_for_service(code, outcome_queries.wording_for(code)) for code in link.instruments]


def _step_url(token: str, code: str) -> str:
    return reverse("outcomes:parent_questionnaire", kwargs={"token": token, "instrument": code.lower()})


def _check_url(token: str) -> str:
    return reverse("outcomes:parent_check", kwargs={"token": token})


def _consent_url(token: str) -> str:
    return reverse("outcomes:parent_consent", kwargs={"token": token})


def _next_url(token: str, link: QuestionnaireLink, progress: Progress) -> str:
    if link.asks_consent and (not progress.consent_done or not link.instruments):
        return _consent_url(token)
    for code in link.instruments:
        if code not in progress.answers:
            return _step_url(token, code)
    return _check_url(token)


NOT_ONLINE = (
    "This questionnaire cannot be answered online yet",
    [
        "Your therapist will give you a printed copy to fill in instead.",
        "You do not need to do anything with this link.",
    ],
)


def _not_online(request: HttpRequest, link: QuestionnaireLink, page: str) -> HttpResponse | None:
    """A plain page, never placeholder questions, for a link holding a measure whose wording the
    service has not loaded (EPDS, KPCS): answered by position alone it gets mis-keyed."""
    if not links.unanswerable(
        link, _questionnaires(link), actor=actor_of(request, public=QUESTIONNAIRE_LINK), page=page
    ):
        return None
    heading, paragraphs = NOT_ONLINE
    return render(request, "outcomes/parent/refused.jinja", {"heading": heading, "paragraphs": paragraphs})


def _refused(request: HttpRequest, error: LinkError) -> HttpResponse:
    heading, paragraphs = REFUSALS[error.kind]
    status = 404 if error.kind == LinkError.UNKNOWN else 410
    return render(
        request, "outcomes/parent/refused.jinja", {"heading": heading, "paragraphs": paragraphs}, status=status
    )


def _open(request: HttpRequest, token: str, page: str) -> QuestionnaireLink | HttpResponse:
    try:
        return links.open_link(token, actor=actor_of(request, public=QUESTIONNAIRE_LINK), page=page)
    except LinkError as error:
        return _refused(request, error)


# Pages ---------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
@_limited
def parent_start(request: HttpRequest, token: str) -> HttpResponse:
    """The link itself: the baby's date of birth, then on to the questionnaires."""
    opened = _open(request, token, "date_of_birth" if request.method == "POST" else "start")
    if isinstance(opened, HttpResponse):
        return opened
    link = opened
    not_online = _not_online(request, link, "start")
    if not_online is not None:
        return not_online
    progress = Progress(request, link)
    if progress.verified and request.method == "GET":
        return redirect(_next_url(token, link, progress))
    due = all(baby.date_of_birth is None for baby in _babies(link))
    form = DateOfBirthForm(request.POST if request.method == "POST" else None, due_date=due)
    if request.method == "POST":
        if _too_many_checks(request):
            return _too_many(request)
        if form.is_valid():
            try:
                matched = links.check_date_of_birth(
                    link, form.cleaned_data["date_of_birth"], actor=actor_of(request, public=QUESTIONNAIRE_LINK)
                )
            except LinkError as error:
                return _refused(request, error)
            if matched:
                progress.verified = True
                progress.save()
                return redirect(_next_url(token, link, progress))
            if link.revoked_at is not None:
                return _refused(request, LinkError(LinkError.REVOKED))
            form.add_error(
                "date_of_birth",
                f"The {'due date' if due else 'date of birth'} does not match. Check it and try again",
            )
    return render(
        request,
        "outcomes/parent/start.jinja",
        {
            "form": form,
            "count": len(link.instruments),
            "asks_consent": link.asks_consent,
            "expired_answers": request.session.pop(f"{progress.key}:expired", False),
            "action": reverse("outcomes:parent_start", kwargs={"token": token}),
        },
    )


def _babies(link: QuestionnaireLink) -> list[Any]:
    return [link.infant] if link.infant is not None else list(link.episode.infants.all())


def _verified(request: HttpRequest, token: str, page: str) -> tuple[QuestionnaireLink, Progress] | HttpResponse:
    opened = _open(request, token, page)
    if isinstance(opened, HttpResponse):
        return opened
    not_online = _not_online(request, opened, page)
    if not_online is not None:
        return not_online
    progress = Progress(request, opened)
    if not progress.verified:
        return redirect("outcomes:parent_start", token=token)
    return opened, progress


@login_not_required
@require_http_methods(["GET", "POST"])
@_limited
def parent_questionnaire(request: HttpRequest, token: str, instrument: str) -> HttpResponse:
    found = _verified(request, token, "questionnaire")
    if isinstance(found, HttpResponse):
        return found
    link, progress = found
    code = instrument.upper()
    if code not in link.instruments:
        return redirect(_next_url(token, link, progress))
    questionnaires = _questionnaires(link)
    definition = next(q for q in questionnaires if q.code == code)
    position = link.instruments.index(code) + 1
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, instrument=definition)
        if form.is_valid():
            progress.answers[code] = list(form.answers())
            progress.save()
            if request.GET.get("from") == "check":
                return redirect(_check_url(token))
            return redirect(_next_url(token, link, progress))
    else:
        stored = progress.answers.get(code)
        form = (
            QuestionnaireForm(QuestionnaireForm.data_from(definition, stored), instrument=definition)
            if stored
            else QuestionnaireForm(instrument=definition)
        )
        progress.save()
    previous = link.instruments[position - 2] if position > 1 else None
    back_url = _step_url(token, previous) if previous else (_consent_url(token) if link.asks_consent else "")
    return render(
        request,
        "outcomes/parent/questionnaire.jinja",
        {
            "form": form,
            "instrument": definition,
            "caption": presenters.step_caption(position, len(link.instruments)),
            "wording_loaded": definition.items_licensed,
            # The first questionnaire has no way back (but to the consent page, when asked): the
            # date of birth is confirmed already.
            "back_url": back_url,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@_limited
def parent_check(request: HttpRequest, token: str) -> HttpResponse:
    found = _verified(request, token, "check" if request.method == "GET" else "submit")
    if isinstance(found, HttpResponse):
        return found
    link, progress = found
    if not link.instruments or (link.asks_consent and not progress.consent_done):
        return redirect(_next_url(token, link, progress))
    missing = [code for code in link.instruments if code not in progress.answers]
    if missing:
        return redirect(_step_url(token, missing[0]))
    questionnaires = _questionnaires(link)
    problem = ""
    if request.method == "POST":
        try:
            stored = links.submit(
                link=link, answers_by_instrument=progress.answers, actor=actor_of(request, public=QUESTIONNAIRE_LINK)
            )
        except LinkError as error:
            if error.kind == LinkError.USED:
                # A second click on "Send answers" while the first was being saved.
                return redirect("outcomes:parent_thanks")
            return _refused(request, error)
        except services.OutcomeError:
            problem = (
                "Sorry, we could not save your answers. Your answers are still here: try again, or contact "
                "your therapist."
            )
        else:
            progress.clear()
            request.session[DONE] = {"alert": any(a.alerts for a in stored), "at": int(time.time())}
            return redirect("outcomes:parent_thanks")
    urls = {q.code: _step_url(token, q.code) + "?from=check" for q in questionnaires}
    progress.save()
    return render(
        request,
        "outcomes/parent/check.jinja",
        {
            "sections": presenters.check_sections(questionnaires, progress.answers, urls),
            "back_url": _step_url(token, link.instruments[-1]),
            "problem": problem,
        },
    )


@login_not_required
@require_GET
@_limited
def parent_thanks(request: HttpRequest) -> HttpResponse:
    """After sending: thanks, and where to get help now if the answers raised an alert. It shows
    nothing about the answers, so it needs no link (and keeps no token in its address)."""
    done = request.session.get(DONE) or {}
    return render(
        request,
        "outcomes/parent/thanks.jinja",
        {"alert": bool(done.get("alert")), "consent_only": bool(done.get("consent_only"))},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@_limited
def parent_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The parent's decisions about consent, each a yes or no in plain words, showing what is
    recorded now."""
    found = _verified(request, token, "consent" if request.method == "GET" else "consent_answered")
    if isinstance(found, HttpResponse):
        return found
    link, progress = found
    if not link.asks_consent:
        return redirect(_next_url(token, link, progress))
    people = links.consent_people(link)
    current = family_consent.current_consents(people)
    form = ParentConsentForm(
        request.POST if request.method == "POST" else None,
        people=people,
        questions={str(person.pk): links.questions_for(person, people) for person in people},
        current={key: links.answer_of(consent) for key, consent in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request, public=QUESTIONNAIRE_LINK)
        try:
            links.record_parent_consent(link=link, answers=form.answers(), actor=actor)
            if not link.instruments:
                links.finish(link=link, actor=actor)
        except LinkError as error:
            return _refused(request, error)
        progress.consent_done = True
        if not link.instruments:
            progress.clear()
            request.session[DONE] = {"alert": False, "consent_only": True, "at": int(time.time())}
            return redirect("outcomes:parent_thanks")
        progress.save()
        return redirect(_next_url(token, link, progress))
    if request.method == "GET":
        progress.save()
    return render(
        request,
        "outcomes/parent/consent.jinja",
        {
            "form": form,
            "groups": [
                (_consent_heading(person, link, people), [form[name] for name in names])
                for person, names in form.groups
            ],
            "has_questionnaires": bool(link.instruments),
        },
    )


def _consent_heading(person: Any, link: QuestionnaireLink, people: list[Any]) -> str:
    """ "About you", "About your baby", or "About Leo" when there are several babies."""
    if person.pk == link.carer_id:
        return "About you"
    return f"About {links.baby_words(person, people)}"
