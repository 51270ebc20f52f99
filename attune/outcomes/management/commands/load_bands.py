"""manage.py load_bands ASQSE2 cutoffs-24m.toml --key "24 months" --source "ASQ:SE-2 User's Guide, our kit"

Loads bands or cut-offs a service holds (ASQ:SE-2, one set per age interval). The file:

    [[bands]]
    minimum = 0
    maximum = 49
    label = "Below the cut-off"
"""

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attune.outcomes.services import OutcomeError, load_band_set


class Command(BaseCommand):
    help = "Load (or replace) a set of bands for an outcome measure from a TOML file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="The measure's code, e.g. ASQSE2")
        parser.add_argument("path", type=Path, help="The TOML file of [[bands]]")
        parser.add_argument("--key", default="", help='The age interval, e.g. "24 months" (ASQ:SE-2)')
        parser.add_argument("--source", required=True, help="Where the bands come from")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = load_band_set(
                code=options["instrument"].upper(),
                path=options["path"],
                key=options["key"],
                source=options["source"],
                loaded_by=f"manage.py by {getpass.getuser()}",
            )
        except OutcomeError as problem:
            raise CommandError(problem.message) from None
        where = f" for {found.key}" if found.key else ""
        self.stdout.write(f"Loaded {len(found.bands)} bands for {found.instrument}{where}.")
