"""Staff cost and funding from the database: the pure arithmetic fed by a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from attune.accounts.models import User
from attune.commissioning import queries
from attune.commissioning.models import FundingAgreement
from attune.commissioning.tests.factories import agreement, post_cost
from attune.organisations.tests.world import World
from attune.workforce.tests.factories import post

pytestmark = pytest.mark.django_db
Q3 = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))


def test_staff_cost_of_teams_pro_rates_each_post(world: World) -> None:
    first = post(world.satellite, "Therapist", dt.date(2024, 11, 1), dt.date(2025, 3, 31))
    post_cost(first, "36500.00", dt.date(2024, 11, 1))
    second = post(world.satellite, "Therapist", dt.date(2024, 12, 1), None)
    post_cost(second, "36500.00", dt.date(2024, 1, 1))
    post_cost(second, "73000.00", dt.date(2024, 12, 21))
    post(world.satellite, "Vacant and uncosted", dt.date(2024, 1, 1), None)
    hub_post = post(world.hub, "Hub therapist", dt.date(2020, 1, 1), None)
    post_cost(hub_post, "36500.00", dt.date(2020, 1, 1))
    # Satellite Q3: first 61 days x £100; second 20 days x £100 + 11 days x £200.
    detail = queries.staff_cost_detail([world.satellite.pk], *Q3)
    assert detail.cost == Decimal("6100.00") + Decimal("2000.00") + Decimal("2200.00")
    assert (detail.posts, detail.uncosted_posts) == (3, 1)
    # Both teams: the hub adds 92 days x £100.
    assert queries.staff_cost([world.satellite.pk, world.hub.pk], *Q3) == Decimal("19500.00")
    assert queries.posts_staff_cost([first.pk], *Q3) == Decimal("6100.00")
    assert queries.staff_cost([world.other_team.pk], *Q3) == Decimal("0.00")


def test_staff_cost_takes_two_queries_whatever_the_number_of_posts(
    world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        made = post(world.hub, f"Post {n}", dt.date(2024, 1, 1), None)
        post_cost(made, "36500.00", dt.date(2024, 1, 1))
        post_cost(made, "40150.00", dt.date(2024, 12, 1))
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        cost = queries.staff_cost([world.hub.pk], *Q3)
    # 30 posts x (61 days x £100 + 31 days x £110)
    assert cost == 30 * (Decimal("6100") + Decimal("3410"))


def test_funding_is_the_funders_agreements_for_those_teams_pro_rated(world: World) -> None:
    agreement(world.satellite_area, world.icb, [world.satellite, world.hub])  # £60,371.25 over 151 days
    agreement(world.satellite_area, world.icb, [world.other_team], amount="1000.00")
    agreement(world.icb, world.trust, [world.satellite], amount="9999.00")
    # Q3 overlaps 61 of the 151 days; the agreement names two of the teams but counts once.
    assert queries.funding(world.satellite_area.pk, [world.satellite.pk, world.hub.pk], *Q3) == Decimal("24388.39")
    assert queries.funding(world.satellite_area.pk, [world.hub.pk], dt.date(2025, 4, 1), dt.date(2025, 6, 30)) == 0
    assert queries.teams_funded_by(world.satellite_area.pk, *Q3) == {
        world.satellite.pk,
        world.hub.pk,
        world.other_team.pk,
    }
    assert queries.teams_funded_by(world.satellite_area.pk, dt.date(2025, 4, 1), dt.date(2025, 6, 30)) == set()


def test_the_database_refuses_an_agreement_that_breaks_the_rules(world: World, team_lead: User) -> None:
    good = {
        "funder": world.satellite_area,
        "recipient": world.icb,
        "amount": Decimal("1.00"),
        "starts_on": dt.date(2025, 1, 1),
        "ends_on": dt.date(2025, 1, 1),
        "purpose": "x",
        "recorded_by": team_lead,
    }
    for bad in ({"amount": Decimal("0")}, {"ends_on": dt.date(2024, 12, 31)}, {"recipient": world.satellite_area}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FundingAgreement.objects.create(**{**good, **bad})
    FundingAgreement.objects.create(**good)
