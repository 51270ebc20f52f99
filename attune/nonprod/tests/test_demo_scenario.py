"""The demo scenario's loading rules: demo mode only, synthetic NHS numbers, working-day clocks
that stay as described when the demo is loaded on a later day."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.core import clocks
from attune.core.models import AuditEvent
from attune.core.validators import is_valid_nhs_number
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.nonprod import scenario
from attune.nonprod.synthetic import synthetic_nhs_number, working_days_before
from attune.nonprod.tests.demo import demo_referral, triage_state
from attune.notifications.models import Message
from attune.organisations.models import Catchment, Membership, Organisation, Site, Team
from attune.referrals.models import EligibilityRules, Referral, ReferralStatus

HUB = "Blackpool PAIRS hub team"
SATELLITE = "Blackburn with Darwen satellite team"


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Team.objects.count(),
        Site.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        EligibilityRules.objects.count(),
        Catchment.objects.count(),
        Family.objects.count(),
        Infant.objects.count(),
        Carer.objects.count(),
        SafeguardingFlag.objects.count(),
        Referral.objects.count(),
        ReferralStatus.objects.count(),
        Message.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_refuses_to_load_outside_demo_mode(db: None) -> None:
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_demo")


def test_synthetic_nhs_numbers_are_valid_and_stable() -> None:
    numbers = [synthetic_nhs_number(serial) for serial in range(2000)]
    assert all(n.startswith("999") and len(n) == 10 and is_valid_nhs_number(n) for n in numbers)
    assert len(set(numbers)) == 2000
    assert synthetic_nhs_number(101) == synthetic_nhs_number(101)
    with pytest.raises(ValueError, match="serial"):
        synthetic_nhs_number(100_000)


@pytest.mark.parametrize("days", [0, 1, 5, 9, 20])
@pytest.mark.parametrize("today", [dt.date(2026, 12, 29), dt.date(2026, 4, 7), dt.date(2026, 11, 28)])
def test_working_days_before_counts_back_to_a_working_day(today: dt.date, days: int) -> None:
    start = working_days_before(today, days)
    assert clocks.is_working_day(start)
    assert clocks.working_days_between(start, today) == days


def test_loading_on_a_later_day_keeps_the_clocks_as_described(db: None, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC), tick=False)
    scenario.load()
    counts = _counts()
    time_machine.move_to(dt.datetime(2026, 12, 29, 8, 0, tzinfo=dt.UTC), tick=False)
    scenario.load()
    assert _counts() == counts
    assert triage_state(demo_referral("PIR-DEMO-0002")) == "within"
    assert triage_state(demo_referral("PIR-DEMO-0003")) == "over"
    zara = Infant.objects.get(given_name="Zara")
    assert zara.date_of_birth == dt.date(2026, 12, 29) - dt.timedelta(days=24)
    received = timezone.localdate(demo_referral("PIR-DEMO-0003").received_at)
    assert clocks.working_days_between(received, dt.date(2026, 12, 29)) == 9
