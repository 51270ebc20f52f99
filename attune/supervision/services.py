"""Supervision actions: record a session, complete an agreed action, set a practitioner's
experience, return a trainee's note with comments and the trainee's answer, and change a
service's supervision standard from a day on. Each checks the rules and writes its audit event in
the same transaction."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services as care_services
from attune.care.models import Episode, Note
from attune.core import audit, clocks
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.models import TaskKind
from attune.core.problems import Problems
from attune.core.tasks import close_tasks, raise_task
from attune.organisations.models import Membership, Service
from attune.organisations.roles import Role
from attune.referrals.models import SINCE_THE_START
from attune.supervision import standard as standards
from attune.supervision.models import (
    CaseDiscussion,
    ClinicalExperience,
    NoteReturn,
    SessionAttendee,
    SessionFormat,
    SessionKind,
    SupervisionAction,
    SupervisionSession,
    SupervisionStandardSetting,
)
from attune.supervision.queries import discussable_episodes, supervisable_people, supervising_team_ids

SHORTEST_SESSION = 15
LONGEST_SESSION = 240
MAX_ACTIONS = 3


class SupervisionError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: User
    due_on: dt.date


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))


@transaction.atomic
def record_session(
    *,
    actor: Actor,
    supervisees: Sequence[User],
    kind: str,
    format: str,
    held_on: dt.date,
    duration_minutes: int,
    notes: str = "",
    episodes: Sequence[Episode] = (),
    summaries: dict[object, str] | None = None,
    actions: Sequence[ActionInput] = (),
) -> SupervisionSession:
    """The signed-in clinical supervisor records supervision they gave."""
    supervisor = actor.person
    if not supervising_team_ids(supervisor):
        raise SupervisionError("Only a clinical supervisor can record supervision")
    if kind not in SessionKind.values:
        raise SupervisionError("Select whether this was individual or group supervision")
    if format not in SessionFormat.values:
        raise SupervisionError("Select whether this was in person or by video")
    if held_on > timezone.localdate():
        raise SupervisionError("The date of the supervision must be today or in the past")
    if not SHORTEST_SESSION <= duration_minutes <= LONGEST_SESSION:
        raise SupervisionError(
            f"The length of the supervision must be between {SHORTEST_SESSION} and {LONGEST_SESSION} minutes"
        )
    people = {person.pk: person for person in supervisees}
    if not people:
        raise SupervisionError("Select who you supervised")
    if kind == SessionKind.INDIVIDUAL and len(people) > 1:
        raise SupervisionError("Individual supervision is with one person. Select one, or choose group supervision")
    allowed = set(supervisable_people(supervisor).filter(pk__in=people).values_list("pk", flat=True))
    if set(people) - allowed:
        raise SupervisionError("You can only record supervision for practitioners in the teams you supervise")
    episode_ids = {episode.pk for episode in episodes}
    if episode_ids:
        discussable = set(
            discussable_episodes(supervisor, people).filter(pk__in=episode_ids).values_list("pk", flat=True)
        )
        if episode_ids - discussable:
            raise SupervisionError("A family discussed must be one you or the people you supervised work with")
    if len(actions) > MAX_ACTIONS:
        raise SupervisionError(f"Record up to {MAX_ACTIONS} actions")
    for action in actions:
        if action.owner.pk != supervisor.pk and action.owner.pk not in people:
            raise SupervisionError("Each action must belong to you or someone at the supervision")
        if action.due_on < held_on:
            raise SupervisionError("An action cannot be due before the supervision")
        if not action.description.strip():
            raise SupervisionError("Describe each action")

    session = SupervisionSession.objects.create(
        supervisor=supervisor,
        kind=kind,
        format=format,
        held_on=held_on,
        duration_minutes=duration_minutes,
        notes=notes,
        recorded_by=supervisor,
    )
    SessionAttendee.objects.bulk_create(SessionAttendee(session=session, supervisee=p) for p in people.values())
    summaries = summaries or {}
    CaseDiscussion.objects.bulk_create(
        CaseDiscussion(session=session, episode_id=pk, summary=summaries.get(pk, "")) for pk in sorted(episode_ids)
    )
    audit.record(
        action="supervision.recorded",
        actor=actor,
        obj=session,
        detail={"supervisees": len(people), "families": len(episode_ids), "actions": len(actions)},
    )
    for action in actions:
        created = SupervisionAction.objects.create(
            session=session, description=action.description.strip(), owner=action.owner, due_on=action.due_on
        )
        audit.record(action="supervision.action_agreed", actor=actor, obj=created)
        raise_task(
            kind=TaskKind.SUPERVISION_ACTION,
            assignee=action.owner,
            title=f"Supervision action: {created.description}",
            about=created,
            facts={"session": str(session.pk)},
            due_at=_end_of_day(action.due_on),
            actor=actor,
        )
    return session


@transaction.atomic
def complete_action(*, actor: Actor, action: SupervisionAction, note: str = "") -> SupervisionAction:
    """The action's owner, or the supervisor who agreed it, marks it done; its task closes."""
    action = SupervisionAction.objects.select_for_update().select_related("session").get(pk=action.pk)
    user = actor.person
    if action.done_at is not None:
        raise SupervisionError("This action is already done")
    if user.pk not in (action.owner_id, action.session.supervisor_id):
        raise SupervisionError("Only the person the action belongs to, or the supervisor, can complete it")
    action.done_at = timezone.now()
    action.done_by = user
    action.done_note = note.strip()
    action.save(update_fields=["done_at", "done_by", "done_note", "updated_at"])
    audit.record(action="supervision.action_done", actor=actor, obj=action)
    close_tasks(kind=TaskKind.SUPERVISION_ACTION, about=action, actor=actor, note=f"Done by {user.full_name}")
    return action


@transaction.atomic
def set_experience(
    *, actor: Actor | None, practitioner: User, since: dt.date, weekly_hours: Decimal
) -> ClinicalExperience:
    """Record when someone's experience with under-2s began and their contracted hours: these
    set how often they need supervision."""
    if since > timezone.localdate():
        raise SupervisionError("The start of their experience must be today or in the past")
    if not Decimal("0.5") <= weekly_hours <= Decimal("60"):
        raise SupervisionError("Contracted hours must be between 0.5 and 60 a week")
    experience, _ = ClinicalExperience.objects.update_or_create(
        practitioner=practitioner, defaults={"under_twos_experience_since": since, "weekly_hours": weekly_hours}
    )
    audit.record(
        action="supervision.experience_set",
        actor=actor,
        obj=experience,
        detail={"practitioner": str(practitioner.pk)},
    )
    return experience


# Returning a trainee's note ------------------------------------------------------------------
# A signed note is never changed: the supervisor sends it back with comments, the trainee answers
# with an addendum (care's own action), and the note waits for countersigning again.


def _note_for_review(note: Note) -> Note:
    return Note.objects.select_for_update().select_related("appointment__episode__team", "author").get(pk=note.pk)


def _note_day(note: Note) -> str:
    return date_long(note.appointment.starts_at)


@transaction.atomic
def return_note(*, actor: Actor, note: Note, comments: str) -> NoteReturn:
    """A clinical supervisor in the note's team sends a trainee's signed note back with comments
    instead of countersigning it: the countersigning tasks close and the trainee gets a task."""
    note = _note_for_review(note)
    user = actor.person
    if not note.awaiting_countersignature:
        raise SupervisionError("This note is not waiting for a countersignature, so it cannot be returned")
    if not care_services.holds_role(user, note.appointment.episode.team, Role.SUPERVISOR):
        raise SupervisionError("Only a clinical supervisor in this team can return a note")
    if note.author_id == user.pk:
        raise SupervisionError("You cannot return your own note")
    if NoteReturn.objects.unanswered().filter(note=note).exists():
        raise SupervisionError(
            f"This note is already with {note.author.full_name} for an addendum. It comes back to you when they answer"
        )
    if not comments.strip():
        raise SupervisionError("Enter your comments for the trainee")
    returned = NoteReturn.objects.create(
        note=note, returned_by=user, returned_at=timezone.now(), comments=comments.strip()
    )
    audit.record(action="note.returned", actor=actor, obj=note, detail={"return": str(returned.pk)})
    close_tasks(
        kind=TaskKind.COUNTERSIGN_NOTE,
        about=note,
        actor=actor,
        note=f"Returned to {note.author.full_name} with comments by {user.full_name}",
    )
    raise_task(
        kind=TaskKind.NOTE_RETURNED,
        assignee=note.author,
        title=f"{user.full_name} returned your note of {_note_day(note)} with comments: {returned.comments}",
        about=returned,
        facts={"appointment": str(note.appointment_id)},
        actor=actor,
    )
    return returned


@transaction.atomic
def answer_returned_note(*, actor: Actor, note: Note, addendum: str) -> NoteReturn:
    """The note's author answers the supervisor's comments with an addendum (the signed note itself
    stays as it was); the note goes back to the team's supervisors for countersigning."""
    note = _note_for_review(note)
    user = actor.person
    returned = NoteReturn.objects.select_for_update().unanswered().filter(note=note).first()
    if returned is None:
        raise SupervisionError("This note has not been returned to you, or you have already answered")
    if note.author_id != user.pk:
        raise SupervisionError(f"Only {note.author.full_name}, who wrote the note, can answer the comments")
    if not addendum.strip():
        raise SupervisionError("Write the addendum")
    try:
        added = care_services.add_addendum(actor=actor, note=note, body=addendum)
    except care_services.CareError as refused:
        raise SupervisionError(str(refused)) from refused
    returned.answered_at = timezone.now()
    returned.answer = added
    returned.save(update_fields=["answered_at", "answer", "updated_at"])
    audit.record(action="note.return_answered", actor=actor, obj=note, detail={"return": str(returned.pk)})
    close_tasks(kind=TaskKind.NOTE_RETURNED, about=returned, actor=actor, note="Addendum added")
    if note.awaiting_countersignature:
        team = note.appointment.episode.team
        for membership in (
            Membership.objects.active(timezone.localdate())
            .filter(team=team, role=Role.SUPERVISOR)
            .exclude(user=user)
            .select_related("user")
        ):
            raise_task(
                kind=TaskKind.COUNTERSIGN_NOTE,
                assignee=membership.user,
                title=f"Countersign {user.full_name}'s note of {_note_day(note)}: addendum added after comments",
                about=note,
                facts={"appointment": str(note.appointment_id)},
                actor=actor,
            )
    return returned


# The service's supervision standard (issue 15) ---------------------------------------------------
# A change adds a row from the day it applies, so a report of an earlier period keeps the
# standard in force then; a past day is refused (core.clocks.setting_date_problem), so no report
# already sent is rewritten. The checks are here so an importer keeps to them as the page does.

STANDARD_MINUTES = (1, 480)  # up to 8 hours a week or fortnight
STANDARD_HOURS_MAX = Decimal("48")  # the Working Time Regulations' average week
STANDARD_YEARS_MAX = 10
STANDARD_LABELS = {
    "minutes_per_period": "Minutes of supervision each period",
    "less_experienced_period": "How often with less experience",
    "experienced_after_years": "Years of experience with under-2s",
    "experienced_period": "How often with more experience",
    "full_time_hours": "Full-time hours a week",
}


class StandardError(Problems, SupervisionError):
    """A standard the service cannot work to: each problem by the setting it is about, fit to show."""


def standard_problems(proposed: standards.Standard) -> dict[str, str]:
    """What is wrong with the standard, by setting, in the words the form shows."""
    problems: dict[str, str] = {}
    low, high = STANDARD_MINUTES
    if not low <= proposed.minutes_per_period <= high:
        problems["minutes_per_period"] = f"Minutes of supervision must be between {low} and {high}"
    for name, who in (("less_experienced_period", "less"), ("experienced_period", "more")):
        if getattr(proposed, name) not in standards.PERIOD_WORDS:
            problems[name] = f"Select how often practitioners with {who} experience need supervision"
    if not 0 <= proposed.experienced_after_years <= STANDARD_YEARS_MAX:
        problems["experienced_after_years"] = f"Years of experience must be between 0 and {STANDARD_YEARS_MAX}"
    hours = proposed.full_time_hours
    if not (hours.is_finite() and Decimal(0) < hours <= STANDARD_HOURS_MAX):
        problems["full_time_hours"] = f"Full-time hours must be more than 0 and no more than {STANDARD_HOURS_MAX}"
    elif hours != hours.quantize(Decimal("0.1")):
        problems["full_time_hours"] = "Enter full-time hours to one decimal place, like 37.5"
    if not problems and proposed.experienced_period < proposed.less_experienced_period:
        problems["experienced_period"] = (
            "Practitioners with more experience cannot need supervision more often than those with less"
        )
    return problems


def _standard_values(found: standards.Standard) -> dict[str, Any]:
    return {
        name: f"{value.normalize():f}" if isinstance(value, Decimal) else value for name, value in asdict(found).items()
    }


@transaction.atomic
def change_supervision_standard(
    *, actor: Actor, service: Service, standard: standards.Standard, effective_from: dt.date
) -> SupervisionStandardSetting:
    """The service's supervision standard from a day on (today or a later day)."""
    problems = standard_problems(standard)
    if problem := clocks.setting_date_problem(effective_from, timezone.localdate()):
        problems["effective_from"] = problem
    if problems:
        raise StandardError(problems)
    # One change to a service's standard at a time.
    Service.objects.select_for_update().filter(pk=service.pk).first()
    changes = SupervisionStandardSetting.objects.filter(service=service)
    if not changes.exists():
        # The standard in force until now becomes the service's first row, so the days before
        # this change keep it even if the installation's default is ever changed.
        SupervisionStandardSetting.objects.create(
            service=service, effective_from=SINCE_THE_START, **asdict(standards.PARENT_INFANT_FOUNDATION)
        )
    current = changes.filter(effective_from__lte=effective_from).order_by("-effective_from").first()
    assert current is not None  # the first row is in force from the start
    before = _standard_values(current.as_standard())
    after = _standard_values(standard)
    if before == after:
        raise StandardError({"minutes_per_period": "You have not changed the supervision standard"})
    row = (
        current
        if current.effective_from == effective_from
        else SupervisionStandardSetting(service=service, effective_from=effective_from)
    )
    for name, value in asdict(standard).items():
        setattr(row, name, value)
    row.save()
    audit.record(
        action="supervision.standard_changed",
        actor=actor,
        obj=service,
        detail={
            "effective_from": effective_from.isoformat(),
            **audit.changed_values(before, {name: after[name] for name in STANDARD_LABELS}),
        },
    )
    return row
