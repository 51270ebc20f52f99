"""Scoped look-ups for consent pages: the family is fetched through the family scope first
(families.scope.get_family), so everything here only narrows to what that family holds."""

import uuid
from typing import Any, cast

from django.db.models import prefetch_related_objects

from attune.families.consent_models import Consent
from attune.families.models import Carer, Family, Infant
from attune.organisations.scope import Scope


def people_of(family: Family) -> list[Infant | Carer]:
    """The family's people whose consent is asked: the babies first, then the parents and carers.
    Kept on the family (prefetched), so asking again costs nothing."""
    prefetch_related_objects([family], "infants", "carers")
    return [*family.infants.all(), *family.carers.all()]


def get_person(scope: Scope, family: Family, person_id: uuid.UUID) -> Infant | Carer:
    """A baby or carer of this family; anyone else (a tampered id) is an audited 404."""
    found: Infant | Carer | None = next((person for person in people_of(family) if person.pk == person_id), None)
    return cast(Infant | Carer, scope.found(found, "families.person", person_id))


def get_consent(scope: Scope, family: Family, person: Infant | Carer, consent_id: uuid.UUID) -> Consent:
    """One decision of this person's, in this family."""
    which: dict[str, Any] = {"infant": person} if isinstance(person, Infant) else {"carer": person}
    return scope.get(Consent.objects.filter(family=family, **which), consent_id, team=None)


def history_of(person: Infant | Carer) -> list[Consent]:
    """Every decision this person has made, newest first, with who recorded and withdrew it."""
    which: dict[str, Any] = {"infant": person} if isinstance(person, Infant) else {"carer": person}
    return list(
        Consent.objects.filter(**which)
        .select_related("recorded_by", "withdrawn_by", "given_by")
        .order_by("-created_at", "-id")
    )
