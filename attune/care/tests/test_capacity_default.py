"""A practitioner without a maximum weighted caseload of their own takes the team's default
maximum from the rules in force today (team settings); the capacity page says what that default
is and lets the team lead set or clear a person's own maximum."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care import services
from attune.care.models import Episode, PractitionerCapacity
from attune.care.services import CapacityExceeded
from attune.care.tests.factories import CapacityFactory, intervention, open_episode, waiting_referral
from attune.care.tests.pages import html
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World
from attune.referrals.models import EligibilityRules

NOW = dt.datetime(2026, 11, 25, 11, tzinfo=LONDON)
PIP = "parent-infant-psychotherapy"


def rules(world: World, on: dt.date, default: str) -> EligibilityRules:
    return EligibilityRules.objects.create(
        team=world.hub, effective_from=on, default_max_weighted_caseload=Decimal(default)
    )


def url(world: World, person: User) -> str:
    return f"/teams/{world.hub.pk}/caseloads/{person.pk}/capacity"


@time_machine.travel(NOW, tick=False)
def test_without_their_own_maximum_a_person_takes_the_team_default_in_force_today(
    world: World, practitioner: User
) -> None:
    rules(world, dt.date(2026, 1, 1), "8")
    rules(world, dt.date(2026, 11, 1), "9.5")
    rules(world, dt.date(2026, 12, 1), "3")  # not yet in force
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=None)
    own = CapacityFactory(team=world.satellite, practitioner=practitioner, max_weighted_caseload=Decimal("6"))

    found = {c.team_id: c.limit for c in PractitionerCapacity.objects.with_maximum(NOW.date())}

    assert found == {world.hub.pk: Decimal("9.5"), world.satellite.pk: Decimal("6")}
    assert own.pk


@time_machine.travel(NOW, tick=False)
def test_without_rules_the_built_in_default_applies(world: World, practitioner: User) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=None)
    assert PractitionerCapacity.objects.with_maximum(NOW.date()).get().limit == Decimal("12.00")


@time_machine.travel(NOW, tick=False)
def test_allocating_past_the_team_default_needs_a_reason(world: World, team_lead: User, practitioner: User) -> None:
    rules(world, dt.date(2026, 1, 1), "1.5")
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=None)
    open_episode(world.hub, practitioner, codes=(PIP,))
    referral = waiting_referral(world.hub)
    with pytest.raises(CapacityExceeded, match=r"Pat Practitioner would have 2\.00 of 1\.50"):
        services.allocate_episode(
            actor=acting(team_lead), referral=referral, lead=practitioner, interventions=[intervention(PIP)]
        )
    assert not Episode.objects.filter(referral=referral).exists()


@time_machine.travel(NOW, tick=False)
def test_the_capacity_page_shows_the_team_default_and_clearing_a_maximum_uses_it(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    rules(world, dt.date(2026, 1, 1), "9")
    CapacityFactory(
        team=world.hub, practitioner=practitioner, contracted_hours=Decimal("30"), max_weighted_caseload=Decimal("7")
    )
    client = signed_in(team_lead)

    page = html(client.get(url(world, practitioner)))
    assert "Team default: 9." in page
    assert 'value="7"' in page

    response = client.post(url(world, practitioner), {"contracted_hours": "30", "max_weighted_caseload": ""})

    assert response.status_code == 302
    saved = PractitionerCapacity.objects.get(team=world.hub, practitioner=practitioner)
    assert saved.max_weighted_caseload is None
    flash = [str(m) for m in response.wsgi_request._messages]
    assert flash == [
        "Pat Practitioner's capacity in Example hub team is saved: 30 hours a week, "
        "maximum weighted caseload 9 (team default)."
    ]
    event = AuditEvent.objects.get(action="capacity.set")
    assert event.detail["max"] == "team default"
    assert event.detail["before"] == {"contracted_hours": "30.0", "max": "7.00"}
    caseloads = html(client.get(f"/teams/{world.hub.pk}/caseloads"))
    assert "0 of 9 (team default)" in caseloads
    page = html(client.get(url(world, practitioner)))
    assert 'value="7"' not in page

    client.post(url(world, practitioner), {"contracted_hours": "30", "max_weighted_caseload": "4"})
    saved.refresh_from_db()
    assert saved.max_weighted_caseload == Decimal("4.00")


def test_capacity_page_query_count(
    signed_in: Callable[[User], Client],
    team_lead: User,
    practitioner: User,
    world: World,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    client = signed_in(team_lead)
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=None)
    client.get(url(world, practitioner))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(url(world, practitioner)).status_code == 200
