"""The commissioning actions: their rules, and the audit event each writes."""

import datetime as dt
from decimal import Decimal

import pytest

from attune.accounts.models import User
from attune.commissioning import services
from attune.commissioning.models import FundingAgreement, PostCost
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World
from attune.workforce.tests.factories import post

pytestmark = pytest.mark.django_db
START, END = dt.date(2024, 11, 1), dt.date(2025, 3, 31)


def _record(world: World, lead: User, **changes: object) -> FundingAgreement:
    values: dict[str, object] = {
        "actor": acting(lead),
        "funder": world.satellite_area,
        "recipient": world.icb,
        "amount": Decimal("60371.25"),
        "starts_on": START,
        "ends_on": END,
        "purpose": "Two satellite posts",
        "teams": [world.satellite],
        "reference": " PO-1234 ",
    }
    return services.record_agreement(**{**values, **changes})  # type: ignore[arg-type]


def test_recording_an_agreement_is_audited(world: World, team_lead: User) -> None:
    made = _record(world, team_lead)
    assert (made.amount, made.reference, list(made.teams.all())) == (Decimal("60371.25"), "PO-1234", [world.satellite])
    event = AuditEvent.objects.get(action="commissioning.agreement_recorded")
    assert (event.actor, event.object_id, event.detail["amount"]) == (team_lead, str(made.pk), "60371.25")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": Decimal("0")}, "Enter the amount in pounds and pence, like 60371.25"),
        ({"amount": Decimal("10.005")}, "Enter the amount in pounds and pence, like 60371.25"),
        ({"ends_on": START - dt.timedelta(days=1)}, "The end date must be the same as or after the start date"),
        ({"teams": []}, "Choose at least one team"),
        ({"purpose": "  "}, "Enter what the money is for"),
    ],
)
def test_an_agreement_that_breaks_a_rule_is_refused(
    world: World, team_lead: User, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(services.CommissioningError, match=message):
        _record(world, team_lead, **changes)
    assert not FundingAgreement.objects.exists()


def test_the_funder_cannot_be_the_recipient_nor_posts_outside_its_teams(world: World, team_lead: User) -> None:
    with pytest.raises(services.CommissioningError, match="must be different"):
        _record(world, team_lead, recipient=world.satellite_area)
    hub_post = post(world.hub, "Hub therapist", START, None)
    with pytest.raises(services.CommissioningError, match="only in the teams"):
        _record(world, team_lead, posts=[hub_post])


def test_changing_an_agreement_keeps_what_changed_in_the_audit_log(world: World, team_lead: User) -> None:
    made = _record(world, team_lead)
    services.change_agreement(
        actor=acting(team_lead),
        agreement=made,
        funder=world.satellite_area,
        recipient=world.icb,
        amount=Decimal("61000.00"),
        starts_on=START,
        ends_on=END,
        purpose="Two satellite posts",
        teams=[world.satellite, world.hub],
        reference="PO-1234",
    )
    made.refresh_from_db()
    assert made.amount == Decimal("61000.00")
    changed = AuditEvent.objects.get(action="commissioning.agreement_changed").detail["changed"]
    assert set(changed) == {"amount", "teams"}
    assert changed["amount"] == {"from": "60371.25", "to": "61000.00"}
    assert sorted(changed["teams"]["to"]) == sorted([str(world.satellite.pk), str(world.hub.pk)])


def test_a_pay_rise_adds_a_cost_and_keeps_the_history(world: World, team_lead: User) -> None:
    therapist = post(world.satellite, "Therapist", START, None)
    services.record_post_cost(
        actor=acting(team_lead), post=therapist, annual_cost=Decimal("52450.00"), effective_from=START
    )
    services.record_post_cost(
        actor=acting(team_lead),
        post=therapist,
        annual_cost=Decimal("54000.00"),
        effective_from=dt.date(2025, 4, 1),
        note="Pay award",
    )
    assert list(PostCost.objects.filter(post=therapist).values_list("annual_cost", flat=True)) == [
        Decimal("52450.00"),
        Decimal("54000.00"),
    ]
    assert AuditEvent.objects.filter(action="commissioning.post_cost_recorded", actor=team_lead).count() == 2
    with pytest.raises(services.CommissioningError, match="already recorded"):
        services.record_post_cost(
            actor=acting(team_lead), post=therapist, annual_cost=Decimal("1.00"), effective_from=START
        )
    ended = post(world.satellite, "Ended", START, END)
    with pytest.raises(services.CommissioningError, match="on or before the post ends"):
        services.record_post_cost(
            actor=acting(team_lead),
            post=ended,
            annual_cost=Decimal("1.00"),
            effective_from=dt.date(2025, 4, 1),
        )
