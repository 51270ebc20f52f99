"""Load IMD ranks and deciles from an IoD "File 1" CSV: manage.py load_deprivation FILE --edition IoD2025"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from attune.reports.deprivation import EDITIONS, LoadError, load_deprivation


class Command(BaseCommand):
    help = "Load Index of Multiple Deprivation ranks and deciles per LSOA from an IoD File 1 CSV."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--edition", choices=list(EDITIONS), default="IoD2025")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_deprivation(
                options["file"],
                edition=options["edition"],
                progress=lambda n: self.stdout.write(f"{n:,} LSOAs so far"),
            )
        except LoadError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {loaded:,} LSOA ranks for {options['edition']}"))
