"""Safeguarding referrals to children's social care: the actions (outcome as history, meetings
with a task before each, pre-birth timescales, following the baby through the birth) and the
pure rules behind them."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from attune.accounts.models import User
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.families import safeguarding, services
from attune.families.models import Family, Infant
from attune.families.safeguarding import SafeguardingError
from attune.families.safeguarding_models import MeetingKind, ReferralOutcome, SafeguardingReferral
from attune.families.tests.factories import FamilyFactory, InfantFactory, UnbornInfantFactory
from attune.organisations.tests.world import World

# A Wednesday in term time, far from bank holidays: pinned so working days are known.
TODAY = date(2027, 3, 3)


@pytest.fixture(autouse=True)
def _pinned() -> object:
    with time_machine.travel(datetime.combine(TODAY, time(10, 0), tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(world: World) -> Family:
    return FamilyFactory(team=world.hub, local_authority=world.hub_area)


@pytest.fixture
def unborn(family: Family) -> Infant:
    # Due in 16 weeks: 24 weeks pregnant today.
    return UnbornInfantFactory(family=family, family_name="Ahmed", expected_due_date=TODAY + timedelta(weeks=16))


def refer(practitioner: User, family: Family, infant: Infant, world: World, **kwargs: object) -> SafeguardingReferral:
    values: dict[str, object] = {"concern": "Domestic abuse disclosed at the antenatal visit", "referred_on": TODAY}
    values.update(kwargs)
    return safeguarding.make_safeguarding_referral(
        actor=acting(practitioner), family=family, infant=infant, council=world.hub_area, **values
    )


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


# Pure rules -------------------------------------------------------------------------------------


def test_week_of_pregnancy_counts_the_due_date_as_week_40() -> None:
    due = date(2027, 6, 23)
    assert safeguarding.pregnancy_week(due, due) == 40
    assert safeguarding.pregnancy_week(due, due - timedelta(weeks=16)) == 24
    assert safeguarding.pregnancy_week(due, due - timedelta(weeks=16) + timedelta(days=6)) == 24
    assert safeguarding.week_of_pregnancy_date(due, 28) == due - timedelta(weeks=12)
    assert safeguarding.pregnancy_week(due, due - timedelta(weeks=45)) == 0


def test_prebirth_timescales_come_from_settings(settings: object) -> None:
    due = date(2027, 6, 23)
    times = safeguarding.prebirth_timescales(due)
    assert (times.strategy_meeting_by, times.strategy_week) == (date(2027, 3, 31), 28)
    assert (times.conference_from, times.conference_week) == (date(2027, 4, 14), 30)
    settings.ATTUNE_PREBIRTH_STRATEGY_MEETING_BY_WEEK = 26  # type: ignore[attr-defined]
    assert safeguarding.prebirth_timescales(due).strategy_meeting_by == date(2027, 3, 17)


def test_the_task_to_prepare_falls_two_working_days_before_at_9am() -> None:
    # A Monday meeting: prepare by the Thursday before.
    assert safeguarding.prepare_by(at(date(2027, 3, 15))) == at(date(2027, 3, 11), 9)
    # After the Easter bank holidays (Good Friday 26 March, Easter Monday 29 March 2027).
    assert safeguarding.prepare_by(at(date(2027, 3, 31))) == at(date(2027, 3, 25), 9)


@pytest.mark.parametrize(
    ("now", "new", "problem"),
    [
        ("awaiting_decision", "child_protection_plan", ""),
        ("section_47", "child_protection_plan", ""),
        ("child_protection_plan", "child_in_need", ""),
        ("child_protection_plan", "child_protection_plan", "The outcome is already child protection plan"),
        ("closed", "closed", "This referral is closed. Make a new referral if there is a new concern"),
        ("no_further_action", "child_protection_plan", "cannot change from no further action"),
    ],
)
def test_which_outcome_may_follow_which(now: str, new: str, problem: str) -> None:
    found = safeguarding.outcome_problem(now, new)
    assert (problem in found) if problem else found == ""


# Making a referral --------------------------------------------------------------------------------


def test_a_referral_about_an_unborn_baby_is_pre_birth_and_starts_awaiting_a_decision(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    assert referral.pre_birth
    assert referral.pregnancy_week == 24
    assert referral.due_date == unborn.expected_due_date
    assert [(s.status, s.decided_on, s.recorded_by) for s in referral.statuses.all()] == [
        (ReferralOutcome.AWAITING_DECISION, TODAY, practitioner)
    ]
    event = AuditEvent.objects.get(action="safeguarding.referral_made")
    assert event.family_id == family.pk
    assert str(event.person_id) == str(unborn.pk)


def test_a_referral_about_a_born_child_is_not_pre_birth(practitioner: User, family: Family, world: World) -> None:
    baby = InfantFactory(family=family)
    referral = refer(practitioner, family, baby, world)
    assert not referral.pre_birth
    assert referral.pregnancy_week is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"concern": "  "}, "Enter the concern that led to the referral"),
        ({"referred_on": TODAY + timedelta(days=1)}, "The referral date must be today or in the past"),
    ],
)
def test_a_referral_needs_a_concern_and_a_date_not_in_the_future(
    practitioner: User, family: Family, unborn: Infant, world: World, change: dict[str, object], message: str
) -> None:
    with pytest.raises(SafeguardingError, match=message):
        refer(practitioner, family, unborn, world, **change)
    assert not SafeguardingReferral.objects.exists()


def test_a_child_of_another_family_is_refused(practitioner: User, family: Family, world: World) -> None:
    stranger = InfantFactory(family=FamilyFactory(team=world.hub))
    with pytest.raises(SafeguardingError, match="Select a child in this family"):
        refer(practitioner, family, stranger, world)


# Outcomes as history ------------------------------------------------------------------------------


def test_outcomes_are_appended_and_closed_is_final(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    actor = acting(practitioner)
    safeguarding.record_safeguarding_outcome(
        actor=actor, referral=referral, outcome=ReferralOutcome.SECTION_47, decided_on=TODAY
    )
    safeguarding.record_safeguarding_outcome(
        actor=actor, referral=referral, outcome=ReferralOutcome.CLOSED, decided_on=TODAY, note="Moved away"
    )
    with pytest.raises(SafeguardingError, match="This referral is closed"):
        safeguarding.record_safeguarding_outcome(
            actor=actor, referral=referral, outcome=ReferralOutcome.CLOSED, decided_on=TODAY
        )
    assert [s.status for s in referral.statuses.order_by("created_at")] == [
        ReferralOutcome.AWAITING_DECISION,
        ReferralOutcome.SECTION_47,
        ReferralOutcome.CLOSED,
    ]
    assert AuditEvent.objects.filter(action="safeguarding.outcome_recorded").count() == 2


def test_an_outcome_cannot_be_dated_before_the_one_before_it(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world, referred_on=TODAY - timedelta(days=10))
    with pytest.raises(SafeguardingError, match="on or after 21 February 2027"):
        safeguarding.record_safeguarding_outcome(
            actor=acting(practitioner),
            referral=referral,
            outcome=ReferralOutcome.EARLY_HELP,
            decided_on=TODAY - timedelta(days=11),
        )


def test_council_reference_is_added_later_and_audited(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    safeguarding.add_council_reference(actor=acting(practitioner), referral=referral, reference=" CSC-1234 ")
    referral.refresh_from_db()
    assert referral.council_reference == "CSC-1234"
    event = AuditEvent.objects.get(action="safeguarding.council_reference_added")
    assert event.detail == {"old": {"council_reference": ""}, "new": {"council_reference": "CSC-1234"}}


# Meetings and their tasks ------------------------------------------------------------------------


def test_a_meeting_raises_a_task_for_the_referrer_which_moves_and_closes_with_it(
    practitioner: User, coordinator: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    meeting = safeguarding.schedule_safeguarding_meeting(
        actor=acting(coordinator), referral=referral, kind=MeetingKind.STRATEGY, starts_at=at(date(2027, 3, 15))
    )
    task = Task.objects.get(kind=TaskKind.SAFEGUARDING_MEETING)
    assert task.assignee == practitioner
    assert task.title == "Prepare for the strategy meeting on 15 March 2027 at 10:00am"
    assert task.due_at == at(date(2027, 3, 11), 9)
    assert task.url == f"/families/{family.pk}/safeguarding-referrals/{referral.pk}"

    safeguarding.move_safeguarding_meeting(actor=acting(coordinator), meeting=meeting, starts_at=at(date(2027, 3, 22)))
    moved = Task.objects.open().get(kind=TaskKind.SAFEGUARDING_MEETING)
    assert moved.due_at == at(date(2027, 3, 18), 9)
    assert Task.objects.filter(closed_note="Meeting moved").count() == 1

    safeguarding.cancel_safeguarding_meeting(actor=acting(coordinator), meeting=meeting, reason="Chair unwell")
    assert not Task.objects.open().exists()
    with pytest.raises(SafeguardingError, match="This meeting was cancelled"):
        safeguarding.cancel_safeguarding_meeting(actor=acting(coordinator), meeting=meeting, reason="Again")


def test_a_meeting_before_the_referral_date_is_refused(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    with pytest.raises(SafeguardingError, match="The meeting must be on or after the referral date, 3 March 2027"):
        safeguarding.schedule_safeguarding_meeting(
            actor=acting(practitioner),
            referral=referral,
            kind=MeetingKind.STRATEGY,
            starts_at=at(TODAY - timedelta(days=1)),
        )


@pytest.fixture
def clock(_pinned: time_machine.Traveller) -> time_machine.Traveller:
    return _pinned


def test_recording_a_meeting_held_closes_its_task(
    practitioner: User, family: Family, unborn: Infant, world: World, clock: time_machine.Traveller
) -> None:
    referral = refer(practitioner, family, unborn, world)
    meeting = safeguarding.schedule_safeguarding_meeting(
        actor=acting(practitioner), referral=referral, kind=MeetingKind.STRATEGY, starts_at=at(date(2027, 3, 15))
    )
    with pytest.raises(SafeguardingError, match="once it has started"):
        safeguarding.record_meeting_held(actor=acting(practitioner), meeting=meeting, attendance="Social worker")
    clock.move_to(at(date(2027, 3, 15), 12))
    safeguarding.record_meeting_held(
        actor=acting(practitioner), meeting=meeting, attendance="Social worker, midwife", outcome_notes="s47"
    )
    assert not Task.objects.open().exists()
    assert meeting.held_at == at(date(2027, 3, 15))


def test_a_conference_before_week_30_is_flagged_not_refused(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    week_30 = safeguarding.prebirth_timescales(referral.due_date).conference_from  # type: ignore[arg-type]
    assert safeguarding.conference_too_early(referral, MeetingKind.INITIAL_CONFERENCE, week_30 - timedelta(days=1))
    assert not safeguarding.conference_too_early(referral, MeetingKind.INITIAL_CONFERENCE, week_30)
    assert not safeguarding.conference_too_early(referral, MeetingKind.STRATEGY, week_30 - timedelta(days=1))


def test_closing_the_referral_closes_the_meeting_tasks(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    safeguarding.schedule_safeguarding_meeting(
        actor=acting(practitioner), referral=referral, kind=MeetingKind.STRATEGY, starts_at=at(date(2027, 3, 15))
    )
    safeguarding.record_safeguarding_outcome(
        actor=acting(practitioner), referral=referral, outcome=ReferralOutcome.CLOSED, decided_on=TODAY
    )
    assert not Task.objects.open().exists()
    with pytest.raises(SafeguardingError, match="This referral is closed"):
        safeguarding.schedule_safeguarding_meeting(
            actor=acting(practitioner), referral=referral, kind=MeetingKind.OTHER, starts_at=at(date(2027, 3, 16))
        )


# Through the birth --------------------------------------------------------------------------------


def test_the_referral_follows_the_baby_through_the_birth(
    practitioner: User, team_lead: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    services.record_birth(
        actor=acting(team_lead),
        infant=unborn,
        date_of_birth=TODAY,
        given_name="Zara",
        family_name="Ahmed",
    )
    referral.refresh_from_db()
    assert referral.infant.is_born
    assert referral.infant.full_name == "Zara Ahmed"
    assert referral.pre_birth
    assert referral.pregnancy_week == 24
    task = Task.objects.open().get(assignee=practitioner)
    assert (task.kind, task.title) == (
        TaskKind.TELL_COUNCIL_OF_BIRTH,
        "Tell children's social care that Zara Ahmed was born",
    )
    assert task.url == f"/families/{family.pk}/safeguarding-referrals/{referral.pk}"


def test_no_birth_task_for_a_closed_referral(practitioner: User, family: Family, unborn: Infant, world: World) -> None:
    referral = refer(practitioner, family, unborn, world)
    safeguarding.record_safeguarding_outcome(
        actor=acting(practitioner), referral=referral, outcome=ReferralOutcome.NO_FURTHER_ACTION, decided_on=TODAY
    )
    safeguarding.record_safeguarding_outcome(
        actor=acting(practitioner), referral=referral, outcome=ReferralOutcome.CLOSED, decided_on=TODAY
    )
    services.record_birth(
        actor=acting(practitioner), infant=unborn, date_of_birth=TODAY, given_name="Zara", family_name="Ahmed"
    )
    assert not Task.objects.open().exists()


def test_the_audit_log_names_referrals_and_meetings_without_the_child(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    from attune.core import subjects

    referral = refer(practitioner, family, unborn, world)
    meeting = safeguarding.schedule_safeguarding_meeting(
        actor=acting(practitioner), referral=referral, kind=MeetingKind.STRATEGY, starts_at=at(date(2027, 3, 15))
    )
    named = subjects.resolve("families.safeguardingreferral", [str(referral.pk)])[str(referral.pk)]
    assert named.label == "Made on 3 March 2027"
    assert named.owners == frozenset({str(world.trust.pk)})
    meeting_named = subjects.resolve("families.safeguardingmeeting", [str(meeting.pk)])[str(meeting.pk)]
    assert meeting_named.label == "Strategy meeting on 15 March 2027"


def test_telling_the_council_of_the_birth_closes_its_task_once(
    practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    referral = refer(practitioner, family, unborn, world)
    with pytest.raises(SafeguardingError, match="The baby's birth has not been recorded yet"):
        safeguarding.record_birth_told(actor=acting(practitioner), referral=referral)
    services.record_birth(
        actor=acting(practitioner), infant=unborn, date_of_birth=TODAY, given_name="Zara", family_name="Ahmed"
    )
    referral.refresh_from_db()
    assert safeguarding.record_birth_told(actor=acting(practitioner), referral=referral) == 1
    assert safeguarding.record_birth_told(actor=acting(practitioner), referral=referral) == 0
    assert not Task.objects.open().exists()
    assert AuditEvent.objects.filter(action="safeguarding.birth_told").count() == 1
