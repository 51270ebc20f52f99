"""A team's posts with their contract dates (for its team leads), and the consultation and
training the team gives to the wider workforce."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods

from attune.core import audit, clocks
from attune.organisations.models import Team
from attune.organisations.scope import ScopedRequest
from attune.workforce import forms, presenters, services
from attune.workforce import scope as workforce_scope
from attune.workforce.models import ActivityKind, Post


@require_GET
def posts(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = workforce_scope.get_posts_team(request.scope, team_id)
    today = timezone.localdate()
    found = workforce_scope.posts_of(team)
    audit.record(action="post.list_viewed", actor=request.actor, obj=team, detail={"count": len(found)})
    return render(
        request,
        "workforce/posts.jinja",
        {
            "team": team,
            "head": POST_CHANGE_HEAD,
            "rows": with_change_links(presenters.post_rows(found, today), found),
            "add_url": reverse("workforce:new_post", args=[team.pk]),
            "ending": [p for p in found if presenters.ending_soon(p, today)],
        },
    )


@require_GET
def activities(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = workforce_scope.get_activity_team(request.scope, team_id)
    today = timezone.localdate()
    year_start = presenters.financial_year_start(today)
    found = workforce_scope.activities_of(team, min(year_start, clocks.add_years(today, -1)))
    audit.record(action="activity.list_viewed", actor=request.actor, obj=team, detail={"count": len(found)})
    return render(
        request,
        "workforce/activities.jinja",
        {
            "team": team,
            "head": presenters.ACTIVITY_HEAD,
            "rows": presenters.activity_rows(found),
            "year_start": year_start,
            "totals_rows": presenters.totals_rows(presenters.activity_totals(found, year_start)),
            "record_url": reverse("workforce:record_activity", args=[team.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def record_activity(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = workforce_scope.get_activity_team(request.scope, team_id)
    form = forms.ActivityForm(request.POST or None, initial={"held_on": timezone.localdate()})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_activity(
                actor=request.actor,
                team=team,
                kind=ActivityKind(data["kind"]),
                held_on=data["held_on"],
                audience=data["audience"],
                attendees=data["attendees"],
                topic=data["topic"],
                hours=data["hours"],
            )
        except services.WorkforceError as error:
            problems.append(str(error))
        else:
            messages.success(request, f"{ActivityKind(data['kind']).label} recorded: {data['topic']}.")
            return redirect("workforce:activities", team_id=team.pk)
    return render(
        request,
        "workforce/record_activity.jinja",
        {
            "team": team,
            "form": form,
            "problems": problems,
            "back_url": reverse("workforce:activities", args=[team.pk]),
        },
    )


POST_CHANGE_HEAD = [*presenters.POST_HEAD, {"text": "Action"}]


def change_post_url(post: Post) -> str:
    return f"{reverse('workforce:change_post', args=[post.team_id])}?{urlencode({'post': str(post.pk)})}"


def with_change_links(rows: list[list[presenters.Cell]], found: list[Post]) -> list[list[presenters.Cell]]:
    """The posts table with a 'Change' link at the end of each row."""
    return [
        [
            *row,
            {
                "html": format_html(
                    '<a href="{}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a>',
                    change_post_url(post),
                    post.title,
                )
            },
        ]
        for row, post in zip(rows, found, strict=True)
    ]


def _post_form(
    request: ScopedRequest, team: Team, form: forms.PostForm, problems: list[str], post: Post | None
) -> HttpResponse:
    return render(
        request,
        "workforce/post_form.jinja",
        {
            "team": team,
            "form": form,
            "problems": problems,
            "post": post,
            "heading": "Change a post" if post else "Add a post",
            "back_url": reverse("workforce:posts", args=[team.pk]),
        },
    )


def _save_post(request: ScopedRequest, team: Team, form: forms.PostForm, post: Post | None) -> list[str]:
    data = form.cleaned_data
    try:
        saved = services.set_post(
            actor=request.actor,
            team=team,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            funded_by=data["funded_by"],
            holder=form.chosen_holder(),
            post=post,
        )
    except services.WorkforceError as error:
        return [str(error)]
    messages.success(request, f"{saved.title} {'changed' if post else 'added'}.")
    return []


@require_http_methods(["GET", "POST"])
def new_post(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = workforce_scope.get_posts_team(request.scope, team_id)
    form = forms.PostForm(request.POST or None, members=workforce_scope.team_members(team))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        problems = _save_post(request, team, form, None)
        if not problems:
            return redirect("workforce:posts", team_id=team.pk)
    return _post_form(request, team, form, problems, None)


@require_http_methods(["GET", "POST"])
def change_post(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = workforce_scope.get_posts_team(request.scope, team_id)
    found = workforce_scope.get_post(request.scope, team, request.GET.get("post", ""))
    initial = {
        "title": found.title,
        "holder": str(found.holder_id) if found.holder_id else "",
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "funded_by": found.funded_by,
    }
    members = workforce_scope.team_members(team)
    if found.holder is not None and all(m.pk != found.holder_id for m in members):
        members.append(found.holder)  # someone who has left the team still holds the post until changed
    form = forms.PostForm(request.POST or None, initial=initial, members=members)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        problems = _save_post(request, team, form, found)
        if not problems:
            return redirect("workforce:posts", team_id=team.pk)
    return _post_form(request, team, form, problems, found)
