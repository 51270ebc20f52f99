"""The practitioner's side of parents' questionnaire links: send one, see what happened to each
(waiting, answered, expired, withdrawn), withdraw one, and reach answers waiting for review."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attune.core import audit
from attune.families.banner import banner_for
from attune.families.naming import family_title
from attune.notifications.models import MessageStatus
from attune.organisations.scope import ScopedRequest
from attune.outcomes import instruments, links
from attune.outcomes import queries as outcome_queries
from attune.outcomes import scope as outcome_scope
from attune.outcomes.forms.links import SendLinkForm
from attune.outcomes.models import TimePoint
from attune.outcomes.presenters import links as presenters
from attune.outcomes.scope import EpisodePeople

# The link, kept in the session between sending and the confirmation page, which shows it once
# (only when the message could not be sent) and forgets it.
SHOW_ONCE = "questionnaire_link:show_once:{}"


def _names() -> dict[str, str]:
    return {i.code: i.name for i in instruments.all_instruments()}


def _context(people: EpisodePeople) -> dict[str, Any]:
    episode = people.episode
    family = episode.family
    return {
        "episode": episode,
        "family": family,
        "title": family_title(family),
        "banner": banner_for(family),
        "episode_url": reverse("care:episode", args=[episode.pk]),
        "links_url": reverse("outcomes:episode_links", args=[episode.pk]),
    }


@require_http_methods(["GET", "POST"])
def send_link(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    episode = people.episode
    offered, unavailable = links.offered_to_parents()
    form = SendLinkForm(
        request.POST if request.method == "POST" else None,
        carers=people.carers,
        infants=people.infants,
        instruments=offered,
        unavailable=unavailable,
        initial={"carer": str(people.carers[0].pk) if len(people.carers) == 1 else None},
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            link, url = links.send_link(
                actor=request.actor,
                episode=episode,
                carer=form.chosen_carer(),
                instruments=form.cleaned_data["instruments"],
                time_point=form.cleaned_data["time_point"],
                infant=form.chosen_infant(),
                site_url=request.build_absolute_uri("/"),
                asks_consent=form.asking_consent(),
            )
        except links.LinkRefused as refused:
            if refused.field in form.fields:
                form.add_error(refused.field, refused.message)
            else:
                problems.append(refused.message)
        else:
            message = outcome_queries.link_messages([link]).get(str(link.pk))
            if message is None or message.status == MessageStatus.WITHHELD:
                request.session[SHOW_ONCE.format(link.pk)] = url
            return redirect("outcomes:link_sent", episode_id=episode.pk, link_id=link.pk)
    if request.method == "GET":
        audit.record(
            action="episode.viewed",
            actor=request.actor,
            obj=episode,
            family_id=episode.family_id,
            detail={"page": "send_questionnaire_link"},
        )
    return render(
        request,
        "outcomes/links/send.jinja",
        {
            **_context(people),
            "form": form,
            "problems": problems,
            "has_carers": bool(people.carers),
            "wording_notes": list(unavailable.values()),
            "key_date": links.key_date_words(people.infants),
            "time_points": TimePoint.choices,
        },
    )


@require_GET
def link_sent(request: ScopedRequest, episode_id: uuid.UUID, link_id: uuid.UUID) -> HttpResponse:
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    link = outcome_scope.get_link(request.scope, people.episode, link_id)
    message = outcome_queries.link_messages([link]).get(str(link.pk))
    # Shown on this page once, then gone: a reload, or anyone later, never sees it again.
    url = request.session.pop(SHOW_ONCE.format(link.pk), "")
    babies = [link.infant] if link.infant is not None else people.infants
    audit.record(
        action="questionnaire_link.viewed",
        actor=request.actor,
        obj=link,
        family_id=people.episode.family_id,
        person_id=link.carer_id,
        detail={"link_shown": bool(url)},
    )
    return render(
        request,
        "outcomes/links/sent.jinja",
        {
            **_context(people),
            "link": link,
            "rows": presenters.sent_rows(link, message, _names()),
            "withheld": presenters.was_withheld(message),
            "withheld_reason": message.withheld_reason if message else "",
            "link_url": url,
            "key_date": links.key_date_words(babies),
        },
    )


@require_GET
def episode_links(request: ScopedRequest, episode_id: uuid.UUID) -> HttpResponse:
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    episode = people.episode
    found = outcome_queries.links_of(episode)
    names = _names()
    audit.record(
        action="episode.viewed",
        actor=request.actor,
        obj=episode,
        family_id=episode.family_id,
        detail={"page": "questionnaire_links", "count": len(found)},
    )
    return render(
        request,
        "outcomes/links/list.jinja",
        {
            **_context(people),
            "rows": presenters.link_rows(found, outcome_queries.link_messages(found), names, timezone.now()),
            "review_rows": presenters.review_rows(outcome_queries.answers_awaiting_review(episode), names),
            "send_url": reverse("outcomes:send_link", args=[episode.pk]),
        },
    )


@require_POST
def revoke_link(request: ScopedRequest, episode_id: uuid.UUID, link_id: uuid.UUID) -> HttpResponse:
    people = outcome_scope.episode_for_entry(request.scope, episode_id)
    link = outcome_scope.get_link(request.scope, people.episode, link_id)
    try:
        links.revoke_link(actor=request.actor, link=link)
    except links.LinkRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, f"The link for {link.carer.full_name} is withdrawn. It no longer opens.")
    return redirect("outcomes:episode_links", episode_id=people.episode.pk)
