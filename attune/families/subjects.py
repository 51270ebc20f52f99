"""Audit subjects owned by this app: family records and the risk alerts on them."""

from collections.abc import Iterable
from typing import Any

from attune.core import subjects
from attune.core.formatting import date_long
from attune.families.naming import main_carer_name

NO_NAMES = "Family (no names recorded)"


def family_label(carers: Iterable[Any], infants: Iterable[Any]) -> str:
    """How the audit names a family: by the person who would ask to see its record (the main
    carer, else the first carer named), else by the baby; never by an id. Pure: takes any objects
    with names, so it is tested without the database."""
    carer = main_carer_name(carers)
    if carer:
        return f"Family of {carer}"
    baby = next((infant.full_name for infant in infants if infant.full_name), "")
    return f"Family of {baby}" if baby else NO_NAMES


def _families(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.families.models import Family

    found = Family.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("team__service")
    return {
        str(family.pk): subjects.Subject(
            label=family_label(family.carers.all(), family.infants.all()),
            kind="Family",
            owners=frozenset({str(family.team.service.provider_id)}),
        )
        for family in found.prefetch_related("carers", "infants")
    }


def _alerts(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.families.models import FamilyAlert

    found = FamilyAlert.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("family__team__service")
    return {
        str(alert.pk): subjects.Subject(
            label=f"Raised on {date_long(alert.created_at)}",
            kind="Risk alert",
            owners=frozenset({str(alert.family.team.service.provider_id)}),
        )
        for alert in found
    }


def register() -> None:
    subjects.register("families.family", _families)
    subjects.register("families.familyalert", _alerts)
