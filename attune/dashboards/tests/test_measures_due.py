"""'Measures due' on the home page: how many outcome measures are due or overdue across the
practitioner's open episodes, each family linking to its progress page; in a fixed number of
queries however many families."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode, EpisodeWorker
from attune.care.tests.factories import open_episode, open_episodes
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.organisations.tests.world import World
from attune.outcomes.models import TimePoint
from attune.outcomes.tests.factories_progress import schedule, stored

WEEK = dt.timedelta(weeks=1)


def section(response: Any, heading: str) -> str:
    page = re.sub(r"\s+", " ", response.content.decode())
    match = re.search(rf'<h2 id="section-\d+">{re.escape(heading)}</h2>(.*?)</section>', page)
    assert match, f"No section {heading!r}"
    return match.group(1)


def named(episode: Episode, baby: str) -> Episode:
    infant = episode.infants.get()
    infant.given_name, infant.family_name = baby, "Hughes"
    infant.save()
    return episode


def test_practitioner_sees_measures_due_and_overdue_by_family(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "PHQ9", TimePoint.REVIEW, 12)
    schedule(world.hub, "ADBB", TimePoint.ASSESSMENT, 0)  # for babies 2 to 24 months
    today = timezone.localdate()
    # Ava's family: opened 13 weeks ago, EPDS done; PHQ-9 due (review a week ago), ADBB overdue.
    ava = named(open_episode(world.hub, practitioner, opened_at=timezone.now() - 13 * WEEK), "Ava")
    stored(ava, "EPDS", 12, completed_on=today - 12 * WEEK, carer=ava.carers.get())
    # Ben's family: opened today, everything done but ADBB (due from today).
    ben = named(open_episode(world.hub, practitioner, opened_at=timezone.now()), "Ben")
    stored(ben, "EPDS", 5, completed_on=today, carer=ben.carers.get())
    # Cal's family: all done.
    cal = named(open_episode(world.hub, practitioner, opened_at=timezone.now()), "Cal")
    stored(cal, "EPDS", 5, completed_on=today, carer=cal.carers.get())
    stored(cal, "ADBB", 2, completed_on=today, infant=cal.infants.get())

    found = section(signed_in(practitioner).get("/"), "Measures due")

    assert "3 measures are due or overdue across 2 families you work with, 1 of them overdue." in found
    items = re.findall(r"<li>(.*?)</li>", found)
    assert len(items) == 2
    assert f'href="/episodes/{ava.pk}/outcomes">Family of Ava Hughes</a>' in items[0]
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>' in items[0]
    assert "1 overdue, 1 due: ADBB, PHQ-9" in items[0]
    assert f'href="/episodes/{ben.pk}/outcomes">Family of Ben Hughes</a>' in items[1]
    assert "1 due: ADBB" in items[1]
    assert "Overdue" not in items[1]


def test_other_practitioners_and_closed_work_do_not_count(
    signed_in: Callable[[User], Client], practitioner: User, supervisor: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    open_episode(world.hub, supervisor)  # someone else's family
    mine = open_episode(world.hub, practitioner)
    EpisodeWorker.objects.filter(episode=mine).update(ended_at=timezone.now())  # transferred away
    kept = open_episode(world.hub, practitioner)
    stored(kept, "EPDS", 3, completed_on=timezone.localdate(), carer=kept.carers.get())

    found = section(signed_in(practitioner).get("/"), "Measures due")

    assert "No outcome measures are due or overdue for the families you work with." in found
    assert "<li>" not in found


def test_people_without_a_caseload_have_no_section(
    signed_in: Callable[[User], Client], coordinator: User, commissioner: User
) -> None:
    assert "Measures due" not in signed_in(coordinator).get("/").content.decode()


def test_measures_due_query_count_does_not_grow_with_families(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "PBQ", TimePoint.REVIEW, 12)
    client = signed_in(practitioner)

    def add(count: int) -> None:
        episodes = open_episodes(world.hub, [practitioner] * count, opened_at=timezone.now() - 14 * WEEK)
        for episode in episodes:
            stored(episode, "EPDS", 4, completed_on=timezone.localdate(), carer=episode.carers.get())

    grow = growing_in_bulk(add, lambda: Episode.objects.count())

    def fetch() -> None:
        response = client.get("/")
        assert response.status_code == 200
        assert "Measures due" in response.content.decode()

    assert_flat(grow=grow, fetch=fetch)
