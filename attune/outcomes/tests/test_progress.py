"""The progress page: what is due, a chart and table per measure and person, and the episode
outcome summary; who may see it; and its query count however many measures there are."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services as care_services
from attune.care.codes import DischargeReason
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat
from attune.families.tests.factories import CarerFactory, SafeguardingFlagFactory
from attune.organisations.tests.world import World
from attune.outcomes.models import Administration, TimePoint
from attune.outcomes.tests.factories_progress import record, schedule, stored

WEEK = dt.timedelta(weeks=1)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def table_rows(page: str, caption: str) -> list[str]:
    """A table's body rows as text, found by its caption."""
    table = page.split(caption, 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    # Unescaped, so a generated name with an apostrophe (O'Brien) reads as it does on the page.
    return [
        unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()) for row in re.findall(r"<tr.*?</tr>", body)
    ]


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    """Opened 13 weeks ago with a mother (Jade Hughes) and her baby; EPDS 16 at assessment and 10
    at review; the team gives EPDS and GAD-7 at assessment and EPDS and PHQ-9 at review (week 12)."""
    today = timezone.localdate()
    opened = timezone.now() - 13 * WEEK
    found = open_episode(world.hub, practitioner, opened_at=opened)
    carer = found.carers.get()
    carer.given_name, carer.family_name = "Jade", "Hughes"
    carer.save()
    record(found, "EPDS", 16, completed_on=today - 12 * WEEK, carer=carer)
    record(found, "EPDS", 10, completed_on=today - dt.timedelta(days=2), time_point=TimePoint.REVIEW, carer=carer)
    schedule(world.hub, "EPDS", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "GAD7", TimePoint.ASSESSMENT, 0)
    schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    schedule(world.hub, "PHQ9", TimePoint.REVIEW, 12)
    return found


def test_practitioner_sees_measures_due_charts_tables_and_the_summary(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    response = signed_in(practitioner).get(f"/episodes/{episode.pk}/outcomes")

    assert response.status_code == 200
    page = html(response)
    words = text(response)
    assert "<h1>Outcome measures</h1>" in page
    # Due: PHQ-9 at review (due a week ago), overdue: GAD-7 at assessment; EPDS is done.
    due = table_rows(page, "Measures due or overdue, overdue first")
    assert len(due) == 2
    assert due[0].startswith("GAD-7 Jade Hughes Assessment Due")
    assert "Overdue" in due[0]
    assert due[1].startswith("PHQ-9 Jade Hughes Review Since")
    assert " Due " in f" {due[1]} "
    carer = episode.carers.get()
    assert f'href="/episodes/{episode.pk}/measures/new/PHQ9?time_point=review&amp;carer={carer.pk}"' in page
    assert 'Enter<span class="nhsuk-u-visually-hidden"> PHQ-9 for Jade Hughes</span>' in page
    # The chart: an image named by its title, described, with the cut-off drawn.
    assert 'role="img" aria-labelledby="chart-1-title" aria-describedby="chart-1-desc"' in page
    assert '<title id="chart-1-title">EPDS scores for Jade Hughes</title>' in page
    assert "Cut-off: 13 or more: likely depression" in page
    # Beside it, the table of the same data.
    rows = table_rows(page, "EPDS scores for Jade Hughes, oldest first")
    assert len(rows) == 2
    assert "Assessment 16" in rows[0]
    assert "Baseline" in rows[0]
    assert "Review 10" in rows[1]
    assert "\u22126 Improved" in rows[1]
    # The outcome summary.
    summary = table_rows(page, "whether the change is reliable")
    assert len(summary) == 1
    assert summary[0].startswith("EPDS Jade Hughes 16 (")
    assert "\u22126 Improved Yes: crossed below the cut-off, out of the clinical range" in summary[0]
    assert "A change of 4 points or more is reliable change." in words


def test_viewing_progress_is_audited(signed_in: Callable[[User], Client], practitioner: User, episode: Episode) -> None:
    signed_in(practitioner).get(f"/episodes/{episode.pk}/outcomes")
    event = AuditEvent.objects.get(action="outcomes.progress_viewed")
    assert event.actor == practitioner
    assert event.object_id == str(episode.pk)
    assert event.object_type == "care.episode"
    assert event.detail == {"administrations": 2}


def test_the_family_banner_shows_on_the_progress_page(
    signed_in: Callable[[User], Client], practitioner: User, episode: Episode
) -> None:
    SafeguardingFlagFactory(family=episode.family)
    page = html(signed_in(practitioner).get(f"/episodes/{episode.pk}/outcomes"))
    assert "data-safeguarding-banner" in page


def test_an_episode_with_nothing_recorded_says_so(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    found = open_episode(world.hub, practitioner)
    words = text(signed_in(practitioner).get(f"/episodes/{found.pk}/outcomes"))
    assert "No measures have been recorded in this episode yet." in words
    assert "The team has no schedule of measures yet, so none are due." in words


def test_a_single_score_is_not_enough_to_judge_change(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    found = open_episode(world.hub, practitioner)
    record(found, "PHQ9", 12, completed_on=timezone.localdate(), carer=found.carers.get())
    page = html(signed_in(practitioner).get(f"/episodes/{found.pk}/outcomes"))
    summary = table_rows(page, "whether the change is reliable")
    assert "Not enough data" in summary[0]
    assert summary[0].endswith("Not enough data")


def test_each_carer_has_their_own_series(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    found = open_episode(world.hub, practitioner, opened_at=timezone.now() - 5 * WEEK)
    mum = found.carers.get()
    dad = CarerFactory(family=found.family, given_name="Tom", family_name="Hughes", relationship="father")
    found.carers.add(dad)
    today = timezone.localdate()
    record(found, "PHQ9", 20, completed_on=today - 4 * WEEK, carer=mum)
    record(found, "PHQ9", 8, completed_on=today, carer=mum, time_point=TimePoint.REVIEW)
    record(found, "PHQ9", 4, completed_on=today - 4 * WEEK, carer=dad)
    record(found, "PHQ9", 12, completed_on=today, carer=dad, time_point=TimePoint.REVIEW)
    page = html(signed_in(practitioner).get(f"/episodes/{found.pk}/outcomes"))
    summary = table_rows(page, "whether the change is reliable")
    by_person = {row.split(" ", 1)[1].split(" (", 1)[0]: row for row in summary}
    mum_row = next(row for row in summary if mum.full_name in row)
    dad_row = next(row for row in summary if "Tom Hughes" in row)
    assert len(by_person) == 2
    assert "\u221212 Improved Yes: crossed below the cut-off" in mum_row
    assert "+8 Deteriorated Yes: crossed above the cut-off, into the clinical range" in dad_row


def test_a_discharged_family_has_its_discharge_measures_due(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    found = open_episode(world.hub, practitioner, opened_at=timezone.now() - 20 * WEEK)
    schedule(world.hub, "EPDS", TimePoint.DISCHARGE, None)
    client = signed_in(practitioner)
    before = text(client.get(f"/episodes/{found.pk}/outcomes"))
    assert "When the family is discharged: EPDS for" in before
    assert "No measures are due now." in before
    care_services.discharge_episode(
        actor=acting(practitioner), episode=found, reason=DischargeReason.COMPLETED, summary="Goals met."
    )
    page = html(client.get(f"/episodes/{found.pk}/outcomes"))
    due = table_rows(page, "Measures due or overdue, overdue first")
    assert len(due) == 1
    assert due[0].startswith("EPDS")
    assert "Discharge" in due[0]


def test_outsiders_get_not_found(signed_in: Callable[[User], Client], outsider: User, episode: Episode) -> None:
    response = signed_in(outsider).get(f"/episodes/{episode.pk}/outcomes")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="outcomes.progress_viewed").exists()
    assert AuditEvent.objects.filter(action="access.refused", object_id=str(episode.pk)).exists()


def test_commissioners_never_see_a_family(
    signed_in: Callable[[User], Client], commissioner: User, episode: Episode
) -> None:
    assert signed_in(commissioner).get(f"/episodes/{episode.pk}/outcomes").status_code == 404


def test_the_supervisor_in_the_satellite_sees_its_episodes(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, world: World
) -> None:
    found = open_episode(world.satellite, trainee)
    assert signed_in(supervisor).get(f"/episodes/{found.pk}/outcomes").status_code == 200


def test_progress_query_count_does_not_grow_with_measures(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    found = open_episode(world.hub, practitioner, opened_at=timezone.now() - 60 * WEEK)
    carer = found.carers.get()
    infant = found.infants.get()
    schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    schedule(world.hub, "PBQ", TimePoint.REVIEW, 12)
    client = signed_in(practitioner)
    start = timezone.localdate() - 59 * WEEK
    codes = ["EPDS", "PHQ9", "GAD7", "PBQ", "CORE10"]

    def grow(n: int) -> None:
        while Administration.objects.count() < n:
            count = Administration.objects.count()
            code = codes[count % len(codes)]
            stored(
                found,
                code,
                count % 10,
                completed_on=start + dt.timedelta(days=count),
                time_point=TimePoint.REVIEW if count else TimePoint.ASSESSMENT,
                carer=carer,
                infant=infant if code == "PBQ" else None,
            )

    def fetch() -> None:
        response = client.get(f"/episodes/{found.pk}/outcomes")
        assert response.status_code == 200

    assert_flat(grow=grow, fetch=fetch)
