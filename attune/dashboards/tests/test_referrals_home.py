"""The home page and navigation lead people who work with families to their teams' triage inboxes."""

import re
from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.core.testing.queries import assert_flat, growing
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.models import Team
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.models import Referral
from attune.referrals.services import append_status
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status

LONDON = ZoneInfo("Europe/London")


def referral_in(team: Team, received: datetime | None = None) -> Referral:
    family = FamilyFactory(team=team)
    InfantFactory(family=family)
    CarerFactory(family=family)
    referral: Referral = ReferralFactory(family=family, **({"received_at": received} if received else {}))
    return referral


def navigation(html: str) -> list[str]:
    found = re.findall(r'class="nhsuk-header__navigation-link"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', html)
    return [text.strip() for text in found]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("practitioner", True),
        ("trainee", True),
        ("supervisor", True),
        ("team_lead", True),
        ("coordinator", True),
        ("commissioner", False),
        ("ig_lead", False),
        ("system_admin", False),
    ],
)
def test_referrals_is_in_the_navigation_of_people_who_work_with_families(
    role: str, shown: bool, request: pytest.FixtureRequest, signed_in: Callable[[User], Client]
) -> None:
    html = signed_in(request.getfixturevalue(role)).get("/").content.decode()
    assert ("Referrals" in navigation(html)) is shown
    assert ('href="/referrals"' in html) is shown


def test_home_shows_each_teams_inbox_with_how_many_are_over_target(supervisor: User, world: World) -> None:
    # Friday 4 September 2026: one referral received on 20 August is over the 5-day target
    with time_machine.travel(datetime.combine(date(2026, 9, 4), time(11), tzinfo=LONDON), tick=False):
        referral_in(world.hub, datetime.combine(date(2026, 8, 20), time(9), tzinfo=LONDON))
        referral_in(world.hub)
        paused = referral_in(world.hub, datetime.combine(date(2026, 8, 20), time(9), tzinfo=LONDON))
        append_status(
            referral=paused,
            status=Status.AWAITING_INFORMATION,
            entered_at=datetime.combine(date(2026, 8, 21), time(9), tzinfo=LONDON),
        )
        decided = referral_in(world.satellite)
        append_status(referral=decided, status=Status.ACCEPTED, entered_at=decided.received_at)
        referral_in(world.other_team)
        html = re.sub(r"\s+", " ", sign_in_client(Client(), supervisor).get("/").content.decode())

    assert "Referrals waiting for triage" in html
    assert (
        f'<a href="/teams/{world.hub.pk}/referrals">Example hub team inbox</a><br><span '
        'class="nhsuk-body-s nhsuk-u-secondary-text-colour">3 referrals waiting, 1 over target</span>'
    ) in html
    assert f'<a href="/teams/{world.satellite.pk}/referrals">Example satellite team inbox</a>' in html
    assert "Nothing waiting for triage" in html
    assert "Elsewhere team" not in html


def test_commissioner_home_has_no_referrals(
    signed_in: Callable[[User], Client], commissioner: User, world: World
) -> None:
    referral_in(world.hub)
    html = signed_in(commissioner).get("/").content.decode()
    assert "Referrals waiting for triage" not in html
    assert "/referrals" not in html


def test_home_query_count_does_not_grow_with_referrals(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    client = signed_in(supervisor)
    assert_flat(
        grow=growing(lambda: referral_in(world.satellite), lambda: Referral.objects.count()),
        fetch=lambda: client.get("/"),
    )
