"""`manage.py mhsds_extract --team <id or name> --month 2025-01 --out <dir>`: writes a team's MHSDS
extract for a month as one CSV file per table (and the zip the page gives), checks it with the
same rules as the page, and prints the count per table and every error. Exits with status 1 when
the extract has errors, so a scheduled submission stops rather than sends them."""

import csv
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attune.core import audit
from attune.core.actors import Actor
from attune.interop import mhsds_extract, mhsds_load, mhsds_rules
from attune.organisations.models import Team


def _team(text: str) -> Team:
    teams = Team.objects.select_related("service__provider", "service__commissioner")
    try:
        return teams.get(pk=uuid.UUID(text))
    except (ValueError, Team.DoesNotExist):
        pass
    named = list(teams.filter(name__iexact=text.strip())[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise CommandError(f"More than one team is called {text!r}: give its id")
    raise CommandError(f"No team has the id or name {text!r}")


class Command(BaseCommand):
    help = "Write a team's Mental Health Services Data Set extract for a month, and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True, help="The team's id or exact name")
        parser.add_argument("--month", required=True, help="The month, like 2025-01")
        parser.add_argument("--out", required=True, help="The folder to write the files into")

    def handle(self, *args: Any, **options: Any) -> None:
        team = _team(options["team"])
        try:
            month = mhsds_load.parse_month(options["month"])
        except mhsds_load.BadMonth as bad:
            raise CommandError(str(bad)) from bad
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        extract = mhsds_load.extract_for(team, month)
        validation = mhsds_rules.validate(extract)
        folder = out / mhsds_extract.file_stem(extract)
        folder.mkdir(exist_ok=True)
        for table in mhsds_extract.TABLES:
            (folder / f"{table}.csv").write_text(mhsds_extract.to_csv(table, extract.tables[table]), encoding="utf-8")
        (out / f"{mhsds_extract.file_stem(extract)}.zip").write_bytes(mhsds_extract.to_zip(extract))
        with (folder / "validation.csv").open("w", newline="", encoding="utf-8") as report:
            writer = csv.writer(report)
            writer.writerow(["Severity", "Table", "Row", "Record", "Item", "Rule", "How to mend it"])
            for f in validation.findings:
                writer.writerow([f.severity, f.table, f.row, f.record_id, f.item, f.rule, f.mend])
        audit.record(
            action="mhsds.extract_written",
            actor=Actor.system("mhsds_extract"),
            obj=team,
            detail={"month": month.key, "families": len(extract.family_ids()), "rows": dict(extract.counts())},
        )
        self.stdout.write(f"MHSDS extract for {team.name}, {month.label}, written to {folder}")
        for table, count in extract.counts():
            self.stdout.write(f"  {table}: {count} row{'' if count == 1 else 's'}")
        for note in extract.notes:
            self.stdout.write(f"  Not submitted: {note}")
        for f in validation.errors:
            self.stdout.write(f"  Error: {f.table} row {f.row} ({f.record_id}) {f.item}: {f.rule}. {f.mend}")
        errors, warnings = len(validation.errors), len(validation.warnings)
        self.stdout.write(
            f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}."
        )
        if errors:
            raise SystemExit(1)
