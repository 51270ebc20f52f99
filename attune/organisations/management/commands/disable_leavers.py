from typing import Any

from django.core.management.base import BaseCommand

from attune.organisations.jobs import disable_leavers_today


class Command(BaseCommand):
    help = (
        "Disable the accounts of people whose every role has ended (a leaving date recorded ahead). "
        "The worker runs it daily (manage.py worker); this runs it now."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        disabled = disable_leavers_today("manage.py disable_leavers")
        self.stdout.write(f"Leavers: {disabled} account{'' if disabled == 1 else 's'} disabled.")
