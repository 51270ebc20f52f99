"""manage.py import_administrations measures.csv

Imports completed measures from another system. Each row goes through record_administration, so
its risk alerts are raised; a bad row is reported with its line number and nothing of it is
stored. Columns (a header row first): referral, instrument, carer, infant, time_point,
completed_on, answers."""

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attune.outcomes.services import IMPORT_COLUMNS, import_administrations


class Command(BaseCommand):
    help = "Import completed outcome measures from a CSV file, raising their risk alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                headers = [name.strip().lower() for name in reader.fieldnames or []]
                missing = [column for column in IMPORT_COLUMNS if column not in headers]
                if missing:
                    raise CommandError(f"{path.name} is missing the column(s): {', '.join(missing)}")
                rows = [{key.strip().lower(): (value or "") for key, value in row.items() if key} for row in reader]
        except FileNotFoundError:
            raise CommandError(f"There is no file at {path}") from None
        report = import_administrations(rows=rows)
        for problem in report.problems:
            self.stderr.write(problem)
        alerts = sum(len(a.alerts) for a in report.stored)
        self.stdout.write(
            f"Imported {len(report.stored)} measure(s), refused {len(report.problems)}; {alerts} risk alert(s) raised."
        )
        if report.problems:
            raise CommandError(f"{len(report.problems)} row(s) were not imported: see the lines above.")
