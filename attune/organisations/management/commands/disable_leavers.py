from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from attune.core.actors import Actor
from attune.organisations.services import disable_leavers


class Command(BaseCommand):
    help = (
        "Disable the accounts of people whose every role has ended (a leaving date recorded ahead). "
        "Run once a day, just after midnight."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        disabled = disable_leavers(actor=Actor.system("manage.py disable_leavers"), today=timezone.localdate())
        self.stdout.write(f"Leavers: {len(disabled)} account{'' if len(disabled) == 1 else 's'} disabled.")
