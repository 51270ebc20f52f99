"""Look-ups for the audit pages that need no scope: the page has already checked, through
governance/scope.py, that the reader may audit what these read."""

import uuid
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Q, QuerySet

from attune.core.audit import FAMILY
from attune.core.models import AuditEvent
from attune.families.models import Family, FamilyMerge


def records_linked_into(family: Family) -> list[uuid.UUID]:
    """Family records merged into this one (merges that stand): what was seen of them before the
    merge is part of this family's history."""
    return list(
        FamilyMerge.objects.filter(kept=family, undone_at__isnull=True)
        .order_by()
        .values_list("merged_id", flat=True)
        .distinct()
    )


def family_events(family_ids: list[uuid.UUID], start: datetime, end: datetime) -> QuerySet[AuditEvent]:
    """Every event naming one of these family records from `start` up to (not including) `end`,
    by anyone, in time order: those naming the family (through their own index, searches that
    listed it included: attune/search/views.py), and those written before events named their
    family, about the family record itself (through the object index)."""
    named = [str(pk) for pk in family_ids]
    names_family = Q(family_id__in=family_ids) | Q(object_type=FAMILY, object_id__in=named)
    return (
        AuditEvent.objects.filter(names_family, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def latest_event_id() -> int:
    """The newest event's id: a download reads up to it, so its row count is the rows it holds."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def families_in_order(family_ids: list[uuid.UUID]) -> list[Family]:
    """The families found, in the order found, with their people and team: three queries."""
    found = Family.objects.filter(pk__in=family_ids).select_related("team").prefetch_related("carers", "infants")
    by_id = {family.pk: family for family in found}
    return [by_id[pk] for pk in family_ids if pk in by_id]


def in_chunks(events: QuerySet[AuditEvent], size: int) -> Iterator[list[AuditEvent]]:
    """The events (ordered by time, then id) `size` at a time, each part read by its own query
    from where the last one ended (keyset paging: no offset to skip, no cursor held open while a
    download streams)."""
    after: AuditEvent | None = None
    while True:
        part = events
        if after is not None:
            part = part.filter(Q(occurred_at__gt=after.occurred_at) | Q(occurred_at=after.occurred_at, id__gt=after.id))
        found = list(part[:size])
        if found:
            yield found
        if len(found) < size:
            return
        after = found[-1]
