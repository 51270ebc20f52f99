"""What a family record is called, in pages, tasks and messages alike. Plain Python at run time
(the model is only named for type checking), so pure modules can name a family too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attune.families.models import Family


def title_of(infants: Iterable[Any], carers: Iterable[Any]) -> str:
    """'Family of Ava Smith': named by the children, or by the main carer before a baby has a name."""
    names = [infant.full_name for infant in infants if infant.given_name]
    if not names:
        ordered = sorted(carers, key=lambda c: not getattr(c, "is_main_contact", False))
        names = [ordered[0].full_name] if ordered and ordered[0].full_name else []
    return f"Family of {' and '.join(names)}" if names else "Family record"


def family_title(family: Family) -> str:
    return title_of(family.infants.all(), family.carers.all())
