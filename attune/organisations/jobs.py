"""The daily leavers job (registered in OrganisationsConfig.ready; manage.py disable_leavers does
the same by hand)."""

from django.utils import timezone

from attune.core.actors import Actor
from attune.organisations.services import disable_leavers


def disable_leavers_today(source: str = "worker") -> int:
    disabled = disable_leavers(actor=Actor.system(source), today=timezone.localdate())
    return len(disabled)
