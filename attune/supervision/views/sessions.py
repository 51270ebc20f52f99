"""Supervision sessions: the list, recording one, one session's page, and completing an action."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from attune.core import audit
from attune.core.formatting import paragraphs
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest
from attune.supervision import forms, presenters, services
from attune.supervision import scope as supervision_scope

SESSIONS_PER_PAGE = 25


def sessions(request: ScopedRequest) -> HttpResponse:
    """Supervision the person gave or received, newest first, a page at a time (a weekly group
    gives a supervisor fifty sessions a year)."""
    scope = request.scope
    scope.require(Capability.WORK_WITH_FAMILIES, "supervision.supervisionsession")
    page = Paginator(supervision_scope.sessions(scope), SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    audit.record(
        action="supervision.sessions_viewed",
        actor=request.actor,
        obj=request.user,
        detail={"count": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "supervision/sessions.jinja",
        {
            "rows": presenters.session_rows(list(page.object_list)),
            "page": page,
            "head": presenters.SESSIONS_HEAD,
            "can_record": scope.can(Capability.SUPERVISE),
            "can_see_compliance": scope.can(Capability.SUPERVISE),
        },
    )


@require_http_methods(["GET", "POST"])
def record_session(request: ScopedRequest) -> HttpResponse:
    """A clinical supervisor records supervision they gave, individual or group."""
    scope = request.scope
    people = supervision_scope.supervisee_choices(scope)
    episodes = supervision_scope.episode_choices(scope, [person.pk for person in people])
    labels = {str(episode.pk): presenters.episode_label(episode) for episode in episodes}
    kwargs = {"supervisor": request.user, "people": people, "episodes": episodes, "episode_labels": labels}
    if request.method == "POST":
        form = forms.SessionForm(request.POST, **kwargs)  # type: ignore[arg-type]
        if form.is_valid():
            try:
                session = services.record_session(
                    actor=request.actor,
                    supervisees=form.chosen_people(),
                    kind=form.cleaned_data["kind"],
                    format=form.cleaned_data["format"],
                    held_on=form.cleaned_data["held_on"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    notes=form.cleaned_data["notes"],
                    episodes=form.chosen_episodes(),
                    actions=form.actions(),
                )
            except services.SupervisionError as refused:
                form.add_error(form.field_for(str(refused)), str(refused))
            else:
                messages.success(request, f"{presenters.session_title(session)} recorded")
                return redirect("supervision:session", session_id=session.pk)
    else:
        form = forms.SessionForm(initial={"held_on": timezone.localdate()}, **kwargs)  # type: ignore[arg-type]
    return render(
        request,
        "supervision/record.jinja",
        {"form": form, "action_numbers": list(forms.ACTION_NUMBERS), "has_families": bool(episodes)},
    )


def session(request: ScopedRequest, session_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    found = supervision_scope.get_session(scope, session_id)
    discussions, hidden = supervision_scope.visible_discussions(scope, found)
    audit.record(
        action="supervision.session_viewed",
        actor=request.actor,
        obj=found,
        detail={"families_shown": len(discussions), "families_hidden": hidden},
    )
    # Each family discussed is shown with what was said about it: a read of that family.
    audit.record_each_family(
        action="supervision.discussion_viewed",
        actor=request.actor,
        family_ids=[discussion.episode.family_id for discussion in discussions],
        detail={"session": str(found.pk)},
    )
    return render(
        request,
        "supervision/session.jinja",
        {
            "title": presenters.session_title(found),
            "summary": presenters.session_summary(found),
            "notes": paragraphs(found.notes),
            "discussions": presenters.discussion_items(discussions, scope.team_ids(Capability.WORK_WITH_FAMILIES)),
            "hidden": hidden,
            "actions": presenters.action_items(found.actions.all(), request.user, found.supervisor_id),
            "form": forms.CompleteActionForm(),
        },
    )


@require_POST
def complete_action(request: ScopedRequest, session_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    found = supervision_scope.get_session(scope, session_id)
    action = supervision_scope.get_action(scope, found, action_id)
    form = forms.CompleteActionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.complete_action(actor=request.actor, action=action, note=note)
    except services.SupervisionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Action marked as done: {action.description}")
    return redirect("supervision:session", session_id=found.pk)
