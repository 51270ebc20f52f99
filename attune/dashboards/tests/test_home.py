import re
from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core import audit
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World, sign_in_client


def test_team_lead_lands_on_home_with_their_teams(signed_in: Callable[[User], Client], team_lead: User) -> None:
    response = signed_in(team_lead).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hello, Lee" in html
    assert "Example hub team" in html
    assert "Team lead, Example hub team" in html  # identity bar: name, team and role
    assert 'href="/teams"' in html
    assert 'href="/staff"' not in html  # not a system administrator


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, db: None) -> None:
    UserFactory()  # an installation with accounts (before any, "/" says how to set Attune up)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/"


def test_each_role_sees_only_its_own_navigation(
    signed_in: Callable[[User], Client], request: pytest.FixtureRequest
) -> None:
    expected = {
        "practitioner": ["Home", "Referrals", "Caseload", "Diary", "Supervision", "Training", "Teams"],
        "team_lead": [
            "Home",
            "Referrals",
            "Waiting list",
            "Caseload",
            "Diary",
            "Supervision",
            "Training",
            "Funding",
            "Reports",
            "Teams",
        ],
        "commissioner": ["Home", "Reports"],
        "ig_lead": ["Home", "Audit log"],
        "system_admin": ["Home", "Staff accounts", "Set-up"],
    }
    for role, items in expected.items():
        client = Client()
        sign_in_client(client, request.getfixturevalue(role))
        html = client.get("/").content.decode()
        shown = re.findall(r'class="nhsuk-header__navigation-link"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', html)
        assert [s.strip() for s in shown] == items, role


def test_commissioner_home_shows_services_not_people(
    signed_in: Callable[[User], Client], commissioner: User, practitioner: User
) -> None:
    html = signed_in(commissioner).get("/").content.decode()
    assert "What your organisation pays for" in html
    assert "Example PAIRS" in html
    assert "Pat Practitioner" not in html


def test_ig_lead_home_counts_recent_refusals(
    signed_in: Callable[[User], Client], ig_lead: User, practitioner: User
) -> None:
    audit.record(action="access.refused", actor=acting(practitioner), outcome=audit.Outcome.DENIED)
    html = signed_in(ig_lead).get("/").content.decode()
    assert "1 refused or failed action by your organisation&#39;s staff in the last 7 days." in html


def test_person_without_a_current_role_is_told_so(signed_in: Callable[[User], Client], practitioner: User) -> None:
    practitioner.memberships.update(ends_on="2024-12-31")
    html = signed_in(practitioner).get("/").content.decode()
    assert "You do not have a current role" in html


def test_the_section_a_page_belongs_to_is_highlighted(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)

    def active(path: str) -> list[str]:
        html = client.get(path).content.decode()
        return re.findall(r"nhsuk-header__navigation-item--current[^>]*>\s*<a[^>]*>\s*<strong[^>]*>([^<]+)", html)

    assert active(f"/teams/{world.hub.pk}/referrals") == ["Referrals"]
    assert active(f"/teams/{world.hub.pk}") == ["Teams"]
    assert active("/teams") == ["Teams"]
    assert active("/caseload") == ["Caseload"]
    assert active("/diary") == ["Diary"]
    assert active("/") == ["Home"]


def test_practitioner_home_counts_todays_appointments_and_families(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from attune.care.tests.factories import AppointmentFactory, open_episode

    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        episode = open_episode(world.hub, practitioner)
        for hour in (14, 16):
            starts = timezone.make_aware(dt.datetime(2026, 12, 2, hour))
            AppointmentFactory(
                episode=episode, practitioner=practitioner, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
            )
        AppointmentFactory(episode=episode, practitioner=practitioner)  # tomorrow
        html = re.sub(r"\s+", " ", signed_in(practitioner).get("/").content.decode())
    assert "2 appointments in your diary today." in html
    assert "1 family you work with now" in html
    assert "Waiting lists and caseloads" not in html


def test_team_lead_home_leads_to_waiting_lists_not_an_empty_caseload(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    from attune.care.tests.factories import waiting_referral

    waiting_referral(world.hub, priority="urgent")
    html = re.sub(r"\s+", " ", signed_in(team_lead).get("/").content.decode())
    assert "Example hub team waiting list" in html
    assert "1 family waiting, 1 urgent" in html
    assert "Example hub team schedule of measures" in html
    assert "Your families" not in html


def test_team_lead_reaches_each_team_s_report_posts_and_costs_from_home(
    team_lead: User, world: World, signed_in: Callable[[User], Client]
) -> None:
    html = signed_in(team_lead).get("/").content.decode()
    assert "Running your teams" in html
    for url in (
        f"/reports/teams/{world.hub.pk}/",
        f"/teams/{world.hub.pk}/posts",
        f"/teams/{world.hub.pk}/costs",
        f"/teams/{world.hub.pk}/activities",
        "/funding",
    ):
        assert f'href="{url}"' in html, url
    # Only the teams they lead.
    assert f"/reports/teams/{world.satellite.pk}/" not in html


def test_commissioner_reaches_reports_and_funding_from_home(
    commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    html = signed_in(commissioner).get("/").content.decode()
    assert 'href="/reports/"' in html
    assert 'href="/funding"' in html
    assert "Running your teams" not in html


def test_data_in_and_out_is_offered_to_team_leads_and_system_administrators(
    signed_in: Callable[[User], Client], team_lead: User, system_admin: User, practitioner: User
) -> None:
    """A lead brings a caseload in and checks the MHSDS extract; a trust's administrator may do
    both and also issues tokens for other systems; a practitioner is offered none of it."""
    links = ('href="/imports/new"', 'href="/mhsds/"', 'href="/setup/api-tokens"')
    for person, offered in (
        (team_lead, (True, True, False)),
        (system_admin, (True, True, True)),
        (practitioner, (False, False, False)),
    ):
        html = signed_in(person).get("/").content.decode()
        assert tuple(link in html for link in links) == offered, person
