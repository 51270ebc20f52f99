"""Raising and closing tasks: one action each, audited (DESIGN.md convention 12)."""

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from attune.core import audit
from attune.core.actors import Actor
from attune.core.models import Task, TaskKind


@transaction.atomic
def raise_task(
    *,
    kind: TaskKind,
    assignee: Any,
    title: str,
    about: models.Model,
    facts: dict[str, str] | None = None,
    due_at: datetime | None = None,
    urgent: bool = False,
    actor: Actor | None = None,
) -> Task:
    """One open task per kind, person and subject: raising it again returns the open one."""
    about_type, about_id = audit.object_type_of(about), str(about.pk)
    existing = (
        Task.objects.open().filter(kind=kind, assignee=assignee, about_type=about_type, about_id=about_id).first()
    )
    if existing is not None:
        return existing
    task = Task.objects.create(
        kind=kind,
        assignee=assignee,
        title=title[:300],
        about_type=about_type,
        about_id=about_id,
        facts=facts or {},
        due_at=due_at,
        urgent=urgent,
    )
    audit.record(
        action="task.raised",
        actor=actor,
        obj=task,
        detail={"kind": kind.value, "about": f"{about_type}:{about_id}"},
    )
    return task


@transaction.atomic
def close_tasks(*, kind: TaskKind, about: models.Model, actor: Actor | None = None, note: str = "") -> int:
    """Close every open task of this kind about this subject (a countersignature done by one
    supervisor closes the others' too). Returns how many were closed."""
    open_tasks = Task.objects.open().filter(kind=kind, about_type=audit.object_type_of(about), about_id=str(about.pk))
    closed_by = actor.user if actor is not None else None
    count = 0
    for task in open_tasks.select_for_update():
        task.closed_at = timezone.now()
        task.closed_by = closed_by
        task.closed_note = note[:300]
        task.save(update_fields=["closed_at", "closed_by", "closed_note", "updated_at"])
        audit.record(action="task.closed", actor=actor, obj=task, detail={"kind": kind.value})
        count += 1
    return count
