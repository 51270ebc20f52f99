"""The triage inbox: oldest first, the waiting clock in working days (bank holidays left out,
paused while the team waits for information) coloured against the team's target, and the
teams page that leads to each inbox."""

import re
from collections.abc import Callable
from datetime import date, datetime, time
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, create_in_bulk, growing, growing_in_bulk
from attune.families.tests.factories import (
    CarerFactory,
    FamilyFactory,
    InfantFactory,
    SafeguardingFlagFactory,
    UnbornInfantFactory,
)
from attune.organisations.models import Team
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.models import EligibilityRules, Referral, ReferralStatus
from attune.referrals.services import append_status, append_statuses
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def waiting_referral(team: Team, *, received: datetime | None = None, unborn: bool = False, **family: Any) -> Referral:
    household = FamilyFactory(team=team, **family)
    if unborn:
        UnbornInfantFactory(family=household, family_name="Hughes", expected_due_date=date(2027, 2, 14))
    else:
        InfantFactory(family=household, given_name="Ava", family_name="Hughes", date_of_birth=date(2026, 8, 1))
    CarerFactory(family=household, given_name="Jade", family_name="Hughes")
    referral: Referral = ReferralFactory(family=household, **({"received_at": received} if received else {}))
    return referral


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def rows(page: str) -> list[str]:
    """The inbox table's body rows, as text with the tags' words kept."""
    body = page.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr.*?</tr>", body)]


def waiting_tag(page: str) -> tuple[str, str]:
    """The first row's waiting tag: (colour, words)."""
    found = re.search(r'<strong class="nhsuk-tag nhsuk-tag--(\w+)">([^<]+)</strong>', page.split("<tbody", 1)[1])
    assert found is not None
    return found.group(1), found.group(2).strip()


def inbox_on(day: date, person: User, team: Team) -> str:
    with time_machine.travel(at(day, 11), tick=False):
        client = sign_in_client(Client(), person)
        response = client.get(f"/teams/{team.pk}/referrals")
        assert response.status_code == 200
        return html(response)


def test_inbox_lists_open_referrals_oldest_first_with_what_triage_needs(coordinator: User, world: World) -> None:
    newer = waiting_referral(world.hub, received=at(date(2026, 11, 24)))
    older = waiting_referral(world.hub, received=at(date(2026, 11, 20)), unborn=True)
    SafeguardingFlagFactory(family=older.family, kind="child_in_need")
    closed = waiting_referral(world.hub)
    append_status(referral=closed, status=Status.ACCEPTED, entered_at=closed.received_at)
    elsewhere = waiting_referral(world.satellite)

    # Read on 26 November 2026, when Ava (born 1 August) is 3 months old.
    page = inbox_on(date(2026, 11, 26), coordinator, world.hub)

    assert '<caption class="nhsuk-table__caption nhsuk-table__caption--s"> Referrals waiting for triage' in page
    assert page.count('scope="col"') == 6
    found = rows(page)
    assert [older.reference in found[0], newer.reference in found[1]] == [True, True]
    assert len(found) == 2  # not the accepted one, nor the satellite team's
    assert closed.reference not in page
    assert elsewhere.reference not in page
    assert f'href="/referrals/{older.pk}">{older.reference}</a>' in page
    assert "20 November 2026" in found[0]
    assert "4 working days" in found[0]
    assert "2 working days" in found[1]
    assert "Due 14 February 2027" in found[0]
    assert "Ava Hughes, 3 months" in found[1]
    assert "Jade Hughes" in found[0]
    assert "Safeguarding" in found[0]
    assert "Safeguarding" not in found[1]
    assert "First 1001 days" in found[0]
    assert "First 1001 days" in found[1]
    event = AuditEvent.objects.get(action="referral.inbox_viewed")
    assert event.object_id == str(world.hub.pk)
    assert event.detail == {"count": 2, "page": 1}


def test_clock_colours_count_working_days_and_skip_the_bank_holiday(coordinator: User, world: World) -> None:
    # Received on Wednesday 26 August 2026; Monday 31 August is the summer bank holiday
    waiting_referral(world.hub, received=at(date(2026, 8, 26), 9))

    assert waiting_tag(inbox_on(date(2026, 8, 26), coordinator, world.hub)) == ("green", "0 working days")
    assert waiting_tag(inbox_on(date(2026, 8, 27), coordinator, world.hub)) == ("green", "1 working day")
    # The bank holiday and the weekend do not count: Tuesday 1 September is the 3rd working day
    assert waiting_tag(inbox_on(date(2026, 9, 1), coordinator, world.hub)) == ("green", "3 working days")
    # The last day of the 5-day target is orange
    assert waiting_tag(inbox_on(date(2026, 9, 2), coordinator, world.hub)) == ("orange", "4 working days (due)")
    assert waiting_tag(inbox_on(date(2026, 9, 3), coordinator, world.hub)) == ("orange", "5 working days (due)")
    # Over the target is red
    assert waiting_tag(inbox_on(date(2026, 9, 4), coordinator, world.hub)) == ("red", "6 working days (over target)")


def test_clock_follows_the_teams_own_target(coordinator: User, world: World) -> None:
    EligibilityRules.objects.filter(team=world.hub).update(triage_target_working_days=10)
    waiting_referral(world.hub, received=at(date(2026, 8, 26), 9))

    page = inbox_on(date(2026, 9, 4), coordinator, world.hub)

    assert waiting_tag(page) == ("green", "6 working days")
    assert "within 10 working days" in page


def test_clock_pauses_while_waiting_for_information(coordinator: User, world: World) -> None:
    # Received Monday 7 September; the team asked for information on Tuesday 8th
    referral = waiting_referral(world.hub, received=at(date(2026, 9, 7), 9))
    append_status(
        referral=referral, status=Status.AWAITING_INFORMATION, entered_at=at(date(2026, 9, 8)), note="Which GP?"
    )

    page = inbox_on(date(2026, 9, 11), coordinator, world.hub)
    assert waiting_tag(page) == ("grey", "Paused")
    assert "1 working day before the pause" in page

    # The answer came on Monday 14th: the clock runs again, without the days it was paused
    append_status(referral=referral, status=Status.RECEIVED, entered_at=at(date(2026, 9, 14)), note="Dr Patel")
    assert waiting_tag(inbox_on(date(2026, 9, 16), coordinator, world.hub)) == ("green", "3 working days")


def test_empty_inbox_says_so(signed_in: Callable[[User], Client], coordinator: User) -> None:
    page = html(signed_in(coordinator).get(f"/teams/{coordinator.memberships.get().team_id}/referrals"))
    assert "There are no referrals waiting for triage." in page
    assert "<table" not in page


def test_referrals_goes_straight_to_the_inbox_of_a_person_with_one_team(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    response = signed_in(coordinator).get("/referrals")
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{world.hub.pk}/referrals"


def test_referrals_lists_each_team_with_counts_for_a_supervisor_in_two_teams(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    with time_machine.travel(at(date(2026, 9, 4), 11), tick=False):
        client = sign_in_client(Client(), supervisor)
        waiting_referral(world.hub, received=at(date(2026, 8, 20)))  # over target
        waiting_referral(world.hub)
        waiting_referral(world.satellite)
        waiting_referral(world.other_team)
        page = html(client.get("/referrals"))

    assert f'<a href="/teams/{world.hub.pk}/referrals">Example hub team</a>' in page
    assert "2 referrals waiting, 1 over target" in page
    assert f'<a href="/teams/{world.satellite.pk}/referrals">Example satellite team</a>' in page
    assert "1 referral waiting, 0 over target" in page
    assert "Elsewhere team" not in page


@pytest.mark.parametrize(("role", "status"), [("commissioner", 403), ("ig_lead", 403), ("system_admin", 403)])
def test_referrals_refuses_people_who_do_not_work_with_families(
    role: str, status: int, request: pytest.FixtureRequest, signed_in: Callable[[User], Client]
) -> None:
    assert signed_in(request.getfixturevalue(role)).get("/referrals").status_code == status


def test_inbox_query_count_does_not_grow_with_referrals(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    client = signed_in(coordinator)

    def add(count: int) -> None:
        households = FamilyFactory.create_batch(count, team=world.hub)
        create_in_bulk(InfantFactory, ({"family": f} for f in households))
        create_in_bulk(CarerFactory, ({"family": f} for f in households))
        create_in_bulk(SafeguardingFlagFactory, ({"family": f} for f in households))
        referrals = create_in_bulk(ReferralFactory, ({"family": f, "team": world.hub} for f in households))
        append_statuses(
            [ReferralStatus(referral=r, status=Status.RECEIVED, entered_at=r.received_at) for r in referrals]
            + [
                ReferralStatus(referral=r, status=Status.AWAITING_INFORMATION, entered_at=r.received_at)
                for r in referrals
            ]
        )

    def fetch() -> None:
        response = client.get(f"/teams/{world.hub.pk}/referrals")
        assert response.status_code == 200

    assert_flat(grow=growing_in_bulk(add, lambda: Referral.objects.filter(team=world.hub).count()), fetch=fetch)
    page = html(client.get(f"/teams/{world.hub.pk}/referrals"))
    assert len(rows(page)) == 50  # a page of the 200 (referrals.views.staff.INBOX_PAGE)
    assert "Showing 1 to 50 of 200 referrals" in page


def test_teams_page_query_count_does_not_grow_with_referrals(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    client = signed_in(supervisor)
    assert_flat(
        grow=growing(lambda: waiting_referral(world.satellite), lambda: Referral.objects.count()),
        fetch=lambda: client.get("/referrals"),
    )
