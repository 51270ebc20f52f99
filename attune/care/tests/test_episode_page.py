"""The episode of care page: who the family is (with its safeguarding banner), the state, who works
with them now and before, what is offered, goals and ratings, appointments with attendance and
notes, the history, and the actions open now. Reading it is audited; strangers get 404."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance, WorkerRole
from attune.care.models import Episode, EpisodeEvent, EpisodeWorker, NoteStatus
from attune.care.services import append_event
from attune.care.tests.factories import AppointmentFactory
from attune.care.tests.factories_episode import discharge_directly, goal_with_ratings, named_episode, past_contact
from attune.care.tests.pages import html
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.queries import assert_flat, growing
from attune.families.tests.factories import SafeguardingFlagFactory
from attune.organisations.tests.world import World


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def url(episode: Episode, page: str = "") -> str:
    return f"/episodes/{episode.pk}" + (f"/{page}" if page else "")


def test_episode_page_shows_the_family_the_work_and_its_history(
    signed_in: Callable[[User], Client], practitioner: User, supervisor: User, team_lead: User, world: World
) -> None:
    opened = timezone.now() - dt.timedelta(days=30)
    episode = named_episode(world.hub, practitioner, co_worker=supervisor, opened_at=opened, by=team_lead)
    SafeguardingFlagFactory(family=episode.family, kind="child_in_need", detail="Plan since May")
    EpisodeWorker.objects.create(
        episode=episode,
        practitioner=team_lead,
        role=WorkerRole.LEAD,
        started_at=opened - dt.timedelta(days=1),
        ended_at=opened,
    )
    jade = episode.family.carers.get()
    goal_with_ratings(episode, jade, "Enjoy playing with Ava", [3, 5, 7])
    goal_with_ratings(episode, jade, "Feel less anxious at bath time", [])
    past_contact(episode, practitioner, days_ago=10)
    past_contact(episode, practitioner, days_ago=3, note=NoteStatus.DRAFT)
    past_contact(episode, practitioner, days_ago=5, attendance=Attendance.DID_NOT_ATTEND, note=None)
    upcoming = AppointmentFactory(episode=episode, practitioner=practitioner)
    append_event(
        episode=episode,
        kind=EpisodeEvent.Kind.TRANSFERRED,
        at=opened + dt.timedelta(days=1),
        by=team_lead,
        note="Handover",
    )
    episode.planned_review_on = timezone.localdate() - dt.timedelta(days=2)
    episode.save()

    response = signed_in(practitioner).get(url(episode))

    assert response.status_code == 200
    page = text(response)
    assert "Family of Ava" in page
    assert "Safeguarding" in page
    assert "Child in need" in page
    # The state is a tag beside the heading, read out as "Episode of care, Open"
    assert "Episode of care Open" not in page
    assert "Episode of care , Open" in page
    assert re.search(
        r'<h1>Episode of care<span class="nhsuk-u-visually-hidden">,</span>\s*'
        r'<strong class="nhsuk-tag nhsuk-tag--green nhsuk-u-margin-left-2">\s*Open\s*</strong>\s*</h1>',
        response.content.decode(),
    )
    assert world.hub.name in page
    assert episode.referral.reference in page
    assert "4 weeks in treatment" in page
    assert "Pat Practitioner (lead practitioner)" in page
    assert "Sam Supervisor (co-worker)" in page
    assert "Parent-infant psychotherapy" in page
    assert "Ava Hughes" in page
    assert "Jade Hughes (mother)" in page
    assert "Overdue" in page
    # Goals with the latest rating and the history
    assert "Enjoy playing with Ava" in page
    assert "7 out of 10 on" in page
    assert "Not rated yet" in page
    # Appointments: upcoming and past, with attendance and note status
    assert "Upcoming appointments" in page
    assert "Booked" in page
    assert f'href="/appointments/{upcoming.pk}"' in html(response) or f"/appointments/{upcoming.pk}" in html(response)
    assert "Attended" in page
    assert "Did not attend" in page
    assert "Draft" in page
    assert "Signed" in page
    assert "No note" in page
    # Past workers and the history
    assert "Lee Lead" in page
    assert "Transferred" in page
    assert "Handover" in page
    assert "Allocated" in page
    # Actions for an open episode
    assert "Discharge" in page
    assert "Add a goal" in page
    assert "Reopen the episode" not in page
    event = AuditEvent.objects.get(action="episode.viewed")
    assert event.object_id == str(episode.pk)
    assert event.actor == practitioner


def test_discharged_episode_shows_the_discharge_and_offers_reopening_and_the_letter(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    discharge_directly(episode, practitioner)

    page = text(signed_in(practitioner).get(url(episode)))

    assert "Episode of care , Discharged" in page
    assert "Work completed" in page
    assert "Mum and Ava enjoy each other now." in page
    assert "Reopen the episode" in page
    assert "Discharge letter" in page
    assert "Add a goal" not in page


def test_reopened_episode_is_tagged_reopened(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    discharge_directly(episode, practitioner)
    append_event(
        episode=episode, kind=EpisodeEvent.Kind.REOPENED, at=timezone.now(), by=practitioner, note="Sleep got worse"
    )
    page = text(signed_in(practitioner).get(url(episode)))
    assert "Episode of care , Reopened" in page
    assert "Sleep got worse" in page


PAGES = ["", "details", "goals/new", "discharge", "discharge-letter", "reopen"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("practitioner", 200),
        ("coordinator", 200),
        ("team_lead", 200),
        ("supervisor", 200),
        ("trainee", 404),  # a satellite trainee sees satellite episodes only
        ("outsider", 404),
        ("commissioner", 404),
        ("ig_lead", 404),
        ("system_admin", 404),
    ],
)
def test_who_may_open_a_hub_episode(
    role: str, status: int, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], world: World
) -> None:
    lead: User = request.getfixturevalue("practitioner")
    episode = named_episode(world.hub, lead)
    jade = episode.family.carers.get()
    goal = goal_with_ratings(episode, jade, "Enjoy playing with Ava", [4])
    client = signed_in(request.getfixturevalue(role))

    response = client.get(url(episode))

    assert response.status_code == status
    if status == 404:
        assert "Jade Hughes" not in html(response)
        refused = AuditEvent.objects.get(action="access.refused", object_id=str(episode.pk))
        assert refused.outcome == Outcome.NOT_FOUND
        for page in [*PAGES, f"goals/{goal.pk}/rate"]:
            assert client.get(url(episode, page)).status_code == 404, page
            if page not in ("", "discharge-letter"):
                assert client.post(url(episode, page), {"reason": "x"}).status_code == 404, page
        assert not AuditEvent.objects.filter(action="episode.viewed").exists()


def test_the_goal_must_belong_to_the_episode(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    other = named_episode(world.hub, practitioner)
    theirs = goal_with_ratings(other, other.family.carers.get(), "Someone else's goal", [])
    client = signed_in(practitioner)

    assert client.get(url(episode, f"goals/{theirs.pk}/rate")).status_code == 404
    assert client.get(url(other, f"goals/{theirs.pk}/rate")).status_code == 200


def test_episode_page_query_count_does_not_grow_with_appointments_events_and_ratings(
    signed_in: Callable[[User], Client], practitioner: User, team_lead: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    jade = episode.family.carers.get()
    goal = goal_with_ratings(episode, jade, "Enjoy playing with Ava", [])
    client = signed_in(practitioner)

    def add() -> None:
        count = episode.appointments.count()
        past_contact(episode, practitioner, days_ago=count + 1, note=NoteStatus.SIGNED if count % 2 else None)
        AppointmentFactory(
            episode=episode,
            practitioner=practitioner,
            starts_at=timezone.now() + dt.timedelta(days=count + 1),
            ends_at=timezone.now() + dt.timedelta(days=count + 1, hours=1),
        )
        append_event(episode=episode, kind=EpisodeEvent.Kind.TRANSFERRED, at=timezone.now(), by=team_lead, note="Cover")
        EpisodeWorker.objects.create(
            episode=episode,
            practitioner=team_lead,
            role=WorkerRole.CO_WORKER,
            started_at=timezone.now(),
            ended_at=timezone.now(),
        )
        goal.ratings.create(score=count % 11, rated_on=timezone.localdate(), recorded_by=practitioner)
        SafeguardingFlagFactory(family=episode.family)

    def fetch() -> None:
        response = client.get(url(episode))
        assert response.status_code == 200

    assert_flat(grow=growing(add, lambda: episode.events.count() - 1), fetch=fetch)
    page = text(client.get(url(episode)))
    assert page.count("Cover") == 200


def test_team_leads_can_transfer_and_everyone_working_with_families_can_book(
    signed_in: Callable[[User], Client], practitioner: User, team_lead: User, world: World
) -> None:
    episode = named_episode(world.hub, practitioner)
    transfer = f'href="/episodes/{episode.pk}/transfer"'
    book = f'href="/episodes/{episode.pk}/appointments/new"'

    as_lead = html(signed_in(team_lead).get(url(episode)))
    as_practitioner = html(signed_in(practitioner).get(url(episode)))

    assert transfer in as_lead
    assert book in as_lead
    assert transfer not in as_practitioner
    assert book in as_practitioner
