"""A team's waiting list: urgent first then the longest wait, with each family's clock, need,
site, language and safeguarding flags; team leads only; and the teams page that leads to it."""

import datetime as dt
import re
from collections.abc import Callable
from html import unescape

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.tests.factories import open_episode, waiting_referral, waiting_referrals
from attune.care.tests.pages import html
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, create_in_bulk, growing, growing_in_bulk
from attune.families.tests.factories import CarerFactory, SafeguardingFlagFactory, UnbornInfantFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, SiteFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.models import EligibilityRules, Referral, ReferralStatus
from attune.referrals.services import append_status
from attune.referrals.workflow import Status

NOW = dt.datetime(2026, 11, 25, 11, tzinfo=LONDON)


def rows(page: str) -> list[str]:
    body = page.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    # Text as a person reads it: tags gone, entities (O&#x27;Sullivan) decoded.
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))) for row in re.findall(r"<tr.*?</tr>", body)]


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def list_url(world: World) -> str:
    return f"/teams/{world.hub.pk}/waiting-list"


@time_machine.travel(NOW, tick=False)
def test_waiting_list_is_urgent_first_then_longest_wait(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    routine_old = waiting_referral(world.hub, received_at=days_ago(90))
    routine_new = waiting_referral(world.hub, received_at=days_ago(10))
    soon = waiting_referral(world.hub, priority="soon", received_at=days_ago(5))
    urgent_new = waiting_referral(world.hub, priority="urgent", received_at=days_ago(3))
    urgent_old = waiting_referral(world.hub, priority="urgent", received_at=days_ago(30))
    allocated = open_episode(world.hub, practitioner).referral
    not_accepted = waiting_referral(world.hub)
    append_status(referral=not_accepted, status=Status.SIGNPOSTED, entered_at=NOW)
    elsewhere = waiting_referral(world.satellite)

    page = html(signed_in(team_lead).get(list_url(world)))

    found = rows(page)
    order = [urgent_old, urgent_new, soon, routine_old, routine_new]
    assert len(found) == len(order)
    for row, referral in zip(found, order, strict=True):
        assert referral.reference in row
    for left_out in (allocated, not_accepted, elsewhere):
        assert left_out.reference not in page
    assert "Urgent" in found[0]
    assert "Soon" in found[2]
    assert "Routine" in found[3]
    # Working days, as the triage inbox counts them (not calendar days)
    assert "22 working days" in found[0]
    assert "3 working days" in found[1]
    assert "63 working days" in found[3]
    # Not calendar days alongside ("(31 days)"): only the first-contact target in brackets
    assert not re.search(r"\(\d+ days\)", page)


@time_machine.travel(NOW, tick=False)
def test_each_row_shows_what_allocation_needs(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    site = SiteFactory(team=world.hub, name="Talbot family hub")
    referral = waiting_referral(
        world.hub,
        level_of_need="disturbance",
        received_at=days_ago(20),
        language="Polish",
        interpreter_needed=True,
        preferred_site=site,
    )
    SafeguardingFlagFactory(family=referral.family, kind="child_in_need")
    unborn = waiting_referral(world.hub, received_at=days_ago(8))
    unborn.family.infants.all().delete()
    UnbornInfantFactory(family=unborn.family, family_name="Hughes", expected_due_date=dt.date(2027, 2, 14))
    unborn.family.carers.all().delete()
    CarerFactory(family=unborn.family, given_name="Jade", family_name="Hughes", is_main_contact=True)

    page = html(signed_in(team_lead).get(list_url(world)))

    first, second = rows(page)
    infant = referral.family.infants.get()
    assert infant.full_name in first
    assert "14 working days" in first
    assert "Disturbance" in first
    assert "Talbot family hub" in first
    assert "Polish" in first
    assert "Interpreter needed" in first
    assert "Child in need plan" in first
    assert f'href="/teams/{world.hub.pk}/waiting-list/{referral.pk}/allocate"' in page
    # An unborn baby's row names the family by its main carer
    assert "Jade Hughes and unborn baby, due 14 February 2027" in second
    assert "6 working days" in second
    assert "No preference" in second
    assert "English" in second
    assert "Interpreter needed" not in second
    event = AuditEvent.objects.get(action="waiting_list.viewed")
    assert (event.object_id, event.detail, event.actor_id) == (str(world.hub.pk), {"count": 2, "page": 1}, team_lead.pk)


def test_an_empty_waiting_list_says_so(signed_in: Callable[[User], Client], team_lead: User, world: World) -> None:
    page = html(signed_in(team_lead).get(list_url(world)))
    assert "Nobody is waiting to be allocated." in page
    assert "<table" not in page


@pytest.mark.parametrize("role", ["practitioner", "coordinator", "supervisor"])
def test_other_members_of_the_team_are_refused(
    role: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], world: World
) -> None:
    waiting_referral(world.hub)
    response = signed_in(request.getfixturevalue(role)).get(list_url(world))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", outcome="denied").exists()
    assert not AuditEvent.objects.filter(action="waiting_list.viewed").exists()


def test_outsiders_get_not_found(signed_in: Callable[[User], Client], outsider: User, world: World) -> None:
    client = signed_in(outsider)
    assert client.get(list_url(world)).status_code == 404
    assert client.get("/waiting-list").status_code == 403


def test_waiting_list_goes_straight_to_the_only_team_led(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    response = signed_in(team_lead).get("/waiting-list")
    assert response.status_code == 302
    assert response["Location"] == list_url(world)


def test_waiting_list_lists_each_team_led_with_counts(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    MembershipFactory(user=team_lead, role=Role.TEAM_LEAD, team=world.satellite)
    waiting_referral(world.hub, priority="urgent")
    waiting_referral(world.hub)
    waiting_referral(world.other_team)

    page = html(signed_in(team_lead).get("/waiting-list"))

    assert f'<a href="{list_url(world)}">Example hub team</a>' in page
    assert "2 families waiting, 1 urgent" in page
    assert f'<a href="/teams/{world.satellite.pk}/waiting-list">Example satellite team</a>' in page
    assert "Nobody waiting" in page
    assert "Elsewhere team" not in page
    assert AuditEvent.objects.filter(action="waiting_list.teams_viewed").count() == 1


@time_machine.travel(NOW, tick=False)
def test_each_wait_reads_against_the_first_contact_target_of_the_day_of_acceptance(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    EligibilityRules.objects.create(
        team=world.hub, effective_from=dt.date(2026, 1, 1), first_contact_target_working_days=20
    )
    EligibilityRules.objects.create(
        team=world.hub, effective_from=dt.date(2026, 11, 1), first_contact_target_working_days=10
    )
    before_change = waiting_referral(world.hub, received_at=days_ago(40))
    ReferralStatus.objects.filter(referral=before_change, status=Status.ACCEPTED).update(entered_at=days_ago(35))
    after_change = waiting_referral(world.hub, received_at=days_ago(14))
    ReferralStatus.objects.filter(referral=after_change, status=Status.ACCEPTED).update(entered_at=days_ago(12))

    page = html(signed_in(team_lead).get(list_url(world)))

    older, newer = rows(page)
    # Accepted in October: October's target of 20, not today's 10
    assert "28 working days (target 20)" in older
    assert "Over target" in older
    # Accepted in November: 10 working days
    assert "10 working days (target 10)" in newer
    assert "Over target" not in newer


@time_machine.travel(NOW, tick=False)
def test_each_wait_reads_against_its_own_prioritys_first_contact_target(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    EligibilityRules.objects.create(
        team=world.hub,
        effective_from=dt.date(2026, 1, 1),
        urgent_first_contact_target_working_days=3,
        soon_first_contact_target_working_days=8,
        first_contact_target_working_days=20,
    )
    for priority in ("routine", "soon", "urgent", ""):
        waiting_referral(world.hub, priority=priority, received_at=days_ago(7))  # 5 working days

    page = html(signed_in(team_lead).get(list_url(world)))

    urgent, soon, routine, unset = rows(page)
    assert "5 working days (target 3)" in urgent
    assert "Over target" in urgent
    assert "5 working days (target 8)" in soon
    assert "Over target" not in soon
    assert "5 working days (target 20)" in routine
    # No priority: measured as routine, and listed last
    assert "5 working days (target 20)" in unset
    assert "Not set" in unset


def test_waiting_list_query_count_does_not_grow(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    site = SiteFactory(team=world.hub)

    def add(count: int) -> None:
        referrals = waiting_referrals(world.hub, count, preferred_site=site)
        create_in_bulk(SafeguardingFlagFactory, ({"family": r.family} for r in referrals))

    def fetch() -> None:
        assert client.get(list_url(world)).status_code == 200

    assert_flat(grow=growing_in_bulk(add, lambda: Referral.objects.filter(team=world.hub).count()), fetch=fetch)
    page = html(client.get(list_url(world)))
    assert len(rows(page)) == 50  # a page of the 200 (care.views.waiting.WAITING_PAGE)
    assert "Showing 1 to 50 of 200 families" in page


def test_teams_page_query_count_does_not_grow(team_lead: User, world: World, client: Client) -> None:
    MembershipFactory(user=team_lead, role=Role.TEAM_LEAD, team=world.satellite)
    signed = sign_in_client(client, team_lead)
    assert_flat(
        grow=growing(lambda: waiting_referral(world.satellite), lambda: Referral.objects.count()),
        fetch=lambda: signed.get("/waiting-list"),
    )
