"""What a family record is called, in pages, tasks and messages alike. Plain Python at run time
(the model is only named for type checking), so pure modules can name a family too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attune.families.models import Family


def _unborn(infant: Any) -> bool:
    """Expected (a due date) and not yet born (no date of birth)."""
    return getattr(infant, "date_of_birth", None) is None and getattr(infant, "expected_due_date", None) is not None


def all_unborn(infants: Iterable[Any]) -> bool:
    """True while the family has babies and none is born yet: until then the family goes by its
    main carer, since a baby's chosen name (or 'Unborn baby') does not say whose record it is."""
    found = list(infants)
    return bool(found) and all(_unborn(infant) for infant in found)


def main_carer_name(carers: Iterable[Any]) -> str:
    """The main contact's name, or the first carer's; '' when no carer has a name."""
    ordered = sorted(carers, key=lambda c: not getattr(c, "is_main_contact", False))
    return ordered[0].full_name if ordered and ordered[0].full_name else ""


def title_of(infants: Iterable[Any], carers: Iterable[Any]) -> str:
    """'Family of Ava Smith': named by the born children, or by the main carer while the baby is
    unborn or no child has a name."""
    infants = list(infants)
    # Carers are read only when the babies do not name the family (they may be a query).
    names = [infant.full_name for infant in infants if infant.given_name and not _unborn(infant)]
    if not names:
        carer = main_carer_name(carers)
        # with no carer to name it by: an unborn baby's chosen name, if it has one
        names = [carer] if carer else [infant.full_name for infant in infants if infant.given_name]
    return f"Family of {' and '.join(names)}" if names else "Family record"


def family_title(family: Family) -> str:
    return title_of(family.infants.all(), family.carers.all())
