from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from attune.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup file made by `manage.py backup` into this database. The file is checked whole first "
        "(damaged, truncated, another engine's, or from a newer version of Attune: refused, nothing touched). "
        "The database must be empty unless --replace, which overwrites everything in it. Run `manage.py migrate` "
        "afterwards if the backup comes from an older version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file (attune-<engine>-<time>Z.tar).")
        parser.add_argument("--replace", action="store_true", help="Overwrite a database that is not empty.")
        parser.add_argument("--no-input", action="store_true", dest="no_input", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = backups.Database.default()

        def confirm(manifest: dict[str, Any]) -> bool:
            if options["no_input"]:
                return True
            self.stdout.write(
                f"Restore the backup taken at {manifest.get('created_at')} (Attune {manifest.get('attune_version')}) "
                f"into the {target.engine} database {target.name}"
                + (", replacing everything in it" if options["replace"] else "")
                + "?"
            )
            return input("Type 'yes' to continue: ").strip().lower() == "yes"

        connections.close_all()
        try:
            restored = backups.restore_backup(
                path=Path(options["file"]), target=target, replace=options["replace"], confirm=confirm
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {restored.rows} rows in {restored.tables} tables; every table's row count matches the backup's manifest."
        )
        if restored.documents:
            self.stdout.write(
                f"Restored {restored.documents} documents and recordings, each checked against the manifest."
            )
        applied = {(app, name) for app, name in restored.manifest.get("migrations", [])}
        behind = len(backups.known_migrations() - applied)
        if behind:
            self.stdout.write(f"The backup predates {behind} migrations of this version: run `manage.py migrate` next.")
