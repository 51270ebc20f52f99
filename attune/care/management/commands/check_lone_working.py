from typing import Any

from django.core.management.base import BaseCommand

from attune.care.services import alert_overdue_visits


class Command(BaseCommand):
    help = (
        "Alert the team leads about home visits not checked out 15 minutes after their planned end. "
        "Run every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = alert_overdue_visits()
        self.stdout.write(f"Lone working: {count} overdue home visit{'' if count == 1 else 's'} alerted.")
