"""The demo's money on a later day: loaded in a later financial year, the hub still has that
year's contract from the ICB and its posts that year's pay award."""

import datetime as dt
from decimal import Decimal

import pytest
from time_machine import TimeMachineFixture

from attune.commissioning.models import FundingAgreement, PostCost
from attune.nonprod import demo_commissioning, demo_workforce, scenario
from attune.organisations.models import TeamKind

pytestmark = pytest.mark.django_db


def test_loaded_in_a_later_year_the_hub_has_that_years_contract_and_pay(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2028, 6, 1, 10, tzinfo=dt.UTC), tick=False)
    scenario.load()
    demo_workforce.load_for_scenario()
    demo_commissioning.load_for_scenario()
    contracts = FundingAgreement.objects.filter(teams__kind=TeamKind.HUB, funder__kind="icb").order_by("starts_on")
    assert [(a.starts_on, a.ends_on, a.amount) for a in contracts][-3:] == [
        (dt.date(2026, 4, 1), dt.date(2027, 3, 31), Decimal("195000.00")),
        (dt.date(2027, 4, 1), dt.date(2028, 3, 31), Decimal("201825.00")),  # 3.5% more
        (dt.date(2028, 4, 1), dt.date(2029, 3, 31), Decimal("208889.00")),
    ]
    therapist = PostCost.objects.filter(post__title="Parent-infant therapist").order_by("effective_from")
    assert [(c.effective_from, c.annual_cost) for c in therapist][-2:] == [
        (dt.date(2027, 4, 1), Decimal("71808.00")),
        (dt.date(2028, 4, 1), Decimal("74321.00")),
    ]
    # Loading again that day adds nothing.
    counts = (FundingAgreement.objects.count(), PostCost.objects.count())
    demo_commissioning.load_for_scenario()
    assert (FundingAgreement.objects.count(), PostCost.objects.count()) == counts
