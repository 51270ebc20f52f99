"""Goals in the parent's words (up to three each) and their ratings from 0 to 10, through the
episode's pages: each refusal says why and keeps what was typed."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode, Goal, GoalRating
from attune.care.tests.factories_episode import discharge_directly, goal_with_ratings, named_episode
from attune.core.models import AuditEvent
from attune.families.tests.factories import CarerFactory
from attune.organisations.tests.world import World


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def goal_url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/goals/new"


def rate_url(goal: Goal) -> str:
    return f"/episodes/{goal.episode_id}/goals/{goal.pk}/rate"


def date_fields(day: dt.date) -> dict[str, str]:
    return {"rated_on-day": str(day.day), "rated_on-month": str(day.month), "rated_on-year": str(day.year)}


def test_adding_a_goal_for_a_carer_taking_part(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    jade = episode.family.carers.get()
    client = signed_in(practitioner)
    page = text(client.get(goal_url(episode)))
    assert "Jade Hughes" in page
    assert AuditEvent.objects.filter(action="episode.viewed", detail__page="add_goal").exists()

    response = client.post(
        goal_url(episode), {"carer": str(jade.pk), "description": "Enjoy bath time with Ava"}, follow=True
    )

    assert response.redirect_chain == [(f"/episodes/{episode.pk}", 302)]
    assert "Goal added for Jade Hughes." in text(response)
    goal = Goal.objects.get(episode=episode)
    assert (goal.carer, goal.description) == (jade, "Enjoy bath time with Ava")
    assert AuditEvent.objects.filter(action="goal.added", object_id=str(episode.pk)).exists()


def test_only_carers_taking_part_are_offered(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    dad = CarerFactory(family=episode.family, given_name="Sam", family_name="Stranger")
    client = signed_in(practitioner)
    assert "Sam Stranger" not in text(client.get(goal_url(episode)))
    response = client.post(goal_url(episode), {"carer": str(dad.pk), "description": "Something"})
    assert "Select whose goal it is" in text(response)
    assert 'value="Something"' in response.content.decode() or ">Something</textarea>" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_fourth_goal_is_refused_with_the_words_kept(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    jade = episode.family.carers.get()
    for n in range(3):
        goal_with_ratings(episode, jade, f"Goal {n}", [])

    response = signed_in(practitioner).post(
        goal_url(episode), {"carer": str(jade.pk), "description": "Sleep through the night"}
    )

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Jade Hughes already has 3 goals" in page
    assert "Sleep through the night" in page
    assert Goal.objects.filter(episode=episode).count() == 3


def test_an_empty_goal_is_refused(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    jade = episode.family.carers.get()
    response = signed_in(practitioner).post(goal_url(episode), {"carer": str(jade.pk), "description": "  "})
    assert "Enter the goal in the parent's words" in text(response)
    assert f'value="{jade.pk}" checked' in response.content.decode()


def test_no_goals_on_a_closed_episode(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    discharge_directly(episode, practitioner)
    jade = episode.family.carers.get()
    response = signed_in(practitioner).post(goal_url(episode), {"carer": str(jade.pk), "description": "x"})
    assert response.status_code == 302
    assert not Goal.objects.exists()


def test_rating_a_goal(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    episode = named_episode(world.hub, practitioner)
    goal = goal_with_ratings(episode, episode.family.carers.get(), "Enjoy bath time", [2])
    client = signed_in(practitioner)
    page = text(client.get(rate_url(goal)))
    assert "Enjoy bath time" in page
    assert "2 out of 10" in page
    today = timezone.localdate()

    response = client.post(rate_url(goal), {"score": "6", **date_fields(today)}, follow=True)

    assert response.redirect_chain == [(f"/episodes/{episode.pk}", 302)]
    assert "Rating saved for Jade Hughes's goal: 6 out of 10" in text(response)
    latest = GoalRating.objects.filter(goal=goal).order_by("-rated_on", "-created_at").first()
    assert latest is not None
    assert (latest.score, latest.rated_on, latest.recorded_by) == (6, today, practitioner)
    assert AuditEvent.objects.get(action="goal.rated").detail == {"score": 6}


def test_a_rating_needs_a_score_and_a_date_not_in_the_future(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    goal = goal_with_ratings(episode, episode.family.carers.get(), "Enjoy bath time", [])
    client = signed_in(practitioner)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    missing = text(client.post(rate_url(goal), date_fields(tomorrow)))
    future = client.post(rate_url(goal), {"score": "4", **date_fields(tomorrow)})
    too_high = text(client.post(rate_url(goal), {"score": "11", **date_fields(timezone.localdate())}))

    assert "Select a rating from 0 to 10" in missing
    assert "Date of the rating must be today or in the past" in text(future)
    assert 'value="4" checked' in future.content.decode()
    assert f'value="{tomorrow.day}"' in future.content.decode()
    assert "Select a rating from 0 to 10" in too_high
    assert not GoalRating.objects.exists()
