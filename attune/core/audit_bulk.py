"""Audit events for the bulk siblings of actions (an import writes thousands of records through
them): the same rows `audit.record` writes, built in memory and inserted together."""

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import models

from attune.core.actors import Actor
from attune.core.audit import FAMILY, NOBODY, object_type_of
from attune.core.models import AuditEvent, Outcome


def event(
    *,
    action: str,
    actor: Actor | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    family_id: uuid.UUID | str | None = None,
    person_id: uuid.UUID | str | None = None,
) -> AuditEvent:
    """What audit.record would write, not yet saved."""
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
        outcome=Outcome.SUCCESS,
        request_id=actor.request_id,
        ip_address=actor.ip_address,
        detail=detail or {},
        family_id=family_id,
        person_id=person_id,
    )


def record_many(events: Sequence[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events, batch_size=1000)
