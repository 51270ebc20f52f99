"""Scoped look-ups for the language pages: a carer of a family already fetched through the
family's scope (families/scope.py), so a carer of another family is not found."""

import uuid

from attune.families.models import Carer, Family
from attune.organisations.scope import Scope


def get_carer(scope: Scope, family: Family, carer_id: uuid.UUID) -> Carer:
    return scope.get(family.carers.all(), carer_id, team=None)
