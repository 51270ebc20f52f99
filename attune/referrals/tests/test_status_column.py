"""The referral's status column is the latest row of its history, whatever happens to it (issue 18).

Random sequences of the real actions (receiving a referral, each triage decision, information
arriving), legal and illegal, on a clock that moves forward by random steps (a step of nothing
gives two rows at the same moment), with history filled in late now and then: after every step
the columns equal the latest row of the history, an illegal move raises its domain error and
changes neither, and the querysets that read the column agree."""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.accounts.models import User
from attune.core.formatting import LONDON
from attune.core.testing.actors import acting
from attune.families.codes import Relationship
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.organisations.tests.world import World
from attune.referrals import decisions, services
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority, ReferralSource
from attune.referrals.models import Referral, ReferralKind, ReferralStatus
from attune.referrals.services import Decision, Intake, ReferralError, Referrer
from attune.referrals.workflow import OPEN, IllegalTransition, Status

START = dt.datetime(2026, 3, 2, 9, tzinfo=LONDON)

DECISIONS = {
    Status.ACCEPTED: Decision(Status.ACCEPTED, level_of_need=LevelOfNeed.DISTRESS, priority=Priority.SOON),
    Status.SIGNPOSTED: Decision(Status.SIGNPOSTED, level_of_need=LevelOfNeed.STRESS, signposted_to="Family hub"),
    Status.DECLINED: Decision(
        Status.DECLINED, level_of_need=LevelOfNeed.STRESS, decline_reason=DeclineReason.ALREADY_SUPPORTED
    ),
    Status.AWAITING_INFORMATION: Decision(Status.AWAITING_INFORMATION, note="Which GP?"),
    Status.WITHDRAWN: Decision(Status.WITHDRAWN, note="The family moved away."),
}


@dataclass(frozen=True)
class Decide:
    status: Status


@dataclass(frozen=True)
class InformationReceived:
    pass


@dataclass(frozen=True)
class FilledInLate:
    """A row appended with an earlier time than the latest (an importer catching up): the
    columns follow the history's order, not the order rows were added."""

    status: Status
    minutes_back: int


Step = Decide | InformationReceived | FilledInLate

steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3 * 24 * 60),  # minutes the clock moves first (0: the same moment)
        st.one_of(
            st.sampled_from(list(decisions.BY_STATUS)).map(Decide),
            st.just(InformationReceived()),
            st.builds(FilledInLate, st.sampled_from(list(Status)), st.integers(min_value=0, max_value=24 * 60)),
        ),
    ),
    max_size=8,
)


def _intake(world: World) -> Intake:
    family = NewFamily(
        team=world.hub,
        infants=[NewInfant(given_name="Lacey", family_name="Cartwright", date_of_birth=dt.date(2026, 1, 20))],
        carers=[NewCarer(given_name="Danielle", family_name="Cartwright", relationship=Relationship.MOTHER)],
        address_line_1="88 Lindale Gardens",
        town="Blackpool",
        postcode="FY1 3RN",
        local_authority=world.hub_area,
    )
    return Intake(
        kind=ReferralKind.PROFESSIONAL,
        source=ReferralSource.HEALTH_VISITOR,
        referrer=Referrer(name="Claire Moss", email="claire.moss@nhs.example"),
        family=family,
        reason="Mum rarely picks Lacey up.",
        consent_given=True,
    )


def _latest(referral: Referral) -> ReferralStatus:
    row = referral.history.order_by("-entered_at", "-id").first()
    assert row is not None
    return row


def _assert_column_is_latest(referral: Referral) -> None:
    latest = _latest(referral)
    stored = Referral.objects.with_status().get(pk=referral.pk)
    assert (stored.status, stored.status_at) == (latest.status, latest.entered_at)
    assert stored.current_status == latest.status  # type: ignore[attr-defined]
    in_inbox = Referral.objects.awaiting_triage().filter(pk=referral.pk).exists()
    assert in_inbox == (Status(latest.status) in OPEN)


def _snapshot(referral: Referral) -> tuple[object, ...]:
    stored = Referral.objects.get(pk=referral.pk)
    return (referral.history.count(), _latest(referral).pk, stored.status, stored.status_at)


def _move(step: Decide | InformationReceived, referral: Referral, person: User, seen: int) -> ReferralStatus:
    if isinstance(step, Decide):
        decision = DECISIONS[step.status]
        return services.decide(actor=acting(person), referral=referral, seen_status_id=seen, decision=decision)
    return services.information_received(actor=acting(person), referral=referral, seen_status_id=seen, note="Dr Patel")


def _take(step: Step, referral: Referral, person: User) -> None:
    latest = _latest(referral)
    if isinstance(step, FilledInLate):
        at = latest.entered_at - dt.timedelta(minutes=step.minutes_back)
        services.append_status(referral=referral, status=step.status, entered_at=at, by=person)
        return
    wanted = step.status if isinstance(step, Decide) else Status.RECEIVED
    if wanted in decisions.TRANSITIONS[Status(latest.status)]:
        row = _move(step, referral, person, latest.pk)
        assert (row.status, _latest(referral).pk) == (wanted, row.pk)
    else:
        before = _snapshot(referral)
        with pytest.raises((IllegalTransition, ReferralError)):
            _move(step, referral, person, latest.pk)
        assert _snapshot(referral) == before


def test_the_status_column_is_always_the_latest_row_of_the_history(world: World, coordinator: User) -> None:
    @given(steps=steps)
    @settings(max_examples=50, deadline=None)
    def run(steps: list[tuple[int, Step]]) -> None:
        with time_machine.travel(START, tick=False) as clock:
            referral = services.submit_referral(intake=_intake(world))
            assert (referral.status, referral.status_at) == (Status.RECEIVED, START)
            _assert_column_is_latest(referral)
            for minutes, step in steps:
                clock.shift(dt.timedelta(minutes=minutes))
                _take(step, referral, coordinator)
                _assert_column_is_latest(referral)

    run()


def test_a_bulk_written_history_sets_the_columns_from_its_latest_rows(world: World) -> None:
    first = services.submit_referral(intake=_intake(world))
    second = services.submit_referral(intake=_intake(world))
    later = first.status_at + dt.timedelta(days=2)
    services.append_statuses(
        [
            ReferralStatus(referral=first, status=Status.ACCEPTED, entered_at=later),
            # Earlier than the row it follows: not the latest, so the column keeps ACCEPTED.
            ReferralStatus(referral=first, status=Status.DECLINED, entered_at=later - dt.timedelta(days=1)),
            ReferralStatus(referral=second, status=Status.AWAITING_INFORMATION, entered_at=later),
        ]
    )
    assert (first.status, first.status_at) == (Status.ACCEPTED, later)
    for referral in (first, second):
        _assert_column_is_latest(referral)


def test_sync_puts_the_columns_back_after_the_history_moved_in_the_table(world: World) -> None:
    referral = services.submit_referral(intake=_intake(world))
    moved = referral.status_at - dt.timedelta(days=30)
    ReferralStatus.objects.filter(referral=referral).update(status=Status.WITHDRAWN, entered_at=moved)
    assert Referral.objects.filter(pk=referral.pk).sync_status() == 1
    assert Referral.objects.filter(pk=referral.pk, status=Status.WITHDRAWN, status_at=moved).exists()
