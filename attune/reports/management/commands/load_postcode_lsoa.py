"""Load postcode to LSOA from an ONSPD or NSPL CSV: manage.py load_postcode_lsoa FILE --vintage 2021"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from attune.reports.deprivation import VINTAGES, LoadError, load_postcode_lsoa


class Command(BaseCommand):
    help = "Load each postcode's LSOA (2021 for IoD2025, 2011 for IoD2019) from an ONSPD or NSPL CSV file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--vintage", choices=VINTAGES, default="2021")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_postcode_lsoa(
                options["file"],
                vintage=options["vintage"],
                progress=lambda n: self.stdout.write(f"{n:,} postcodes so far"),
            )
        except LoadError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {loaded:,} postcodes with {options['vintage']} LSOAs"))
