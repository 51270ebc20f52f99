import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attune.core import backups


def load_demo_into(database: backups.Database) -> None:
    """Migrate a fresh database and load the demo into it, in a process of its own."""
    env = {
        **os.environ,
        "DATABASE_URL": database.url(),
        "ATTUNE_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "attune.config.settings.local",
    }
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    for command in (["migrate", "--verbosity=0", "--skip-checks"], ["load_demo", "--skip-checks"]):
        result = subprocess.run(  # noqa: S603
            [sys.executable, manage, *command], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise backups.BackupError(f"manage.py {command[0]} failed: {result.stderr.strip()[-2000:]}")


class Command(BaseCommand):
    help = (
        "The backup drill: load the demo into a fresh database (of this engine), back it up, restore it into "
        "another empty database and compare every table's row count and a checksum of its rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        like = backups.Database.default()
        try:
            result = backups.drill(like=like, load=load_demo_into, now=timezone.now())
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup drill on {like.engine}: {result.rows} rows in {result.tables} tables restored identical "
            f"(backup {result.seconds_backup:.1f}s, restore {result.seconds_restore:.1f}s)."
        )
