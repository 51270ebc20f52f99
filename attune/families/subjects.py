"""Audit subjects owned by this app: family records."""

from attune.core import subjects


def _families(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.families.models import Family

    return {
        str(family.pk): subjects.Subject(
            label=f"Family record {str(family.pk)[:8]}",
            kind="Family",
            owners=frozenset({str(family.team.service.provider_id)}),
        )
        for family in Family.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("team__service")
    }


def register() -> None:
    subjects.register("families.family", _families)
