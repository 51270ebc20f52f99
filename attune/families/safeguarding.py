"""Safeguarding referrals to children's social care: the actions. Each is one transaction that
writes its audit event; each refusal is a SafeguardingError whose message is fit to show."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit, clocks, tasks
from attune.core.actors import Actor
from attune.core.formatting import LONDON, date_long, datetime_long
from attune.core.models import TaskKind
from attune.families.models import Family, Infant
from attune.families.safeguarding_models import (
    MeetingKind,
    ReferralOutcome,
    SafeguardingMeeting,
    SafeguardingReferral,
    SafeguardingReferralStatus,
)
from attune.organisations.models import Organisation, OrganisationKind

# A pregnancy is 40 weeks to the due date; pre-birth timescales count weeks of pregnancy.
FULL_TERM_WEEKS = 40
# The task to prepare for a meeting falls this many working days before it.
PREPARE_WORKING_DAYS = 2
PREPARE_AT = time(9, 0)

# Which outcomes may follow which. Anything may follow the first decision; after that the
# council steps a case up or down, and a closed referral stays closed (a new concern is a new
# referral). Nothing goes back to "awaiting decision".
_AFTER_DECISION = {
    ReferralOutcome.NO_FURTHER_ACTION,
    ReferralOutcome.EARLY_HELP,
    ReferralOutcome.CHILD_IN_NEED,
    ReferralOutcome.SECTION_47,
    ReferralOutcome.CHILD_PROTECTION_PLAN,
    ReferralOutcome.LOOKED_AFTER,
    ReferralOutcome.CLOSED,
}
ALLOWED_NEXT: dict[str, set[ReferralOutcome]] = {
    ReferralOutcome.AWAITING_DECISION: _AFTER_DECISION,
    ReferralOutcome.NO_FURTHER_ACTION: {ReferralOutcome.EARLY_HELP, ReferralOutcome.CLOSED},
    ReferralOutcome.EARLY_HELP: _AFTER_DECISION - {ReferralOutcome.EARLY_HELP},
    ReferralOutcome.CHILD_IN_NEED: _AFTER_DECISION - {ReferralOutcome.CHILD_IN_NEED},
    ReferralOutcome.SECTION_47: _AFTER_DECISION - {ReferralOutcome.SECTION_47},
    ReferralOutcome.CHILD_PROTECTION_PLAN: _AFTER_DECISION
    - {ReferralOutcome.CHILD_PROTECTION_PLAN, ReferralOutcome.NO_FURTHER_ACTION},
    ReferralOutcome.LOOKED_AFTER: _AFTER_DECISION - {ReferralOutcome.LOOKED_AFTER, ReferralOutcome.NO_FURTHER_ACTION},
    ReferralOutcome.CLOSED: set(),
}


class SafeguardingError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


# Pure rules (no database) --------------------------------------------------------------------


def pregnancy_week(due: date, on: date) -> int:
    """The completed week of pregnancy on a day, counting the due date as the start of week 40."""
    # Never below 0: a due date typed far ahead must not make the referral unrecordable.
    return max(0, (FULL_TERM_WEEKS * 7 - (due - on).days) // 7)


def week_of_pregnancy_date(due: date, week: int) -> date:
    """The day a pregnancy reaches `week` weeks, for a baby due on `due` (week 40)."""
    return due - timedelta(weeks=FULL_TERM_WEEKS - week)


@dataclass(frozen=True)
class Timescales:
    strategy_meeting_by: date
    strategy_week: int
    conference_from: date
    conference_week: int


def prebirth_timescales(due: date) -> Timescales:
    """The council's pre-birth timescales (settings) as days, from the due date."""
    strategy = settings.ATTUNE_PREBIRTH_STRATEGY_MEETING_BY_WEEK
    conference = settings.ATTUNE_PREBIRTH_CONFERENCE_FROM_WEEK
    return Timescales(
        strategy_meeting_by=week_of_pregnancy_date(due, strategy),
        strategy_week=strategy,
        conference_from=week_of_pregnancy_date(due, conference),
        conference_week=conference,
    )


def conference_too_early(referral: SafeguardingReferral, kind: str, day: date) -> bool:
    """An initial conference before the week the council allows, for a pre-birth referral: a
    warning on the page, not a refusal (the council may have good reason)."""
    if not referral.pre_birth or referral.due_date is None or kind != MeetingKind.INITIAL_CONFERENCE:
        return False
    return day < prebirth_timescales(referral.due_date).conference_from


def prepare_by(starts_at: datetime) -> datetime:
    """When the task to prepare for a meeting is due: 9am, two working days before it."""
    day = starts_at.astimezone(LONDON).date()
    counted = 0
    while counted < PREPARE_WORKING_DAYS:
        day -= timedelta(days=1)
        if clocks.is_working_day(day):
            counted += 1
    return datetime.combine(day, PREPARE_AT, tzinfo=LONDON)


def outcome_problem(current: str, new: str) -> str:
    """Why this outcome may not follow the current one, or "" if it may."""
    label = ReferralOutcome(new).label.lower()
    if current == ReferralOutcome.CLOSED:
        return "This referral is closed. Make a new referral if there is a new concern"
    if new == current:
        return f"The outcome is already {label}"
    if new not in ALLOWED_NEXT.get(current, set()):
        return f"The outcome cannot change from {ReferralOutcome(current).label.lower()} to {label}"
    return ""


# Actions --------------------------------------------------------------------------------------


def _user(actor: Actor) -> User:
    assert isinstance(actor.person, User), "a safeguarding referral is recorded by a member of staff"
    return actor.person


def _refuse_future(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise SafeguardingError(f"The {what} must be today or in the past")


@transaction.atomic
def make_safeguarding_referral(
    *,
    actor: Actor,
    family: Family,
    infant: Infant,
    concern: str,
    referred_on: date,
    council: Organisation | None = None,
    council_reference: str = "",
) -> SafeguardingReferral:
    """Record a referral made to children's social care about one child of the family. A child
    not yet born on the referral date makes it a pre-birth referral, and that stays true."""
    if infant.family_id != family.pk:
        raise SafeguardingError("Select a child in this family")
    if not concern.strip():
        raise SafeguardingError("Enter the concern that led to the referral")
    _refuse_future(referred_on, "referral date")
    if council is not None and council.kind != OrganisationKind.LOCAL_AUTHORITY:
        raise SafeguardingError("Select the council the referral was made to")
    user = _user(actor)
    born_by_then = infant.date_of_birth is not None and infant.date_of_birth <= referred_on
    pre_birth = not born_by_then and infant.expected_due_date is not None
    referral = SafeguardingReferral.objects.create(
        family=family,
        infant=infant,
        concern=concern.strip(),
        referred_on=referred_on,
        referred_by=user,
        council=council,
        council_reference=council_reference.strip(),
        pre_birth=pre_birth,
        due_date=infant.expected_due_date if pre_birth else None,
        pregnancy_week=pregnancy_week(infant.expected_due_date, referred_on)
        if pre_birth and infant.expected_due_date
        else None,
    )
    SafeguardingReferralStatus.objects.create(
        referral=referral, status=ReferralOutcome.AWAITING_DECISION, decided_on=referred_on, recorded_by=user
    )
    audit.record(
        action="safeguarding.referral_made",
        actor=actor,
        obj=referral,
        family_id=family.pk,
        person_id=infant.pk,
        detail={"pre_birth": pre_birth, "referred_on": referred_on.isoformat()},
    )
    return referral


def current_status(referral: SafeguardingReferral) -> SafeguardingReferralStatus:
    latest = referral.statuses.order_by("-decided_on", "-created_at").first()
    assert latest is not None, "every referral starts with a status row"
    return latest


@transaction.atomic
def record_safeguarding_outcome(
    *, actor: Actor, referral: SafeguardingReferral, outcome: str, decided_on: date, note: str = ""
) -> SafeguardingReferralStatus:
    """Append the council's decision. The referral row is locked so two people recording at
    once cannot both move it from the same state."""
    SafeguardingReferral.objects.select_for_update().filter(pk=referral.pk).first()
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.AWAITING_DECISION:
        raise SafeguardingError("Select the outcome of the referral")
    now = current_status(referral)
    problem = outcome_problem(now.status, outcome)
    if problem:
        raise SafeguardingError(problem)
    _refuse_future(decided_on, "date of the decision")
    if decided_on < now.decided_on:
        raise SafeguardingError(f"The date of the decision must be on or after {date_long(now.decided_on)}")
    status = SafeguardingReferralStatus.objects.create(
        referral=referral, status=outcome, decided_on=decided_on, recorded_by=_user(actor), note=note.strip()
    )
    if outcome == ReferralOutcome.CLOSED:
        for meeting in referral.meetings.filter(held_at__isnull=True, cancelled_at__isnull=True):
            tasks.close_tasks(kind=TaskKind.SAFEGUARDING_MEETING, about=meeting, actor=actor, note="Referral closed")
        tasks.close_tasks(kind=TaskKind.TELL_COUNCIL_OF_BIRTH, about=referral, actor=actor, note="Referral closed")
    audit.record(
        action="safeguarding.outcome_recorded",
        actor=actor,
        obj=referral,
        family_id=referral.family_id,
        person_id=referral.infant_id,
        detail={"from": now.status, "to": outcome, "decided_on": decided_on.isoformat()},
    )
    return status


@transaction.atomic
def add_council_reference(*, actor: Actor, referral: SafeguardingReferral, reference: str) -> SafeguardingReferral:
    """The council's own reference for the referral, usually known a few days later; it can be
    corrected (the audit keeps the old one)."""
    reference = reference.strip()
    if not reference:
        raise SafeguardingError("Enter the council's reference")
    old = referral.council_reference
    if old == reference:
        return referral
    referral.council_reference = reference
    referral.save(update_fields=["council_reference", "updated_at"])
    audit.record(
        action="safeguarding.council_reference_added",
        actor=actor,
        obj=referral,
        family_id=referral.family_id,
        detail=audit.changed_values({"council_reference": old}, {"council_reference": reference}),
    )
    return referral


def _meeting_task_title(meeting: SafeguardingMeeting) -> str:
    return f"Prepare for the {meeting.get_kind_display().lower()} on {datetime_long(meeting.starts_at)}"


def _raise_meeting_task(meeting: SafeguardingMeeting, actor: Actor) -> None:
    referral = meeting.referral
    tasks.raise_task(
        kind=TaskKind.SAFEGUARDING_MEETING,
        assignee=referral.referred_by,
        title=_meeting_task_title(meeting),
        about=meeting,
        facts={"family": str(referral.family_id), "referral": str(referral.pk)},
        due_at=prepare_by(meeting.starts_at),
        actor=actor,
    )


def _check_meeting_time(referral: SafeguardingReferral, starts_at: datetime) -> None:
    if starts_at.astimezone(LONDON).date() < referral.referred_on:
        raise SafeguardingError(f"The meeting must be on or after the referral date, {date_long(referral.referred_on)}")


@transaction.atomic
def schedule_safeguarding_meeting(
    *, actor: Actor, referral: SafeguardingReferral, kind: str, starts_at: datetime, notes: str = ""
) -> SafeguardingMeeting:
    """Add a meeting about the referral, and a task for the referrer to prepare for it. A meeting
    already past is recorded too (the task is then not raised)."""
    if kind not in MeetingKind.values:
        raise SafeguardingError("Select the kind of meeting")
    if current_status(referral).status == ReferralOutcome.CLOSED:
        raise SafeguardingError("This referral is closed. Make a new referral if there is a new concern")
    _check_meeting_time(referral, starts_at)
    meeting = SafeguardingMeeting.objects.create(
        referral=referral, kind=kind, starts_at=starts_at, scheduled_by=_user(actor), notes=notes.strip()
    )
    if starts_at > timezone.now():
        _raise_meeting_task(meeting, actor)
    audit.record(
        action="safeguarding.meeting_scheduled",
        actor=actor,
        obj=meeting,
        family_id=referral.family_id,
        detail={"kind": kind, "starts_at": starts_at.isoformat(), "referral": str(referral.pk)},
    )
    return meeting


def _still_upcoming(meeting: SafeguardingMeeting) -> None:
    if meeting.cancelled_at is not None:
        raise SafeguardingError("This meeting was cancelled")
    if meeting.held_at is not None:
        raise SafeguardingError("This meeting is already recorded as held")


@transaction.atomic
def move_safeguarding_meeting(
    *, actor: Actor, meeting: SafeguardingMeeting, starts_at: datetime
) -> SafeguardingMeeting:
    """A meeting moved to another time: its preparation task moves with it (closed and raised
    again, so the task list shows the new date)."""
    _still_upcoming(meeting)
    _check_meeting_time(meeting.referral, starts_at)
    old = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.save(update_fields=["starts_at", "updated_at"])
    tasks.close_tasks(kind=TaskKind.SAFEGUARDING_MEETING, about=meeting, actor=actor, note="Meeting moved")
    if starts_at > timezone.now():
        _raise_meeting_task(meeting, actor)
    audit.record(
        action="safeguarding.meeting_moved",
        actor=actor,
        obj=meeting,
        family_id=meeting.referral.family_id,
        detail={"from": old.isoformat(), "to": starts_at.isoformat()},
    )
    return meeting


@transaction.atomic
def cancel_safeguarding_meeting(*, actor: Actor, meeting: SafeguardingMeeting, reason: str) -> SafeguardingMeeting:
    _still_upcoming(meeting)
    if not reason.strip():
        raise SafeguardingError("Enter why the meeting was cancelled")
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = _user(actor)
    meeting.cancelled_reason = reason.strip()[:500]
    meeting.save(update_fields=["cancelled_at", "cancelled_by", "cancelled_reason", "updated_at"])
    tasks.close_tasks(kind=TaskKind.SAFEGUARDING_MEETING, about=meeting, actor=actor, note="Meeting cancelled")
    audit.record(
        action="safeguarding.meeting_cancelled",
        actor=actor,
        obj=meeting,
        family_id=meeting.referral.family_id,
        detail={"kind": meeting.kind},
    )
    return meeting


@transaction.atomic
def record_meeting_held(
    *, actor: Actor, meeting: SafeguardingMeeting, attendance: str, outcome_notes: str = ""
) -> SafeguardingMeeting:
    """The meeting took place: who came and what was decided. Its preparation task closes."""
    _still_upcoming(meeting)
    if meeting.starts_at > timezone.now():
        raise SafeguardingError("A meeting can only be recorded as held once it has started")
    if not attendance.strip():
        raise SafeguardingError("Enter who attended the meeting")
    meeting.held_at = meeting.starts_at
    meeting.held_recorded_by = _user(actor)
    meeting.attendance = attendance.strip()
    meeting.outcome_notes = outcome_notes.strip()
    meeting.save(update_fields=["held_at", "held_recorded_by", "attendance", "outcome_notes", "updated_at"])
    tasks.close_tasks(kind=TaskKind.SAFEGUARDING_MEETING, about=meeting, actor=actor, note="Meeting held")
    audit.record(
        action="safeguarding.meeting_held",
        actor=actor,
        obj=meeting,
        family_id=meeting.referral.family_id,
        detail={"kind": meeting.kind},
    )
    return meeting


BIRTH_TOLD_NOTE = "Children's social care told of the birth"


@transaction.atomic
def record_birth_told(*, actor: Actor, referral: SafeguardingReferral) -> int:
    """The referrer told children's social care that the baby was born: the task raised at the
    birth closes. Returns how many tasks closed (0 if someone had already recorded it)."""
    if not referral.pre_birth or not referral.infant.is_born:
        raise SafeguardingError("The baby's birth has not been recorded yet")
    closed = tasks.close_tasks(kind=TaskKind.TELL_COUNCIL_OF_BIRTH, about=referral, actor=actor, note=BIRTH_TOLD_NOTE)
    if closed:
        audit.record(
            action="safeguarding.birth_told",
            actor=actor,
            obj=referral,
            family_id=referral.family_id,
            person_id=referral.infant_id,
        )
    return closed


def tell_council_of_birth(*, actor: Actor, infant: Infant) -> int:
    """After a baby is born: a task for each open pre-birth referral's referrer to tell the
    council. Called inside families.services.record_birth's transaction. Returns how many."""
    raised = 0
    for referral in (
        SafeguardingReferral.objects.open().filter(infant=infant, pre_birth=True).select_related("referred_by")
    ):
        tasks.raise_task(
            kind=TaskKind.TELL_COUNCIL_OF_BIRTH,
            assignee=referral.referred_by,
            title=f"Tell children's social care that {infant.full_name or 'the baby'} was born",
            about=referral,
            facts={"family": str(referral.family_id), "referral": str(referral.pk)},
            due_at=clocks.add_working_days(timezone.now(), 1),
            actor=actor,
        )
        raised += 1
    return raised
