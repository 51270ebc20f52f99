"""Filtering /audit by person, action, dates and outcome: the filters stay in the pagination links,
are recorded in the event of reading the log, and a date that cannot be read gets a message."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.governance import forms
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World


def _events(html: str) -> str:
    """The events table (the action filter above it lists every action's label)."""
    if "<table" not in html:
        return ""
    table = html[html.index("<table") : html.index("</table>")]
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", table))


def _viewed() -> AuditEvent:
    return AuditEvent.objects.filter(action="audit.viewed").latest("id")


@pytest.fixture
def log(practitioner: User, coordinator: User, world: World) -> None:
    audit.record(action="team.viewed", actor=acting(practitioner), obj=world.hub)
    audit.record(action="referral.inbox_viewed", actor=acting(coordinator))
    audit.record(action="access.refused", actor=acting(coordinator), outcome=audit.Outcome.DENIED)
    AuditEvent.objects.create(
        action="staff.listed", actor=practitioner, occurred_at=timezone.now() - dt.timedelta(days=40)
    )


def test_filtering_by_a_name_typed(signed_in: Callable[[User], Client], ig_lead: User, log: None) -> None:
    rows = _events(signed_in(ig_lead).get("/audit", {"who": "cora"}).content.decode())
    assert "Viewed the triage inbox" in rows
    assert "Viewed team page" not in rows
    assert _viewed().detail == {"filters": {"who": "cora"}}


def test_filtering_by_part_of_an_email_address(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User, log: None
) -> None:
    rows = _events(signed_in(ig_lead).get("/audit", {"who": practitioner.email.upper()}).content.decode())
    assert "Viewed team page" in rows
    assert "Viewed the triage inbox" not in rows


def test_filtering_by_a_person_chosen_on_the_find_page(
    signed_in: Callable[[User], Client], ig_lead: User, coordinator: User, log: None
) -> None:
    html = signed_in(ig_lead).get("/audit", {"person": str(coordinator.pk)}).content.decode()
    assert "Showing what Cora Coordinator did." in html
    rows = _events(html)
    assert "Viewed the triage inbox" in rows
    assert "Viewed team page" not in rows


def test_a_person_of_another_organisation_shows_nothing(
    signed_in: Callable[[User], Client], ig_lead: User, outsider: User, log: None
) -> None:
    audit.record(action="team.viewed", actor=acting(outsider))
    html = signed_in(ig_lead).get("/audit", {"person": str(outsider.pk)}).content.decode()
    assert "has no role in your organisation" in html
    assert "Otto Outsider" not in html
    assert "No events match your filters." in html


def test_a_broken_person_link_gets_a_message(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    response = signed_in(ig_lead).get("/audit", {"person": "not-a-person"})
    assert response.status_code == 200
    assert "Find the person again" in response.content.decode()


def test_filtering_by_action(signed_in: Callable[[User], Client], ig_lead: User, log: None) -> None:
    html = signed_in(ig_lead).get("/audit", {"action": "team.viewed"}).content.decode()
    assert '<option value="team.viewed" selected' in html
    rows = _events(html)
    assert "Viewed team page" in rows
    assert "Viewed the triage inbox" not in rows


def test_an_action_not_in_the_list_gets_a_message(signed_in: Callable[[User], Client], ig_lead: User) -> None:
    html = signed_in(ig_lead).get("/audit", {"action": "'; drop table"}).content.decode()
    assert "Select an action from the list" in html


@pytest.mark.parametrize(
    ("outcome", "shown", "hidden"),
    [
        ("refused", "Access refused", "Viewed team page"),
        ("denied", "Access refused", "Viewed team page"),
        ("success", "Viewed team page", "Access refused"),
        ("not_found", None, "Access refused"),
    ],
)
def test_filtering_by_outcome(
    signed_in: Callable[[User], Client], ig_lead: User, log: None, outcome: str, shown: str | None, hidden: str
) -> None:
    html = signed_in(ig_lead).get("/audit", {"outcome": outcome}).content.decode()
    rows = _events(html)
    if shown:
        assert shown in rows
    assert hidden not in rows


def test_filtering_by_dates(signed_in: Callable[[User], Client], ig_lead: User, log: None) -> None:
    client = signed_in(ig_lead)
    today = timezone.localdate()
    since = today - dt.timedelta(days=7)
    query = {"start-day": since.day, "start-month": since.month, "start-year": since.year}
    rows = _events(client.get("/audit", query).content.decode())
    assert "Viewed team page" in rows
    assert "Viewed staff accounts list" not in rows
    assert _viewed().detail == {"filters": {"from": since.isoformat()}}
    until = today - dt.timedelta(days=30)
    query = {"end-day": until.day, "end-month": until.month, "end-year": until.year}
    rows = _events(client.get("/audit", query).content.decode())
    assert "Viewed staff accounts list" in rows
    assert "Viewed team page" not in rows


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        (
            {"start-day": "30", "start-month": "2", "start-year": "2025"},
            "The &#39;from&#39; date must be a real date",
            'value="30"',
        ),
        (
            {"end-day": "1", "end-month": "", "end-year": "2025"},
            "The &#39;to&#39; date must include a month",
            'value="2025"',
        ),
        (
            {"end-day": "1", "end-month": "1", "end-year": "20255555555555555"},
            "The &#39;to&#39; date must be a real date",
            "2025555",
        ),
        (
            {
                "start-day": "2",
                "start-month": "1",
                "start-year": "2025",
                "end-day": "1",
                "end-month": "1",
                "end-year": "2025",
            },
            "The &#39;to&#39; date must be the same as or after the &#39;from&#39; date",
            'value="2"',
        ),
    ],
)
def test_bad_dates_get_a_clear_message_keeping_what_was_typed(
    signed_in: Callable[[User], Client], ig_lead: User, log: None, query: dict[str, str], message: str, kept: str
) -> None:
    response = signed_in(ig_lead).get("/audit", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert kept in html
    assert _events(html) == ""
    assert _viewed().detail == {"filters_refused": True}


def test_the_filters_stay_in_the_pagination_links(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User
) -> None:
    for _ in range(60):
        audit.record(action="team.viewed", actor=acting(practitioner))
    audit.record(action="staff.listed", actor=acting(practitioner))
    client = signed_in(ig_lead)
    first = client.get("/audit", {"action": "team.viewed", "outcome": "success"}).content.decode()
    assert "Page 1 of 2" in first
    older = re.search(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert older is not None
    link = older.group(1).replace("&amp;", "&")
    assert "action=team.viewed" in link
    assert "outcome=success" in link
    second = client.get(f"/audit{link}").content.decode()
    assert "Page 2 of 2" in second
    assert "Viewed staff accounts list" not in _events(second)
    assert _viewed().detail == {"filters": {"action": "team.viewed", "outcome": "success"}}


def test_the_filtered_log_queries_stay_flat(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User, world: World
) -> None:
    client = signed_in(ig_lead)
    readers = [MembershipFactory(team=world.hub, role=Role.PRACTITIONER).user for _ in range(3)]

    def add(count: int) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action="team.viewed",
                actor=readers[n % len(readers)],
                object_type="organisations.team",
                object_id=str(world.hub.pk),
            )
            for n in range(count)
        )

    grow = growing_in_bulk(add, lambda: AuditEvent.objects.filter(action="team.viewed").count())
    today = timezone.localdate()
    query = {
        "who": "",
        "action": "team.viewed",
        "outcome": "success",
        "start-day": today.day,
        "start-month": today.month,
        "start-year": today.year,
    }
    assert_flat(grow=grow, fetch=lambda: client.get("/audit", query))


def test_the_log_names_who_acted_when_nobody_signed_in(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User, world: World
) -> None:
    """Events with no person (the public form, a job) are not by staff of the organisation, so the
    log leaves them out; the record's own page names them in words."""
    audit.record(action="team.viewed", actor=acting(practitioner), obj=world.hub)
    audit.record(action="team.updated", obj=world.hub)  # the system alone
    html = signed_in(ig_lead).get(f"/audit/records/organisations.team/{world.hub.pk}").content.decode()
    rows = _events(html)
    assert "a scheduled job" in rows
    assert "Unknown" not in rows


def test_the_unfiltered_form_is_drawn_as_a_fresh_one_would_be() -> None:
    drawn = forms.field_groups(forms.event_filter_form(QueryDict()))
    fresh = {name: forms.event_filter_form(QueryDict())[name].as_field_group() for name in drawn}
    assert drawn == fresh
    assert list(drawn) == ["who", "action", "start", "end", "outcome"]


def test_a_filter_in_the_address_is_drawn_with_what_was_typed() -> None:
    forms.field_groups(forms.event_filter_form(QueryDict()))
    typed = forms.field_groups(forms.event_filter_form(QueryDict("who=Cora&start-year=20x5")))
    assert 'value="Cora"' in typed["who"]
    assert 'value="20x5"' in typed["start"]
    assert "The &#39;from&#39; date must include a day and month" in typed["start"]
    # An empty box is still something in the address: drawn as it stands, not as the cached form.
    empty = forms.field_groups(forms.event_filter_form(QueryDict("outcome=")))
    assert empty["outcome"] == forms.event_filter_form(QueryDict("outcome="))["outcome"].as_field_group()
