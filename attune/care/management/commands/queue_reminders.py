from typing import Any

from django.core.management.base import BaseCommand

from attune.care.reminders import queue_reminders


class Command(BaseCommand):
    help = (
        "Write appointment reminders to the outbox for appointments 20 to 48 hours away (the day "
        "before). Safe to run often: each appointment is reminded once. send_outbox sends them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = queue_reminders()
        self.stdout.write(f"Reminders: {count} written to the outbox.")
