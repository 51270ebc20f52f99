"""A small multi-page form engine: one question or one topic per page (the GOV.UK and NHS.UK
"question pages" pattern), answers kept in the session per flow, back links, and "Change" links
from the check-your-answers page that come back to it.

A `Flow` is an ordered list of `Step`s; a step has a form class and, optionally, a condition
on earlier answers ("only if the baby has been born"). What a person last posted on a page is
kept exactly as posted, valid or not, and validated whenever it is read: a later change (a new
postcode means another team with other age rules) then shows up as an error on the page it
affects instead of slipping through to the submit, and a page is never past while its answers
are wrong. Nothing here touches the database.

URL names are `<namespace>:<flow name>-<step slug>`, plus `-check` for the check-your-answers
page; `?return=<slug or check>` on a step means "come back there when this page is done".
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode

CHECK = "check"
RETURN_PARAM = "return"
# Answers untouched for this long are dropped: the device may be shared (a family hub's PC).
IDLE_SECONDS = 60 * 60
# The session is rewritten at most this often just to keep the idle clock (seconds).
TOUCH_EVERY = 60

# Longer than any answer a form accepts: what is kept of an answer in the session.
MAX_KEPT_LENGTH = 10_000

Data = dict[str, list[str]]


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[forms.Form]
    # The heading its answers sit under on the check-your-answers page.
    section: str = ""
    # Whether the step applies, given the answers so far; None means always.
    condition: Callable[["FlowState"], bool] | None = None
    # Keyword arguments for the form, which may depend on earlier answers.
    form_kwargs: Callable[["FlowState"], dict[str, Any]] | None = None
    template: str = ""


@dataclass(frozen=True)
class Flow:
    name: str
    namespace: str
    steps: tuple[Step, ...]
    # Where the first page's back link goes (the start page), as a URL name.
    exit_url_name: str
    idle_seconds: int = IDLE_SECONDS

    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        raise Http404(f"No step {slug!r} in {self.name}")

    def url_name(self, slug: str) -> str:
        return f"{self.namespace}:{self.name}-{slug}"

    def url(self, slug: str, *, return_to: str = "") -> str:
        url = reverse(self.url_name(slug))
        return f"{url}?{urlencode({RETURN_PARAM: return_to})}" if return_to else url

    @property
    def slugs(self) -> list[str]:
        return [step.slug for step in self.steps]


def _belongs(key: str, form: forms.Form) -> bool:
    """Whether a posted key is one of the form's inputs (a date field posts <name>-day...)."""
    return any(key == field.html_name or key.startswith(f"{field.html_name}-") for field in form)


class FlowState:
    """One person's answers to one flow, read from and written to their session."""

    def __init__(self, request: HttpRequest, flow: Flow) -> None:
        self.request = request
        self.flow = flow
        self.key = f"wizard:{flow.name}"
        stored: dict[str, Any] = request.session.get(self.key) or {}
        now = int(time.time())
        self.expired = bool(stored) and now - int(stored.get("touched", 0)) > flow.idle_seconds
        if self.expired:
            stored = {}
            request.session.pop(self.key, None)
            request.session[f"{self.key}:expired"] = True
        self.id: str = stored.get("id") or uuid.uuid4().hex
        self.answers: dict[str, Data] = stored.get("answers", {})
        self.touched: int = int(stored.get("touched", 0))
        self._cleaned: dict[str, dict[str, Any] | None] = {}

    # Reading -------------------------------------------------------------------------------

    def form(self, step: Step, data: QueryDict | MultiValueDict[str, str] | None = None) -> forms.Form:
        """The step's form: bound to `data`, else to the stored answers, else unbound."""
        kwargs = step.form_kwargs(self) if step.form_kwargs else {}
        if data is None and step.slug in self.answers:
            data = MultiValueDict(self.answers[step.slug])
        if data is None:
            return step.form_class(**kwargs)
        return step.form_class(data, **kwargs)

    def cleaned(self, slug: str) -> dict[str, Any] | None:
        """The step's answers, validated now; None if not given or no longer valid."""
        if slug not in self._cleaned:
            self._cleaned[slug] = None
            if slug in self.answers:
                form = self.form(self.flow.step(slug))
                self._cleaned[slug] = form.cleaned_data if form.is_valid() else None
        return self._cleaned[slug]

    def value(self, slug: str, name: str, default: Any = None) -> Any:
        cleaned = self.cleaned(slug)
        return default if cleaned is None else cleaned.get(name, default)

    def applies(self, step: Step) -> bool:
        return step.condition is None or step.condition(self)

    def applicable(self) -> list[Step]:
        return [step for step in self.flow.steps if self.applies(step)]

    def first_incomplete(self, before: int | None = None) -> Step | None:
        steps = self.applicable()
        return next((s for s in steps[:before] if self.cleaned(s.slug) is None), None)

    def previous(self, step: Step) -> Step | None:
        steps = self.applicable()
        index = steps.index(step)
        return steps[index - 1] if index > 0 else None

    # Writing -------------------------------------------------------------------------------

    def save(self, step: Step, form: forms.Form, data: QueryDict) -> None:
        """Keep what was posted on a page: only the form's own inputs, each cut to a length
        no valid answer reaches (so an oversized answer still reads as too long)."""
        self.answers[step.slug] = {
            key: [value[:MAX_KEPT_LENGTH] for value in data.getlist(key)] for key in data if _belongs(key, form)
        }
        self._cleaned.clear()
        self.persist()

    def persist(self) -> None:
        self.touched = int(time.time())
        self.request.session[self.key] = {"id": self.id, "answers": self.answers, "touched": self.touched}

    def touch(self) -> None:
        if self.answers and int(time.time()) - self.touched >= TOUCH_EVERY:
            self.persist()

    def pop_expired(self) -> bool:
        """Whether answers were dropped for being idle since the person last saw a page."""
        flagged = bool(self.request.session.pop(f"{self.key}:expired", False))
        return self.expired or flagged

    def clear(self) -> None:
        self.request.session.pop(self.key, None)
        self.request.session.pop(f"{self.key}:expired", None)
        self.answers = {}
        self._cleaned.clear()


@dataclass(frozen=True)
class StepPage:
    """What a step's page shows: the form and where its back link goes."""

    flow: Flow
    step: Step
    state: FlowState
    form: forms.Form
    back_url: str
    return_to: str


def return_target(request: HttpRequest, flow: Flow) -> str:
    """The page to come back to after this one: a step of this flow or the check page only."""
    target = request.GET.get(RETURN_PARAM, "")
    return target if target == CHECK or target in flow.slugs else ""


def _target_position(state: FlowState, target: str) -> tuple[int | None, str]:
    """Where in the applicable steps `target` sits (None: at the end), and the slug to go to."""
    steps = state.applicable()
    if target != CHECK:
        for index, step in enumerate(steps):
            if step.slug == target:
                return index, target
    return None, CHECK


def next_url(state: FlowState, step: Step, return_to: str) -> str:
    """Where to go once `step` is answered. Back to the return page if there is one, unless a
    page before it now needs answering (answering "yes" to another carer adds their page)."""
    flow = state.flow
    if return_to:
        position, target = _target_position(state, return_to)
        missing = state.first_incomplete(before=position)
        if missing is not None:
            return flow.url(missing.slug, return_to=target)
        return returning_url(flow, target, step)
    steps = state.applicable()
    index = steps.index(step)
    return flow.url(steps[index + 1].slug) if index + 1 < len(steps) else flow.url(CHECK)


def answers_anchor(slug: str) -> str:
    """The id of a step's first answer on the check-your-answers page."""
    return f"answers-{slug}"


def returning_url(flow: Flow, target: str, step: Step) -> str:
    """Back to the page the person came from; on a long check page, to the answer changed."""
    return f"{flow.url(CHECK)}#{answers_anchor(step.slug)}" if target == CHECK else flow.url(target)


def back_url(state: FlowState, step: Step, return_to: str) -> str:
    if return_to:
        return returning_url(state.flow, return_to, step)
    previous = state.previous(step)
    return state.flow.url(previous.slug) if previous else reverse(state.flow.exit_url_name)


def _blocked(state: FlowState, step: Step, return_to: str) -> str | None:
    """A page cannot be used before the pages it depends on: the first earlier page still to
    answer, or (for a page that does not apply to these answers) wherever the person is up to."""
    flow = state.flow
    if not state.applies(step):
        missing = state.first_incomplete()
        return flow.url(missing.slug) if missing else flow.url(CHECK)
    steps = state.applicable()
    missing = state.first_incomplete(before=steps.index(step))
    if missing is not None:
        return flow.url(missing.slug, return_to=return_to)
    return None


def run_step(request: HttpRequest, flow: Flow, slug: str, render: Callable[[StepPage], HttpResponse]) -> HttpResponse:
    """Show a step's page (GET) or take its answers (POST): valid answers are kept and the
    person moves on; invalid ones come back with their errors and everything typed."""
    step = flow.step(slug)
    state = FlowState(request, flow)
    return_to = return_target(request, flow)
    blocked = _blocked(state, step, return_to)
    if blocked:
        return redirect(blocked)
    if request.method == "POST":
        form = state.form(step, data=request.POST)
        # Kept even when invalid: what the person last typed is their answer now (an earlier
        # "yes" must not be sent after they changed it to "no"), and it comes back, with its
        # errors, when they return to the page. Until it is valid, the pages after it wait.
        state.save(step, form, request.POST)
        if form.is_valid():
            return redirect(next_url(state, step, return_to))
    else:
        state.touch()
        form = state.form(step)
    return render(StepPage(flow, step, state, form, back_url(state, step, return_to), return_to))


def check_blocked(state: FlowState) -> str | None:
    """The check-your-answers page needs every page that applies answered, and still valid."""
    missing = state.first_incomplete()
    return state.flow.url(missing.slug, return_to=CHECK) if missing else None


@dataclass(frozen=True)
class Row:
    step: str
    section: str
    label: str
    value: str
    change_url: str


def rows(state: FlowState, summarise: Callable[[forms.Form], list[tuple[str, str, str]]]) -> list[Row]:
    """The check-your-answers rows of every page that applies, in order. `summarise(form)`
    gives (label, value, field id) for a valid form; "Change" opens that page and comes back."""
    result = []
    for step in state.applicable():
        form = state.form(step)
        if not form.is_valid():
            continue
        base = state.flow.url(step.slug, return_to=CHECK)
        for label, value, field_id in summarise(form):
            result.append(Row(step.slug, step.section, label, value, f"{base}#{field_id}" if field_id else base))
    return result
