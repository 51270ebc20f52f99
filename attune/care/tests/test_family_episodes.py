"""The family page lists the family's episodes of care (registered by care, so the families app
imports nothing from it): when each opened, the team, the lead and the state, only in teams the
reader works in, with the same number of queries however many there are."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.care.codes import WorkerRole
from attune.care.models import Episode, EpisodeEvent, EpisodeWorker
from attune.care.services import append_event
from attune.care.tests.factories import open_episode, waiting_referral
from attune.care.tests.factories_diary import at
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.models import Team
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def another_episode(first: Episode, team: Team, lead: User, opened: dt.datetime) -> Episode:
    """A later episode for the same family (a new referral, allocated)."""
    referral = ReferralFactory(family=first.family, team=team, received_at=opened - dt.timedelta(days=10))
    episode = Episode.objects.create(
        referral=referral,
        family=first.family,
        team=team,
        opened_at=opened,
        last_event_kind=EpisodeEvent.Kind.ALLOCATED,
        last_event_at=opened,
    )
    EpisodeWorker.objects.create(episode=episode, practitioner=lead, role=WorkerRole.LEAD, started_at=opened)
    append_event(episode=episode, kind=EpisodeEvent.Kind.ALLOCATED, at=opened, by=lead)
    return episode


def test_the_family_page_lists_its_episodes_newest_first(
    world: World, practitioner: User, supervisor: User, signed_in: Callable[[User], Client]
) -> None:
    first = open_episode(world.hub, practitioner, opened_at=at(dt.date(2025, 3, 3)))
    append_event(episode=first, kind=EpisodeEvent.Kind.DISCHARGED, at=at(dt.date(2025, 9, 1)), by=practitioner)
    second = another_episode(first, world.hub, supervisor, at(dt.date(2026, 2, 2)))
    html = signed_in(practitioner).get(f"/families/{first.family_id}").content.decode()
    assert "Episodes of care" in html
    # Each link says which episode it is when read alone: the team, when it opened, the lead
    newer = html.index(
        f'<a href="/episodes/{second.pk}">{world.hub.name} episode, opened 2 February 2026, '
        "lead practitioner Sam Supervisor</a>"
    )
    older = html.index(
        f'<a href="/episodes/{first.pk}">{world.hub.name} episode, opened 3 March 2025, '
        "lead practitioner Pat Practitioner</a>"
    )
    assert newer < older
    section = html[newer:]
    assert "Open" in section[: section.index("opened 3 March 2025")]
    assert "Discharged" in section[section.index("opened 3 March 2025") :]


def test_only_episodes_in_the_reader_s_teams_are_listed(
    world: World, practitioner: User, supervisor: User, signed_in: Callable[[User], Client]
) -> None:
    hub_episode = open_episode(world.hub, practitioner, opened_at=at(dt.date(2026, 1, 5)))
    satellite_episode = another_episode(hub_episode, world.satellite, supervisor, at(dt.date(2026, 6, 1)))
    # The hub practitioner does not work in the satellite; the supervisor works in both.
    html = signed_in(practitioner).get(f"/families/{hub_episode.family_id}").content.decode()
    assert f"/episodes/{hub_episode.pk}" in html
    assert f"/episodes/{satellite_episode.pk}" not in html
    html = sign_in_client(Client(), supervisor).get(f"/families/{hub_episode.family_id}").content.decode()
    assert f"/episodes/{hub_episode.pk}" in html
    assert f"/episodes/{satellite_episode.pk}" in html


def test_a_family_without_episodes_says_so(
    world: World, practitioner: User, signed_in: Callable[[User], Client]
) -> None:
    waiting = waiting_referral(world.hub)
    html = signed_in(practitioner).get(f"/families/{waiting.family_id}").content.decode()
    assert "This family has no episode of care in the teams you work in." in html


def test_family_page_query_count_does_not_grow_with_episodes(
    world: World, practitioner: User, signed_in: Callable[[User], Client]
) -> None:
    first = open_episode(world.hub, practitioner, opened_at=at(dt.date(2025, 1, 6)))
    client = signed_in(practitioner)
    day = iter(range(1, 10_000))

    def add() -> None:
        another_episode(first, world.hub, practitioner, at(dt.date(2025, 1, 6) + dt.timedelta(days=next(day))))

    def fetch() -> None:
        assert client.get(f"/families/{first.family_id}").status_code == 200

    assert_flat(grow=growing(add, lambda: Episode.objects.filter(family=first.family).count()), fetch=fetch)
