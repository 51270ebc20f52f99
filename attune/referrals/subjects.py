"""Audit subjects owned by this app: referrals."""

from attune.core import subjects


def _referrals(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.referrals.models import Referral

    return {
        str(referral.pk): subjects.Subject(
            label=referral.reference, kind="Referral", owners=frozenset({str(referral.team.service.provider_id)})
        )
        for referral in Referral.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("team__service")
    }


def register() -> None:
    subjects.register("referrals.referral", _referrals)
