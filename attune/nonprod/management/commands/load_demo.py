from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attune.nonprod import scenario


class Command(BaseCommand):
    help = "Load (or refresh) the Blackpool PAIRS demo scenario. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo scenario loads only in demo mode (ATTUNE_DEMO=1).")
        people = scenario.load()
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded: Blackpool PAIRS, hub and satellite."))
        self.stdout.write(f"\nDemo sign-ins (password for all: {scenario.DEMO_PASSWORD})")
        self.stdout.write("Two-factor is waived for these demo accounts while demo mode is on.\n")
        width = max(len(p.email) for p in people)
        for person in people:
            self.stdout.write(f"  {person.email.ljust(width)}  {person.full_name}: {person.summary}")
        self.stdout.write("")
