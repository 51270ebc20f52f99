"""manage.py load_instrument_wording EPDS wording.toml --licence "RCPsych permission ref 123"

Loads item wording the service holds a licence for (Attune ships none for the EPDS). The file:

    instructions = "…"                      # optional
    [items.1]
    text = "…"
    options = ["…", "…", "…", "…"]          # optional, in printed order
"""

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attune.outcomes.services import OutcomeError, load_wording


class Command(BaseCommand):
    help = "Load licensed item wording for an outcome measure from a TOML file (checked before it is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="The measure's code, e.g. EPDS")
        parser.add_argument("path", type=Path, help="The TOML file of wording")
        parser.add_argument("--licence", required=True, help="The licence or permission that allows its use")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            wording = load_wording(
                code=options["instrument"].upper(),
                path=options["path"],
                licence=options["licence"],
                loaded_by=f"manage.py by {getpass.getuser()}",
            )
        except OutcomeError as problem:
            raise CommandError(problem.message) from None
        self.stdout.write(f"Loaded wording for {wording.instrument}: {len(wording.items)} items.")
