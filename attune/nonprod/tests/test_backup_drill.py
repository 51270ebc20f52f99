"""The backup drill on the engine under test: the demo loaded into a fresh database (a temporary
file on SQLite, a database of its own on PostgreSQL), backed up, restored into another empty one,
and every table compared by row count and a checksum of its rows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from attune.core import backups
from attune.nonprod.management.commands import backup_drill


def test_the_demo_survives_a_backup_and_restore() -> None:
    out = StringIO()

    call_command("backup_drill", stdout=out)

    engine = backups.Database.default().engine
    assert f"Backup drill on {engine}:" in out.getvalue()
    assert "restored identical" in out.getvalue()


def test_the_drill_fails_loudly_when_a_row_does_not_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    real_restore = backups.restore_backup

    def restore_then_lose_a_row(**kwargs: object) -> backups.Restored:
        restored = real_restore(**kwargs)  # type: ignore[arg-type]
        target = kwargs["target"]
        assert isinstance(target, backups.Database)
        with target.connect() as conn:
            conn.execute("UPDATE family_demo SET name = 'changed'")
            conn.commit()
        return restored

    def load(database: backups.Database) -> None:
        with database.connect() as conn:
            conn.execute("CREATE TABLE family_demo (id integer PRIMARY KEY, name text)")
            conn.execute("INSERT INTO family_demo (id, name) VALUES (1, 'Ash')")
            conn.commit()

    monkeypatch.setattr(backups, "restore_backup", restore_then_lose_a_row)
    monkeypatch.setattr(backup_drill, "load_demo_into", load)

    with pytest.raises(CommandError, match="Drill failed: rows differ in family_demo"):
        call_command("backup_drill")
