"""The team's schedule of measures: team leads list, add, change and remove rows; the rules
refuse what cannot work, with the message on the field and every value kept; each change is
audited; other people are refused."""

import html
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.tests.factories import TeamFactory
from attune.organisations.tests.world import World
from attune.outcomes import schedules as actions
from attune.outcomes.models import MeasureSchedule, TimePoint
from attune.outcomes.schedules import ScheduleEntry, ScheduleError
from attune.outcomes.tests.factories_progress import schedule


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def field_error(response: Any, field: str) -> str:
    """The error message shown on a field (its error element's text)."""
    page = response.content.decode()
    match = re.search(rf'id="id_{field}-error">\s*<span[^>]*>Error: </span>(.*?)\s*</span>', page, re.S)
    assert match, f"No error on {field}"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip())


def post(client: Client, url: str, **data: str) -> Any:
    values = {
        "instrument": "",
        "time_point": "",
        "weeks_after_start": "",
        "infant_min_months": "",
        "infant_max_months": "",
    }
    values.update(data)
    return client.post(url, values)


def test_team_lead_sees_the_schedule_in_order(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.DISCHARGE, None)
    schedule(world.hub, "PHQ9", TimePoint.REVIEW, 12)
    schedule(world.hub, "ADBB", TimePoint.ASSESSMENT, 0, infant_min_months=2, infant_max_months=12)
    schedule(world.hub, "GAD7", TimePoint.REVIEW, 12, active=False)
    schedule(world.satellite, "KPCS", TimePoint.ASSESSMENT, 0)

    response = signed_in(team_lead).get(f"/teams/{world.hub.pk}/measures")

    assert response.status_code == 200
    words = text(response)
    assert "Schedule of measures" in words
    body = words.split("Measures the team gives, earliest first", 1)[1]
    assert (
        body.index("Alarm Distress Baby Scale")
        < body.index("Patient Health Questionnaire")
        < body.index("Edinburgh Postnatal Depression Scale")
    )
    assert "When the episode starts 2 to 12 months" in body
    assert "12 weeks after the episode starts Any age" in body
    assert "When the family is discharged" in body
    assert "GAD" not in body
    assert "Karitane" not in body
    assert AuditEvent.objects.filter(action="outcomes.schedules_viewed", object_id=str(world.hub.pk)).exists()


def test_the_schedule_leads_back_to_the_team_as_team_settings_does(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    back = rf'<a class="nhsuk-back-link" href="/teams/{world.hub.pk}">\s*Back to the team\s*</a>'
    page = client.get(f"/teams/{world.hub.pk}/measures").content.decode()
    found = re.search(back, page)
    # Before the main content, where NHS.UK puts a back link
    assert found is not None
    assert found.start() < page.index('id="maincontent"')
    assert re.search(back, client.get(f"/teams/{world.hub.pk}/settings").content.decode())


def test_practitioners_are_refused_and_outsiders_not_told(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, world: World
) -> None:
    row = schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    client = signed_in(practitioner)
    for url in ("", "/new", f"/change?schedule={row.pk}", f"/remove?schedule={row.pk}"):
        assert client.get(f"/teams/{world.hub.pk}/measures{url}").status_code == 403
    assert (
        post(client, f"/teams/{world.hub.pk}/measures/new", instrument="PHQ9", time_point="review").status_code == 403
    )
    assert client.post(f"/teams/{world.hub.pk}/measures/remove?schedule={row.pk}").status_code == 403
    other = signed_in(outsider)
    assert other.get(f"/teams/{world.hub.pk}/measures").status_code == 404
    assert MeasureSchedule.objects.get(pk=row.pk).active


def test_team_lead_adds_a_measure(signed_in: Callable[[User], Client], team_lead: User, world: World) -> None:
    client = signed_in(team_lead)
    response = post(
        client,
        f"/teams/{world.hub.pk}/measures/new",
        instrument="ADBB",
        time_point="review",
        weeks_after_start="12",
        infant_min_months="2",
        infant_max_months="18",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{world.hub.pk}/measures"
    row = MeasureSchedule.objects.get()
    assert (row.team, row.instrument, row.time_point, row.weeks_after_start) == (world.hub, "ADBB", "review", 12)
    assert (row.infant_min_months, row.infant_max_months) == (2, 18)
    event = AuditEvent.objects.get(action="outcomes.schedule_added")
    assert event.actor == team_lead
    assert event.object_id == str(row.pk)
    assert event.detail["instrument"] == "ADBB"
    assert "ADBB at review is added." in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time_point": "review", "weeks_after_start": "12"}, "instrument", "Select a measure"),
        ({"instrument": "NOPE", "time_point": "review"}, "instrument", "Select a measure from the list"),
        ({"instrument": "EPDS", "weeks_after_start": "12"}, "time_point", "Select the time point"),
        (
            {"instrument": "EPDS", "time_point": "review", "weeks_after_start": "105"},
            "weeks_after_start",
            "Weeks after the start must be a whole number from 0 to 104",
        ),
        (
            {"instrument": "EPDS", "time_point": "review", "weeks_after_start": "twelve"},
            "weeks_after_start",
            "Weeks after the start must be a whole number from 0 to 104",
        ),
        (
            # A superscript two passes str.isdigit() but not int(): it was a 500 (issue 15 journey)
            {"instrument": "EPDS", "time_point": "review", "weeks_after_start": "1²"},
            "weeks_after_start",
            "Weeks after the start must be a whole number from 0 to 104",
        ),
        (
            {"instrument": "EPDS", "time_point": "review"},
            "weeks_after_start",
            "Enter how many weeks after the episode starts the measure is due",
        ),
        (
            {"instrument": "EPDS", "time_point": "discharge", "weeks_after_start": "20"},
            "weeks_after_start",
            "Leave weeks after the start blank for a discharge measure: it is due when the family is discharged",
        ),
        (
            {"instrument": "EPDS", "time_point": "review", "weeks_after_start": "12", "infant_min_months": "2"},
            "infant_min_months",
            "Leave the baby's age blank: the Edinburgh Postnatal Depression Scale is not about a baby",
        ),
        (
            {"instrument": "ADBB", "time_point": "review", "weeks_after_start": "12", "infant_max_months": "61"},
            "infant_max_months",
            "Oldest age must be a whole number of months from 0 to 60",
        ),
        (
            {
                "instrument": "ADBB",
                "time_point": "review",
                "weeks_after_start": "12",
                "infant_min_months": "12",
                "infant_max_months": "6",
            },
            "infant_min_months",
            "The youngest age must be the same as or lower than the oldest age",
        ),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_with_the_values_kept(
    signed_in: Callable[[User], Client], team_lead: User, world: World, data: dict[str, str], field: str, message: str
) -> None:
    response = post(signed_in(team_lead), f"/teams/{world.hub.pk}/measures/new", **data)
    assert response.status_code == 200
    assert field_error(response, field) == message
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error: " in page
    for name, value in data.items():
        if name in ("weeks_after_start", "infant_min_months", "infant_max_months"):
            assert f'value="{value}"' in page
        elif name == "instrument" and value == "EPDS":
            assert re.search(r'<option value="EPDS"\s+selected', page)
    assert not MeasureSchedule.objects.exists()
    assert not AuditEvent.objects.filter(action="outcomes.schedule_added").exists()


def test_a_measure_is_scheduled_once_per_time_point(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    response = post(
        signed_in(team_lead),
        f"/teams/{world.hub.pk}/measures/new",
        instrument="EPDS",
        time_point="review",
        weeks_after_start="16",
    )
    assert field_error(response, "time_point") == (
        "The Edinburgh Postnatal Depression Scale is already scheduled at review. Change that row instead."
    )
    assert MeasureSchedule.objects.count() == 1


def test_team_lead_changes_a_row(signed_in: Callable[[User], Client], team_lead: User, world: World) -> None:
    row = schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    client = signed_in(team_lead)
    form = client.get(f"/teams/{world.hub.pk}/measures/change?schedule={row.pk}").content.decode()
    assert 'value="12"' in form
    response = post(
        client,
        f"/teams/{world.hub.pk}/measures/change?schedule={row.pk}",
        instrument="EPDS",
        time_point="review",
        weeks_after_start="16",
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.weeks_after_start == 16
    event = AuditEvent.objects.get(action="outcomes.schedule_changed")
    assert event.detail["before"]["weeks_after_start"] == 12
    assert event.detail["weeks_after_start"] == 16


def test_team_lead_removes_a_row_and_can_add_it_back(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    row = schedule(world.hub, "EPDS", TimePoint.REVIEW, 12)
    client = signed_in(team_lead)
    confirm = text(client.get(f"/teams/{world.hub.pk}/measures/remove?schedule={row.pk}"))
    assert "Remove this measure from the schedule?" in confirm
    assert "Edinburgh Postnatal Depression Scale" in confirm
    response = client.post(f"/teams/{world.hub.pk}/measures/remove?schedule={row.pk}")
    assert response.status_code == 302
    row.refresh_from_db()
    assert not row.active
    assert AuditEvent.objects.filter(action="outcomes.schedule_removed", object_id=str(row.pk)).exists()
    assert "EPDS at review is off the schedule." in text(client.get(response["Location"]))
    # Gone from the list, and removing it again is not found.
    assert client.get(f"/teams/{world.hub.pk}/measures/remove?schedule={row.pk}").status_code == 404
    again = post(
        client, f"/teams/{world.hub.pk}/measures/new", instrument="EPDS", time_point="review", weeks_after_start="10"
    )
    assert again.status_code == 302
    row.refresh_from_db()
    assert row.active
    assert row.weeks_after_start == 10
    assert MeasureSchedule.objects.count() == 1


def test_another_teams_row_or_a_bad_id_is_not_found(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    theirs = schedule(world.satellite, "EPDS", TimePoint.REVIEW, 12)
    client = signed_in(team_lead)
    assert client.get(f"/teams/{world.hub.pk}/measures/change?schedule={theirs.pk}").status_code == 404
    assert client.post(f"/teams/{world.hub.pk}/measures/remove?schedule={theirs.pk}").status_code == 404
    assert client.get(f"/teams/{world.hub.pk}/measures/change?schedule=not-a-uuid").status_code == 404
    assert client.get(f"/teams/{world.hub.pk}/measures/change").status_code == 404
    assert MeasureSchedule.objects.get(pk=theirs.pk).active


def test_the_actions_check_whoever_calls_them(world: World) -> None:
    with pytest.raises(ScheduleError, match="Select a measure from the list"):
        actions.set_schedule(actor=None, team=world.hub, entry=ScheduleEntry("HADS", "review", 12))
    with pytest.raises(ScheduleError, match="Select the time point"):
        actions.set_schedule(actor=None, team=world.hub, entry=ScheduleEntry("EPDS", "other", 12))
    kept = actions.set_schedule(actor=None, team=world.hub, entry=ScheduleEntry("KPCS", "assessment", 0, 0, 12))
    assert kept.infant_max_months == 12  # the KPCS is fitted to babies' ages
    other = actions.set_schedule(actor=None, team=world.satellite, entry=ScheduleEntry("EPDS", "review", 12))
    with pytest.raises(ScheduleError, match="not on the team's schedule"):
        actions.set_schedule(actor=None, team=world.hub, entry=ScheduleEntry("EPDS", "review", 10), schedule=other)


def test_schedule_page_query_count_does_not_grow_with_rows(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    codes = ["EPDS", "PHQ9", "GAD7", "CORE10", "PBQ", "KPCS", "ADBB", "GBO", "PIRGAS", "ASQSE2"]
    points = [TimePoint.ASSESSMENT, TimePoint.REVIEW, TimePoint.FOLLOW_UP, TimePoint.DISCHARGE]
    teams = [world.hub]

    def add() -> None:
        n = MeasureSchedule.objects.count()
        # A team has at most one row per measure and time point (40), so other teams' rows,
        # which the page must not show, make up the rest.
        if n and n % 40 == 0:
            teams.append(TeamFactory(service=world.hub.service))
        point = points[n // 10 % 4]
        MeasureSchedule.objects.create(
            team=teams[-1],
            instrument=codes[n % 10],
            time_point=point,
            weeks_after_start=None if point == TimePoint.DISCHARGE else n % 105,
        )

    assert_flat(
        grow=growing(add, MeasureSchedule.objects.count),
        fetch=lambda: client.get(f"/teams/{world.hub.pk}/measures"),
    )
