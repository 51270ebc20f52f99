"""Backups and restores: the refusals, the keeping rule and the round trip (SQLite files of their own;
PostgreSQL databases of their own when the suite runs on PostgreSQL)."""

import json
import sqlite3
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from attune.core import backups
from attune.core.backups import BackupError, Database

NOW = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
KNOWN = {("core", "0001_initial"), ("accounts", "0001_initial")}


def _small_sqlite(path: Path, *, rows: int = 3, migrations: list[tuple[str, str]] | None = None) -> Database:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)")
        conn.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')",
            migrations or sorted(KNOWN),
        )
        conn.execute("CREATE TABLE family (id INTEGER PRIMARY KEY, name TEXT, born DATE)")
        conn.executemany("INSERT INTO family (name, born) VALUES (?, '2025-05-01')", [(f"F{i}",) for i in range(rows)])
    conn.close()
    return Database("sqlite", str(path))


@pytest.fixture
def source(tmp_path: Path) -> Database:
    return _small_sqlite(tmp_path / "live.sqlite3")


@pytest.fixture(autouse=True)
def documents(tmp_path: Path, settings: Any) -> Path:
    """The documents storage's folder, the test's own (empty until a test puts files in it): the
    suite's other tests leave files in the process's folder, which a backup would carry."""
    folder = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


@pytest.fixture
def backup(source: Database, tmp_path: Path, documents: Path) -> Path:
    return backups.take_backup(source=source, directory=tmp_path / "backups", now=NOW, documents=documents)


def _restore(path: Path, target: Database, **kwargs: object) -> backups.Restored:
    return backups.restore_backup(path=path, target=target, known=KNOWN, **kwargs)  # type: ignore[arg-type]


def _family_names(database: Database) -> list[str]:
    with database.connect() as conn:
        return [row[0] for row in conn.execute("SELECT name FROM family ORDER BY id")]


def _rewrite(path: Path, *, manifest: dict | None = None, dump: bytes | None = None) -> None:
    with tarfile.open(path) as tar:
        old_manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        old_dump = tar.extractfile(old_manifest["dump"]).read()  # type: ignore[union-attr]
    manifest = manifest if manifest is not None else old_manifest
    dump = dump if dump is not None else old_dump
    with tarfile.open(path, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), (manifest["dump"], dump)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, BytesIO(data))


def test_a_backup_is_one_file_with_a_manifest(backup: Path) -> None:
    assert backup.name == "attune-sqlite-20260304T023000000000Z.tar"
    assert backup.stat().st_mode & 0o077 == 0
    with tarfile.open(backup) as tar:
        assert sorted(tar.getnames()) == ["database.sqlite3", "manifest.json"]
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["engine"] == "sqlite"
    assert manifest["row_counts"] == {"django_migrations": 2, "family": 3}
    assert manifest["latest_migrations"] == {"accounts": "0001_initial", "core": "0001_initial"}
    assert manifest["created_at"] == NOW.isoformat()
    assert manifest["attune_version"]
    assert manifest["media"] == {"included": True, "files": {}}  # the documents folder, empty here
    assert len(manifest["sha256"]) == 64
    assert list(backup.parent.iterdir()) == [backup]  # no partial files left behind


def _put(folder: Path, name: str, data: bytes) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def test_documents_go_into_the_backup_and_come_back_with_the_database(
    source: Database, documents: Path, tmp_path: Path
) -> None:
    _put(documents, "document/ab12/plan.pdf", b"%PDF-1.4 the plan")
    _put(documents, "recording/cd34/session.mp4", b"\x00\x00\x00\x18ftypmp42")
    path = backups.take_backup(source=source, directory=tmp_path / "backups", now=NOW, documents=documents)
    with tarfile.open(path) as tar:
        assert sorted(tar.getnames()) == [
            "database.sqlite3",
            "documents/document/ab12/plan.pdf",
            "documents/recording/cd34/session.mp4",
            "manifest.json",
        ]
    elsewhere = tmp_path / "restored-documents"

    restored = _restore(path, Database("sqlite", str(tmp_path / "new.sqlite3")), documents=elsewhere)

    assert restored.documents == 2
    assert backups.document_files(elsewhere) == backups.document_files(documents)
    assert (elsewhere / "document/ab12/plan.pdf").read_bytes() == b"%PDF-1.4 the plan"


def test_a_damaged_document_refuses_the_whole_restore(source: Database, documents: Path, tmp_path: Path) -> None:
    _put(documents, "document/ab12/plan.pdf", b"%PDF-1.4 the plan")
    path = backups.take_backup(source=source, directory=tmp_path / "backups", now=NOW, documents=documents)
    with tarfile.open(path) as tar:
        members = {name: tar.extractfile(name).read() for name in tar.getnames()}  # type: ignore[union-attr]
    members["documents/document/ab12/plan.pdf"] = b"%PDF-1.4 another plan"
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, BytesIO(data))
    target = Database("sqlite", str(tmp_path / "new.sqlite3"))

    with pytest.raises(BackupError, match=r"the document document/ab12/plan.pdf does not match.*Nothing was restored"):
        _restore(path, target, documents=tmp_path / "restored-documents")
    assert not Path(target.name).exists()
    assert not (tmp_path / "restored-documents").exists()


def test_refuses_a_documents_folder_that_is_not_empty_unless_told_to_replace(
    source: Database, documents: Path, tmp_path: Path
) -> None:
    _put(documents, "document/ab12/plan.pdf", b"%PDF-1.4 the plan")
    path = backups.take_backup(source=source, directory=tmp_path / "backups", now=NOW, documents=documents)
    elsewhere = tmp_path / "restored-documents"
    _put(elsewhere, "document/zz99/other.pdf", b"%PDF-1.4 someone else's")
    target = Database("sqlite", str(tmp_path / "new.sqlite3"))

    with pytest.raises(BackupError, match=r"documents folder .* is not empty.*--replace.*Nothing was restored"):
        _restore(path, target, documents=elsewhere)
    assert not Path(target.name).exists()

    _restore(path, target, documents=elsewhere, replace=True)
    assert sorted(backups.document_files(elsewhere)) == ["document/ab12/plan.pdf"]


def test_documents_in_an_object_store_are_left_to_its_own_versioning(
    source: Database, tmp_path: Path, settings: Any
) -> None:
    settings.STORAGES = {**settings.STORAGES, "documents": {"BACKEND": "storages.backends.s3.S3Storage"}}
    assert backups.documents_root() is None
    path = backups.take_backup(source=source, directory=tmp_path / "backups", now=NOW)
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["media"]["included"] is False
    assert "object store" in manifest["media"]["reason"]


def test_round_trip_into_an_empty_database(backup: Path, tmp_path: Path) -> None:
    target = Database("sqlite", str(tmp_path / "new.sqlite3"))

    restored = _restore(backup, target)

    assert (restored.tables, restored.rows) == (2, 5)
    assert _family_names(target) == ["F0", "F1", "F2"]


def test_refuses_a_database_that_is_not_empty_unless_told_to_replace(backup: Path, tmp_path: Path) -> None:
    target = _small_sqlite(tmp_path / "other.sqlite3", rows=1)

    with pytest.raises(BackupError, match=r"is not empty.*--replace.*Nothing was restored"):
        _restore(backup, target)
    assert _family_names(target) == ["F0"]

    _restore(backup, target, replace=True)
    assert _family_names(target) == ["F0", "F1", "F2"]


def test_refuses_a_backup_from_a_newer_schema(tmp_path: Path) -> None:
    newer = _small_sqlite(tmp_path / "newer.sqlite3", migrations=[*sorted(KNOWN), ("core", "0099_from_the_future")])
    path = backups.take_backup(source=newer, directory=tmp_path / "b", now=NOW)
    target = _small_sqlite(tmp_path / "target.sqlite3", rows=1)

    with pytest.raises(BackupError, match=r"newer version of Attune.*core\.0099_from_the_future.*Upgrade Attune first"):
        _restore(path, target, replace=True)
    assert _family_names(target) == ["F0"]


def test_refuses_a_dump_that_does_not_match_its_checksum(backup: Path, tmp_path: Path) -> None:
    other = backups.take_backup(source=_small_sqlite(tmp_path / "x.sqlite3", rows=9), directory=tmp_path / "o", now=NOW)
    with tarfile.open(other) as tar:
        other_dump = tar.extractfile("database.sqlite3").read()  # type: ignore[union-attr]
    _rewrite(backup, dump=other_dump)
    target = _small_sqlite(tmp_path / "target.sqlite3", rows=1)

    with pytest.raises(BackupError, match="damaged: the dump's checksum does not match"):
        _restore(backup, target, replace=True)
    assert _family_names(target) == ["F0"]


@pytest.mark.parametrize("keep", [0.0, 0.01, 0.3, 0.6])
def test_refuses_a_truncated_file(backup: Path, tmp_path: Path, keep: float) -> None:
    data = backup.read_bytes()
    backup.write_bytes(data[: int(len(data) * keep)])
    target = _small_sqlite(tmp_path / "target.sqlite3", rows=1)

    with pytest.raises(BackupError, match=r"damaged|not an Attune backup"):
        _restore(backup, target, replace=True)
    assert _family_names(target) == ["F0"]


@pytest.mark.parametrize("content", [b"", b"hello, not a backup", b"\x00" * 10240])
def test_refuses_a_file_that_is_not_a_backup(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "attune-sqlite-20260304T023000000000Z.tar"
    path.write_bytes(content)
    target = _small_sqlite(tmp_path / "target.sqlite3", rows=1)

    with pytest.raises(BackupError, match=r"not an Attune backup|damaged"):
        _restore(path, target, replace=True)
    assert _family_names(target) == ["F0"]


def test_refuses_a_tar_that_is_not_an_attune_backup(tmp_path: Path) -> None:
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as tar:
        tar.add(__file__, arcname="notes.txt")

    with pytest.raises(BackupError, match="not an Attune backup \\(it has no manifest\\)"):
        _restore(path, Database("sqlite", str(tmp_path / "new.sqlite3")))


def test_refuses_another_engines_backup(backup: Path) -> None:
    postgres = Database("postgresql", "attune", user="nobody", host="127.0.0.1", port="9")

    with pytest.raises(BackupError, match="This is a sqlite backup and the database here is postgresql"):
        _restore(backup, postgres)  # refused before any connection is tried (port 9 would fail)


def test_cancelled_confirmation_touches_nothing(backup: Path, tmp_path: Path) -> None:
    target = _small_sqlite(tmp_path / "target.sqlite3", rows=1)

    with pytest.raises(BackupError, match="cancelled"):
        _restore(backup, target, replace=True, confirm=lambda manifest: False)
    assert _family_names(target) == ["F0"]


@pytest.mark.django_db
def test_the_restore_command_refuses_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "junk.tar"
    path.write_bytes(b"junk")

    with pytest.raises(CommandError, match="not an Attune backup"):
        call_command("restore", str(path), "--no-input")


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="the test database is in memory only on SQLite")
def test_backup_command_refuses_an_in_memory_database(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no SQLite database"):
        call_command("backup", "--dir", str(tmp_path))


# -- Keeping N daily and M weekly --------------------------------------------------------------


def _expected(taken: list[datetime], daily: int, weekly: int) -> set[datetime]:
    """The rule written the slow way, for comparison."""
    newest_of_day = {t.date(): max(u for u in taken if u.date() == t.date()) for t in taken}
    keep = {newest_of_day[day] for day in sorted(newest_of_day, reverse=True)[: max(daily, 1)]}
    newest_of_week = {
        t.isocalendar()[:2]: max(u for u in taken if u.isocalendar()[:2] == t.isocalendar()[:2]) for t in taken
    }
    weeks_not_yet_kept = [w for w in sorted(newest_of_week, reverse=True) if newest_of_week[w] not in keep]
    return keep | {newest_of_week[w] for w in weeks_not_yet_kept[:weekly]}


def test_keeps_seven_daily_and_four_weekly_beyond_them() -> None:
    taken = [NOW - timedelta(days=n) for n in range(60)]

    kept = backups.to_keep(taken, daily=7, weekly=4)

    # 2026-03-04 is a Wednesday: the last seven days, then the Sundays ending the four weeks before
    # (the weeks of 2 March and 23 February already keep their newest as a daily backup).
    assert sorted(k.date().isoformat() for k in kept) == [
        "2026-02-01", "2026-02-08", "2026-02-15", "2026-02-22",
        "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04",
    ]  # fmt: skip


def test_keeps_the_latest_of_a_day_with_several() -> None:
    taken = [NOW, NOW + timedelta(hours=3), NOW - timedelta(days=1)]

    assert backups.to_keep(taken, daily=1, weekly=0) == {NOW + timedelta(hours=3)}


def test_nothing_to_keep_when_there_are_none() -> None:
    assert backups.to_keep([], daily=7, weekly=4) == set()


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1))


@given(taken=st.lists(moments, max_size=40), daily=st.integers(0, 10), weekly=st.integers(0, 6))
def test_the_keeping_rule(taken: list[datetime], daily: int, weekly: int) -> None:
    kept = backups.to_keep(taken, daily=daily, weekly=weekly)

    assert kept == _expected(taken, daily, weekly)
    assert kept <= set(taken)
    if taken:
        assert max(taken) in kept  # never deletes the newest
    assert len(kept) <= max(daily, 1) + weekly
    assert backups.to_keep(kept, daily=daily, weekly=weekly) == kept  # pruning twice deletes nothing more


def test_prune_deletes_only_what_the_rule_does_not_keep(tmp_path: Path) -> None:
    made = [
        backups.take_backup(
            source=_small_sqlite(tmp_path / f"s{n}.sqlite3", rows=n),
            directory=tmp_path / "b",
            now=NOW - timedelta(days=n),
        )
        for n in range(10)
    ]
    (tmp_path / "b" / "notes.txt").write_text("not a backup: left alone")

    deleted = backups.prune(directory=tmp_path / "b", daily=3, weekly=1)

    assert sorted(deleted) == sorted(made[4:])  # three days, then the newest of last week (1 March)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted([*(p.name for p in made[:4]), "notes.txt"])


# -- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    like = Database.default()
    with (
        backups.scratch_database(like, "t_source", tmp_path) as a,
        backups.scratch_database(like, "t_target", tmp_path) as b,
    ):
        yield a, b


@pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL only: the suite runs on SQLite (set DATABASE_URL=postgres://...)"
)
def test_postgres_round_trip_and_refusals(postgres: tuple[Database, Database], tmp_path: Path) -> None:
    source, target = postgres
    with source.connect() as conn:
        conn.execute("CREATE TABLE django_migrations (id serial PRIMARY KEY, app text, name text, applied timestamptz)")
        conn.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('core', '0001_initial', now())")
        conn.execute("CREATE TABLE family (id serial PRIMARY KEY, name text, photo bytea)")
        conn.execute("INSERT INTO family (name, photo) VALUES ('F0', '\\x00ff'), ('F1', NULL)")
        conn.commit()
    path = backups.take_backup(source=source, directory=tmp_path / "b", now=NOW)
    assert path.name.startswith("attune-postgresql-")

    restored = _restore(path, target)

    assert (restored.tables, restored.rows) == (2, 3)
    with source.connect() as a, target.connect() as b:
        assert backups.row_checksums(a, "postgresql") == backups.row_checksums(b, "postgresql")
    with pytest.raises(BackupError, match="is not empty"):
        _restore(path, target)
    with target.connect() as conn:
        conn.execute("INSERT INTO family (name) VALUES ('extra')")
        conn.commit()
    _restore(path, target, replace=True)
    assert _family_names(target) == ["F0", "F1"]
    with pytest.raises(BackupError, match="This is a postgresql backup and the database here is sqlite"):
        _restore(path, Database("sqlite", str(tmp_path / "x.sqlite3")))


# -- The commands and the worker's job ----------------------------------------------------------


def test_backup_command_writes_and_prunes(
    source: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(Database, "default", classmethod(lambda cls: source))
    settings.ATTUNE_BACKUP_KEEP_DAILY = 1
    settings.ATTUNE_BACKUP_KEEP_WEEKLY = 0
    old = backups.take_backup(source=source, directory=tmp_path / "b", now=NOW - timedelta(days=400))
    out = StringIO()

    call_command("backup", "--dir", str(tmp_path / "b"), "--prune", stdout=out)

    written = list((tmp_path / "b").iterdir())
    assert len(written) == 1
    assert written[0] != old
    assert f"Backup written: {written[0]}" in out.getvalue()
    assert "Pruned: 1 old backup deleted." in out.getvalue()


def test_restore_command_asks_first(backup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _small_sqlite(tmp_path / "target.sqlite3", rows=1)
    monkeypatch.setattr(Database, "default", classmethod(lambda cls: target))
    monkeypatch.setattr(backups, "known_migrations", lambda: KNOWN)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", str(backup), "--replace", stdout=StringIO())
    assert _family_names(target) == ["F0"]

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    out = StringIO()
    call_command("restore", str(backup), "--replace", stdout=out)
    assert _family_names(target) == ["F0", "F1", "F2"]
    assert "Restored 5 rows in 2 tables" in out.getvalue()


def test_restore_command_without_input_asks_nothing(
    backup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = Database("sqlite", str(tmp_path / "new.sqlite3"))
    monkeypatch.setattr(Database, "default", classmethod(lambda cls: target))
    monkeypatch.setattr(backups, "known_migrations", lambda: KNOWN)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked"))

    call_command("restore", str(backup), "--no-input", stdout=StringIO())

    assert _family_names(target) == ["F0", "F1", "F2"]


def test_the_scheduled_backup_keeps_the_configured_number(
    source: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(Database, "default", classmethod(lambda cls: source))
    settings.ATTUNE_BACKUP_DIR = str(tmp_path / "scheduled")
    settings.ATTUNE_BACKUP_KEEP_DAILY = 2
    settings.ATTUNE_BACKUP_KEEP_WEEKLY = 0

    paths = [backups.take_scheduled_backup(NOW + timedelta(days=n)) for n in range(4)]

    assert sorted((tmp_path / "scheduled").iterdir()) == paths[2:]
