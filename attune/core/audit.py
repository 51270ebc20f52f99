"""Writing the audit log. Every action function and every object page calls `record`.

Reads are events too: opening a family's page, an export or a report run is recorded the
same way as a change (target S8, ASVS v5.0.0-16.2.1, 16.3.1, 16.3.2).
"""

from typing import Any

from django.db import models
from django.http import HttpRequest

from attune.core.models import AuditEvent, Outcome
from attune.core.network import client_ip

__all__ = ["Outcome", "object_type_of", "record"]


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def _role_summary(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    if scope is None or user is None or not user.is_authenticated:
        return ""
    return str(getattr(scope, "role_summary", ""))


def record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    actor_label: str = "",
    role: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. The actor, role, request id and IP come from the request when given."""
    if request is not None:
        user = getattr(request, "user", None)
        if actor is None and user is not None and user.is_authenticated:
            actor = user
        # The scope (organisations) sets audit_role to the roles that granted access; failing
        # that, every role the person holds.
        role = role or getattr(request, "audit_role", "") or _role_summary(request)
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label[:254],
        role=role[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        detail=detail or {},
    )
