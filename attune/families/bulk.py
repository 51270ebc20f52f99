"""The bulk sibling of `services.create_family`, for importers that bring in thousands of
families at once: the same rows (family, babies, carers, flags, search keys) and the same audit
event for each family, in a few queries instead of a dozen a family.
attune/interop/tests/test_import_bulk.py holds it to the action's rows."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from attune.core import audit
from attune.core.actors import Actor
from attune.families import search_index
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.families.services import FamilyError, NewFamily, family_row, people_rows


@transaction.atomic
def create_families(
    *, items: Sequence[NewFamily], source: str, actor: Actor | None = None, created: Sequence[dt.datetime | None] = ()
) -> list[Family]:
    """create_family for each item, in order. `created` dates each family's record (a family
    that came into the service before it came into Attune); by default now."""
    if any(not new.infants for new in items):
        raise FamilyError("A family needs at least one baby or child")
    today = timezone.localdate()
    now = timezone.now()
    families = [family_row(new) for new in items]
    for index, family in enumerate(families):
        family.created_at = (created[index] if index < len(created) else None) or now
    Family.objects.bulk_create(families, batch_size=500)
    infants: list[Infant] = []
    carers: list[Carer] = []
    flags: list[SafeguardingFlag] = []
    for family, new in zip(families, items, strict=True):
        babies, adults = people_rows(family, new, today)
        infants += babies
        carers += adults
        flags += [SafeguardingFlag(family=family, kind=kind, source=source) for kind in new.safeguarding]
    # Babies and carers keep the order they were given (their pages order by creation time).
    for offset, person in enumerate([*infants, *carers]):
        person.created_at = now + dt.timedelta(microseconds=offset)
    Infant.objects.bulk_create(infants, batch_size=500)
    Carer.objects.bulk_create(carers, batch_size=500)
    SafeguardingFlag.objects.bulk_create(flags, batch_size=500)
    search_index.reindex_families([family.pk for family in families])
    audit.record_many(
        [
            audit.event(action="family.created", actor=actor, obj=family, detail={"source": source})
            for family in families
        ]
    )
    return families
