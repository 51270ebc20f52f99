"""The public referral pages: a professional refers a family, or a parent refers themselves,
without an account. Nothing reaches the database until the referral is sent.

Abuse protection: a honeypot input that people never see (filled in, the sender sees an
ordinary confirmation and nothing is kept), and per-address rate limits on every answer posted
and every referral sent (django-ratelimit on the configured cache).
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]
from markupsafe import Markup

from attune.core import audit
from attune.core.actors import PUBLIC_REFERRAL_FORM, actor_of
from attune.core.network import client_ip
from attune.referrals import limits, public_forms, wizard
from attune.referrals.public_forms import FLOWS, SELF
from attune.referrals.services import REFERENCE_ALPHABET, submit_referral

# The input people never see (visually hidden, out of the tab order, hidden from assistive
# technology); software that fills in every input fills this one too.
HONEYPOT = "website"
# How long a sent flow is remembered, so a second click on "Send referral" sends nothing.
SENT_GUARD_SECONDS = 24 * 60 * 60
CAPTIONS = {public_forms.PROFESSIONAL: "Refer a family", SELF: "Refer yourself"}


def _sent_key(flow: wizard.Flow) -> str:
    return f"wizard:{flow.name}:sent"


def _flow(flow_name: str) -> wizard.Flow:
    return FLOWS[flow_name]


# Abuse protection ----------------------------------------------------------------------------


def _client(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _rate(setting: str) -> Callable[[str, HttpRequest], str]:
    # Read at each request, so the limits can be changed in settings (and in tests).
    return lambda group, request: str(getattr(settings, setting))


def _over_limit(request: HttpRequest, group: str, setting: str) -> bool:
    limited: bool = is_ratelimited(
        request, group=group, key=_client, rate=_rate(setting), method="POST", increment=True
    )
    return limited


def _too_many(request: HttpRequest, setting: str, flow: wizard.Flow) -> HttpResponse:
    """The limit reached says how long to wait, and the flow how long answers are kept."""
    context = {
        "try_again_in": limits.wait_words(str(getattr(settings, setting))),
        "answers_kept_for": limits.duration_words(flow.idle_seconds),
    }
    return render(request, "referrals/public/too_many.jinja", context, status=429)


def _looks_automated(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT, "").strip())


def _fake_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"PIR-{code[:4]}-{code[4:]}"


def _refuse_automated(request: HttpRequest, flow: wizard.Flow, page: str) -> HttpResponse:
    """Whoever filled in the hidden input sees the ordinary confirmation (nothing tells a
    program it was caught); nothing is kept but the audit event."""
    audit.record(
        action="referral.spam_refused",
        actor=actor_of(request, public=PUBLIC_REFERRAL_FORM),
        outcome=audit.Outcome.DENIED,
        detail={"form": flow.name, "page": page},
    )
    wizard.FlowState(request, flow).clear()
    request.session[_sent_key(flow)] = {
        "reference": _fake_reference(),
        "team": "",
        "target_days": public_forms.front_door().triage_target_days,
        "acknowledgement": {"sent": False, "channel": "", "to": ""},
    }
    return redirect(flow.url("sent"))


# Pages ---------------------------------------------------------------------------------------


@login_not_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/public/start.jinja", {"service": public_forms.front_door()})


@login_not_required
@require_GET
def begin(request: HttpRequest, flow_name: str) -> HttpResponse:
    """A fresh start: nothing from an earlier, unfinished referral on this device carries over."""
    flow = _flow(flow_name)
    wizard.FlowState(request, flow).clear()
    request.session.pop(_sent_key(flow), None)
    return redirect(flow.url(flow.steps[0].slug))


def _render_step(request: HttpRequest, page: wizard.StepPage) -> HttpResponse:
    context: dict[str, Any] = {
        "page": page,
        "form": page.form,
        "caption": CAPTIONS[page.flow.name],
        "honeypot": HONEYPOT,
        "expired": page.state.pop_expired(),
        "change_postcode_url": page.flow.url("postcode", return_to=page.step.slug),
    }
    return render(request, page.step.template, context)


@login_not_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, flow_name: str, slug: str) -> HttpResponse:
    flow = _flow(flow_name)
    if request.method == "POST":
        if _over_limit(request, "refer-step", "REFERRAL_STEP_RATE"):
            return _too_many(request, "REFERRAL_STEP_RATE", flow)
        if _looks_automated(request):
            return _refuse_automated(request, flow, slug)
    return wizard.run_step(request, flow, slug, lambda page: _render_step(request, page))


def _in_sentence(label: str) -> str:
    """'First name' -> 'first name' after "Change"; 'NHS number' and 'GP surgery' stay as they are."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _sections(rows: list[wizard.Row]) -> list[dict[str, Any]]:
    """The check-your-answers rows as NHS.UK summary lists, one card per section."""
    sections: dict[str, list[dict[str, Any]]] = {}
    steps_seen = set()
    for row in rows:
        # The first answer of each page is where "Change" comes back to.
        anchor = None if row.step in steps_seen else wizard.answers_anchor(row.step)
        steps_seen.add(row.step)
        sections.setdefault(row.section, []).append(
            {
                "id": anchor,
                "key": {"text": row.label},
                "value": {"html": Markup("<br>").join(row.value.splitlines())},
                "actions": {
                    "items": [{"href": row.change_url, "text": "Change", "visuallyHiddenText": _in_sentence(row.label)}]
                },
            }
        )
    return [{"title": title, "rows": items} for title, items in sections.items()]


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, flow_name: str) -> HttpResponse:
    flow = _flow(flow_name)
    if request.method == "POST" and _over_limit(request, "refer-submit", "REFERRAL_SUBMIT_RATE"):
        return _too_many(request, "REFERRAL_SUBMIT_RATE", flow)
    state = wizard.FlowState(request, flow)
    if not state.answers:
        # Sent already (a second click, or the page reloaded), or never started.
        if request.session.get(_sent_key(flow)):
            return redirect(flow.url("sent"))
        return redirect(flow.url(flow.steps[0].slug))
    blocked = wizard.check_blocked(state)
    if blocked:
        return redirect(blocked)
    if request.method == "POST":
        if _looks_automated(request):
            return _refuse_automated(request, flow, wizard.CHECK)
        return _send(request, state)
    last = state.applicable()[-1]
    context = {
        "caption": CAPTIONS[flow.name],
        "sections": _sections(public_forms.summary_rows(state)),
        "back_url": flow.url(last.slug),
        "honeypot": HONEYPOT,
        "for_parent": flow.name == SELF,
    }
    return render(request, "referrals/public/check.jinja", context)


def _send(request: HttpRequest, state: wizard.FlowState) -> HttpResponse:
    flow = state.flow
    # Two clicks on "Send referral" arrive as two requests with the same answers: only the
    # first one sends (the cache's add is atomic).
    guard = f"refer:sent:{state.id}"
    if not cache.add(guard, True, SENT_GUARD_SECONDS):
        return redirect(flow.url("sent"))
    try:
        intake = public_forms.intake_from(state)
        referral = submit_referral(intake=intake, actor=actor_of(request, public=PUBLIC_REFERRAL_FORM))
    except public_forms.IncompleteAnswers as incomplete:
        cache.delete(guard)
        return redirect(flow.url(str(incomplete), return_to=wizard.CHECK))
    except Exception:
        cache.delete(guard)
        raise
    acknowledgement = public_forms.acknowledgement_of(referral)
    state.clear()
    request.session[_sent_key(flow)] = {
        "reference": referral.reference,
        "team": referral.team.name,
        "target_days": public_forms.triage_target_days(referral.team),
        "acknowledgement": {
            "sent": acknowledgement.sent,
            "channel": acknowledgement.channel,
            "to": acknowledgement.to,
        },
    }
    return redirect(flow.url("sent"))


@login_not_required
@require_GET
def sent(request: HttpRequest, flow_name: str) -> HttpResponse:
    flow = _flow(flow_name)
    confirmation = request.session.get(_sent_key(flow))
    if not confirmation:
        return redirect("refer:start")
    context = {"caption": CAPTIONS[flow.name], "sent": confirmation, "for_parent": flow.name == SELF}
    return render(request, "referrals/public/sent.jinja", context)
