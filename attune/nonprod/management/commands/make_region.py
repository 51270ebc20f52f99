import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from attune.nonprod import region


class Command(BaseCommand):
    help = (
        "Build the region-scale dataset (5 teams, 10 years, about 20,000 families) on an empty database, "
        "for benchmarks. Refuses outside demo mode unless --i-know-this-is-not-production is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--families", type=int, default=region.FULL_FAMILIES)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--teams", type=int, default=len(region.TEAMS))
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--scale", type=float, default=None, help="A share of the full size: 0.01 is 200 families")
        parser.add_argument("--i-know-this-is-not-production", action="store_true", dest="not_production")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEMO_MODE or options["not_production"]):
            raise CommandError(
                "The region dataset is built only in demo mode (ATTUNE_DEMO=1) or with "
                "--i-know-this-is-not-production, on an empty database made for testing."
            )
        families = options["families"]
        if options["scale"] is not None:
            if not 0 < options["scale"] <= 10:
                raise CommandError("Enter a scale between 0 and 10, like 0.01 for 200 families")
            families = max(1, round(region.FULL_FAMILIES * options["scale"]))
        started = time.monotonic()
        try:
            built = region.build(
                families=families,
                years=options["years"],
                teams=options["teams"],
                seed=options["seed"],
                progress=self.stdout.write,
            )
        except region.RegionRefused as refused:
            raise CommandError(str(refused)) from refused
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Region built in {time.monotonic() - started:.0f} seconds:"))
        for name, count in built.counts.items():
            self.stdout.write(f"  {count:>9,} {name}")
        self.stdout.write(
            f"Sign in as region-lead-1@{region.EMAIL_DOMAIN} (hub team lead) or "
            f"region-commissioner-1@{region.EMAIL_DOMAIN} (ICB), password {region.PASSWORD}"
        )
