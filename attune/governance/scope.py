"""Scoped look-ups for the audit pages. An IG lead reads events by people with a role in their
organisation, and the access history of records their organisation owns."""

import uuid

from django.db.models import QuerySet

from attune.accounts.models import User
from attune.core import subjects
from attune.core.models import AuditEvent
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def events(scope: Scope) -> QuerySet[AuditEvent]:
    scope.require(Capability.AUDIT, "core.auditevent")
    scope.acting_for_organisation(Capability.AUDIT)
    return AuditEvent.objects.filter(scope.audit_actor_filter()).select_related("actor").order_by("-occurred_at", "-id")


def subject_events(scope: Scope, object_type: str, object_id: str) -> tuple[subjects.Subject, QuerySet[AuditEvent]]:
    """Everything recorded about one record, by anyone, if the reader's organisation owns it."""
    scope.require(Capability.AUDIT, "core.auditevent")
    subject = subjects.resolve(object_type, [object_id]).get(object_id)
    owners = {str(org_id) for org_id in scope.organisation_ids(Capability.AUDIT)}
    if subject is None or not subject.owners & owners:
        raise scope.not_found(object_type, object_id)
    scope.acting_for_organisation(Capability.AUDIT)
    queryset = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    return subject, queryset


def person_events(scope: Scope, user_id: uuid.UUID) -> tuple[User, QuerySet[AuditEvent]]:
    queryset = events(scope)
    # Someone the reader may see events of, who has done something: 404 for anyone else.
    acted = queryset.filter(actor_id=user_id).values("actor_id")[:1]
    person = scope.get(User.objects.filter(pk__in=acted), user_id, team=None)
    return person, queryset.filter(actor_id=user_id)


def readable_people(scope: Scope, events_shown: list[AuditEvent]) -> set[str]:
    """Of the people who did what is shown, those whose own activity page the reader may open
    (the rule `person_events` applies): one query."""
    ids = {event.actor_id for event in events_shown if event.actor_id is not None}
    if not ids:
        return set()
    found = AuditEvent.objects.filter(scope.audit_actor_filter(), actor_id__in=ids).values_list("actor_id", flat=True)
    return {str(actor_id) for actor_id in found.order_by().distinct()}


def owners(scope: Scope) -> set[str]:
    """The organisations whose records the reader may audit (the rule `subject_events` applies)."""
    return {str(org_id) for org_id in scope.organisation_ids(Capability.AUDIT)}
