"""The practitioner's own caseload has a "Measures due" column (registered by outcomes, so care
imports nothing from it): what is due or overdue per family, linked to its progress page, in a
fixed number of queries however many families."""

import datetime as dt
import re
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode, open_episodes
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.organisations.tests.world import World
from attune.outcomes.models import TimePoint
from attune.outcomes.tests.factories_progress import schedule, stored

WEEK = dt.timedelta(weeks=1)


def cells(html: str, episode: Episode) -> list[str]:
    """The cells of the caseload row that links to this episode."""
    page = re.sub(r"\s+", " ", html)
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page) if f'href="/episodes/{episode.pk}"' in r)
    # Without the heading each cell repeats for narrow screens (a responsive table).
    return [
        re.sub(r'<span class="nhsuk-table__heading"[^>]*>.*?</span>', "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_own_caseload_shows_the_measures_due_for_each_family(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "PHQ9", TimePoint.REVIEW, 12)
    today = timezone.localdate()
    late = open_episode(world.hub, practitioner, opened_at=timezone.now() - 13 * WEEK)
    done = open_episode(world.hub, practitioner, opened_at=timezone.now())
    stored(done, "EPDS", 5, completed_on=today, carer=done.carers.get())

    html = signed_in(practitioner).get("/caseload").content.decode()

    assert "Measures due" in html
    late_cell = cells(html, late)[-1]
    assert f'href="/episodes/{late.pk}/outcomes"' in late_cell
    assert "Overdue" in late_cell
    assert "EPDS" in late_cell
    assert "PHQ-9" in late_cell
    assert cells(html, done)[-1] == "None"


def test_a_team_lead_reading_someone_s_caseload_has_no_measures_column(
    signed_in: Callable[[User], Client], practitioner: User, team_lead: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    open_episode(world.hub, practitioner, opened_at=timezone.now() - 3 * WEEK)
    html = signed_in(team_lead).get(f"/teams/{world.hub.pk}/caseloads/{practitioner.pk}").content.decode()
    assert "Measures due" not in html


def test_measures_column_query_count_does_not_grow_with_families(
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
        response = client.get("/caseload")
        assert response.status_code == 200
        assert "PBQ" in response.content.decode()

    assert_flat(grow=grow, fetch=fetch)
