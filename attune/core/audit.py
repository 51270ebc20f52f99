"""Writing the audit log. Every action function and every object page calls `record`.

Reads are events too: opening a family's page, an export or a report run is recorded the
same way as a change (target S8, ASVS v5.0.0-16.2.1, 16.3.1, 16.3.2).
"""

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import models

from attune.core.actors import Actor
from attune.core.models import AuditEvent, Outcome

__all__ = ["Outcome", "event", "object_type_of", "record", "record_each_family", "record_many"]

# Events with no actor given are the system's own (a migration, a check with nobody behind it).
NOBODY = Actor()
FAMILY = "families.family"


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def changed_values(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An audit detail's "old" and "new": only the settings a change altered, in `after`'s order."""
    changed = [name for name in after if before.get(name) != after[name]]
    return {"old": {name: before.get(name) for name in changed}, "new": {name: after[name] for name in changed}}


def event(
    *,
    action: str,
    actor: Actor | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    family_id: uuid.UUID | str | None = None,
    person_id: uuid.UUID | str | None = None,
) -> AuditEvent:
    """One event, not yet saved: who (the actor, in the roles that allowed it, from which request
    and address), did what, to what, with what outcome, and whose family's data it showed or
    changed (an event about a family record names the family without being told)."""
    actor = actor or NOBODY
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
    if family_id is None and object_type == FAMILY and object_id:
        family_id = object_id
    return AuditEvent(
        actor=actor.user,
        actor_label=actor.name[:254],
        role=actor.audit_role[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        request_id=actor.request_id,
        ip_address=actor.ip_address,
        detail=detail or {},
        family_id=family_id,
        person_id=person_id,
    )


def record(
    *,
    action: str,
    actor: Actor | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    family_id: uuid.UUID | str | None = None,
    person_id: uuid.UUID | str | None = None,
) -> AuditEvent:
    """Append one event (see `event`)."""
    made = event(
        action=action,
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        detail=detail,
        family_id=family_id,
        person_id=person_id,
    )
    made.save(force_insert=True)
    return made


def record_many(events: Sequence[AuditEvent]) -> None:
    """Append many events built with `event` together (the import's bulk siblings of actions)."""
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def record_each_family(
    *,
    action: str,
    actor: Actor | None = None,
    family_ids: list[uuid.UUID],
    detail: dict[str, Any] | None = None,
) -> None:
    """One read event per family a page showed beside the one it is about (the possible matches
    on a referral, the families discussed in a supervision session), written in ONE insert so a
    page costs the same however many it shows. Each names its family as its object too."""
    record_many(
        [
            event(action=action, actor=actor, object_type=FAMILY, object_id=str(family_id), detail=detail)
            for family_id in dict.fromkeys(family_ids)
        ]
    )
