"""Supervision actions: record a session, complete an agreed action, set a practitioner's
experience. Each checks the rules and writes its audit event in the same transaction."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core import audit
from attune.core.actors import Actor
from attune.core.models import TaskKind
from attune.core.tasks import close_tasks, raise_task
from attune.supervision.models import (
    CaseDiscussion,
    ClinicalExperience,
    SessionAttendee,
    SessionFormat,
    SessionKind,
    SupervisionAction,
    SupervisionSession,
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
