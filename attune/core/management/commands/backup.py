from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from attune.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database into one file in ATTUNE_BACKUP_DIR (default backups/): SQLite through its "
        "online backup API, PostgreSQL through pg_dump. --prune then keeps ATTUNE_BACKUP_KEEP_DAILY daily "
        "and ATTUNE_BACKUP_KEEP_WEEKLY weekly backups and deletes the rest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--prune", action="store_true", help="Delete backups beyond the daily and weekly ones kept."
        )
        parser.add_argument("--dir", help="The backup directory (default: ATTUNE_BACKUP_DIR, or backups/).")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"]) if options["dir"] else backups.backup_dir()
        try:
            path = backups.take_backup(directory=directory, now=timezone.now())
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path}")
        if options["prune"]:
            deleted = backups.prune(directory=directory)
            self.stdout.write(f"Pruned: {len(deleted)} old backup{'' if len(deleted) == 1 else 's'} deleted.")
