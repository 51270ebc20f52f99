"""Backups that restore: one file per backup, checked before anything touches a database.

A backup is one tar file in the backup directory (ATTUNE_BACKUP_DIR, default `backups/` beside
manage.py, outside the web root) holding two members:

- `manifest.json`: the engine, Attune's version, every applied migration (and the latest of each
  app), when it was taken, the sha256 of the dump and the row count of every table;
- the dump: `database.sqlite3` (SQLite's online backup API, a consistent copy while the site runs)
  or `database.pgdump` (`pg_dump --format=custom`, taken in the same snapshot as the row counts).

Documents and video recordings (ADR 0021): when the "documents" storage is the file system, every
file under its folder goes into the same tar under `documents/`, and the manifest lists each with
its sha256 (`media`); a restore checks every one before it touches anything and puts them back.
When they are kept in an object store, the manifest says so: back the bucket up with its own
versioning.

A restore reads and checks the whole file first (a damaged or truncated file, another engine's
backup, a backup from a newer schema) and refuses with a plain message before it opens the
target database; it restores only into an empty database unless told to replace one.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "attune-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
NAME_PATTERN = re.compile(r"^attune-(sqlite|postgresql)-(\d{8}T\d{12})Z\.tar$")
NAME_TIME_FORMAT = "%Y%m%dT%H%M%S%f"
DOCUMENTS = "documents"
IN_AN_OBJECT_STORE = {
    "included": False,
    "reason": "Documents and recordings are kept in an object store: back it up with the store's own versioning.",
}


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the person at the terminal."""


# -- Databases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a backup comes from or goes to: a SQLite file or a PostgreSQL database."""

    engine: str  # "sqlite" or "postgresql"
    name: str  # the file path, or the database name
    user: str = ""
    password: str = field(default="", repr=False)
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> "Database":
        engine = str(config["ENGINE"])
        if "sqlite" in engine:
            return cls(engine="sqlite", name=str(config["NAME"]))
        if "postgresql" in engine:
            return cls(
                engine="postgresql",
                name=str(config["NAME"]),
                user=str(config.get("USER") or ""),
                password=str(config.get("PASSWORD") or ""),
                host=str(config.get("HOST") or ""),
                port=str(config.get("PORT") or ""),
            )
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")

    @classmethod
    def default(cls) -> "Database":
        from django.db import connections

        return cls.from_settings(connections["default"].settings_dict)

    def named(self, name: str) -> "Database":
        return Database(self.engine, name, self.user, self.password, self.host, self.port)

    def pg_env(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password never goes on a command line.
        Other PG* variables (PGSSLMODE, PGPASSFILE, ...) pass through."""
        env = dict(os.environ)
        for key, value in {
            "PGDATABASE": self.name,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
        }.items():
            if value:
                env[key] = value
        return env

    def url(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.name}"
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host or '127.0.0.1'}:{self.port or 5432}/{self.name}"

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[Any]:
        """A DB-API connection of its own (never Django's), closed afterwards."""
        if self.engine == "sqlite":
            if read_only:
                conn: Any = sqlite3.connect(f"file:{self.name}?mode=ro", uri=True)
            else:
                conn = sqlite3.connect(self.name)
        else:
            import psycopg

            conn = psycopg.connect(
                dbname=self.name,
                user=self.user or None,
                password=self.password or None,
                host=self.host or None,
                port=self.port or None,
            )
        try:
            yield conn
        finally:
            conn.close()


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on the PATH: install the PostgreSQL client tools of the server's version.")
    return found


def _tables(cursor: Any, engine: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _key_columns(cursor: Any, engine: str, table: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        columns = cursor.fetchall()
        keyed = sorted((c for c in columns if c[5]), key=lambda c: c[5])
        return [c[1] for c in keyed] or [c[1] for c in columns]
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
        [_quote(table)],
    )
    keys = [row[0] for row in cursor.fetchall()]
    if keys:
        return keys
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def row_counts(conn: Any, engine: str) -> dict[str, int]:
    cursor = conn.cursor()
    counts = {}
    for table in _tables(cursor, engine):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def row_checksums(conn: Any, engine: str) -> dict[str, str]:
    """Every table's rows, ordered by primary key, hashed: one query per table."""
    cursor = conn.cursor()
    sums = {}
    for table in _tables(cursor, engine):
        order = ", ".join(_quote(c) for c in _key_columns(cursor, engine, table))
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608 - names from the catalogue
        digest = hashlib.sha256()
        for row in cursor.fetchall():
            digest.update(repr(tuple(_plain(v) for v in row)).encode())
            digest.update(b"\n")
        sums[table] = digest.hexdigest()
    return sums


def _applied_migrations(conn: Any, engine: str) -> list[list[str]]:
    cursor = conn.cursor()
    if "django_migrations" not in _tables(cursor, engine):
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this code has on disk."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def attune_version() -> str:
    try:
        from importlib.metadata import version

        return version("attune")
    except Exception:  # noqa: BLE001 - not installed as a package: read pyproject.toml
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return str(tomllib.load(f)["project"]["version"])


# -- Taking a backup --------------------------------------------------------------------------


def backup_dir() -> Path:
    configured = getattr(settings, "ATTUNE_BACKUP_DIR", None) or os.environ.get("ATTUNE_BACKUP_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "backups"


def _setting_int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return int(value)


def keep_daily() -> int:
    return _setting_int("ATTUNE_BACKUP_KEEP_DAILY", 7)


def keep_weekly() -> int:
    return _setting_int("ATTUNE_BACKUP_KEEP_WEEKLY", 4)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(*, engine: str, created_at: datetime, dump: Path, conn: Any) -> dict[str, Any]:
    migrations = _applied_migrations(conn, engine)
    latest: dict[str, str] = {}
    for app, name in migrations:
        latest[app] = max(latest.get(app, name), name)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engine": engine,
        "attune_version": attune_version(),
        "created_at": created_at.isoformat(),
        "dump": DUMP_NAMES[engine],
        "sha256": _sha256(dump),
        "size": dump.stat().st_size,
        "latest_migrations": latest,
        "migrations": migrations,
        "row_counts": row_counts(conn, engine),
    }


def _dump_sqlite(source: Database, dump: Path, created_at: datetime) -> dict[str, Any]:
    if not Path(source.name).exists():
        raise BackupError(f"There is no SQLite database at {source.name}.")
    with source.connect(read_only=True) as live, sqlite3.connect(dump) as copy:
        live.backup(copy)
    # Counted in the copy, so the manifest describes exactly what the dump holds.
    with Database("sqlite", str(dump)).connect(read_only=True) as conn:
        return _manifest(engine="sqlite", created_at=created_at, dump=dump, conn=conn)


def _dump_postgresql(source: Database, dump: Path, created_at: datetime) -> dict[str, Any]:
    with source.connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # pg_dump reads the same snapshot as the row counts below.
        result = subprocess.run(  # noqa: S603
            [
                _binary("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dump}",
            ],
            env=source.pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        manifest = _manifest(engine="postgresql", created_at=created_at, dump=dump, conn=conn)
        conn.rollback()
    return manifest


def documents_root() -> Path | None:
    """The folder the documents storage keeps its files in; None when they are kept elsewhere."""
    storage = settings.STORAGES.get(DOCUMENTS, {})
    if not str(storage.get("BACKEND", "")).endswith("FileSystemStorage"):
        return None
    return Path(storage.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT)


def document_files(root: Path) -> dict[str, str]:
    """Every file under the folder, by its path inside it, with its sha256."""
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): _sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def take_backup(
    *,
    source: Database | None = None,
    directory: Path | None = None,
    now: datetime,
    documents: Path | None = None,
) -> Path:
    """Write one backup file into the directory and return its path, with the documents under
    `documents` (by default the documents storage's folder, if it is the file system)."""
    root = documents or documents_root()
    source = source or Database.default()
    directory = directory or backup_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = now.astimezone(UTC).strftime(NAME_TIME_FORMAT)
    final = directory / f"attune-{source.engine}-{stamp}Z.tar"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".partial-") as work:
        dump = Path(work) / DUMP_NAMES[source.engine]
        taker = _dump_sqlite if source.engine == "sqlite" else _dump_postgresql
        manifest = taker(source, dump, now)
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=manifest["dump"])
            manifest["media"] = _add_documents(tar, root) if root is not None else IN_AN_OBJECT_STORE
            # The manifest last: it lists the files that went in (one erased meanwhile is not).
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # patients' records: readable by the service account only
        os.replace(partial, final)  # never a half-written file under a backup's name
    return final


def _add_documents(tar: tarfile.TarFile, root: Path) -> dict[str, Any]:
    added: dict[str, str] = {}
    for name, digest in document_files(root).items():
        try:
            tar.add(root / name, arcname=f"{DOCUMENTS}/{name}")
        except FileNotFoundError:  # erased since the folder was read: it is gone from the record too
            continue
        added[name] = digest
    return {"included": True, "files": added}


# -- Reading and restoring --------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    manifest: dict[str, Any]
    dump: Path


def read_backup(path: Path, work: Path) -> Checked:
    """Unpack the backup into `work` and check it whole; refuse anything that is not a sound backup."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    try:
        with tarfile.open(path, "r:") as tar:
            names = tar.getnames()
            if MANIFEST not in names:
                raise BackupError(f"{path.name} is not an Attune backup (it has no manifest).")
            extracted = tar.extractfile(MANIFEST)
            assert extracted is not None
            manifest = json.loads(extracted.read())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{path.name} is not an Attune backup.")
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"{path.name} is in backup format {manifest.get('format_version')}, which this version of Attune cannot read."
                )
            dump_name = manifest.get("dump")
            if dump_name not in DUMP_NAMES.values() or dump_name not in names:
                raise BackupError(f"{path.name} is damaged: the database dump is missing.")
            tar.extract(dump_name, work, filter="data")
            files = _listed_documents(manifest)
            for name in files:
                if f"{DOCUMENTS}/{name}" not in names:
                    raise BackupError(f"{path.name} is damaged: the document {name} is missing. Nothing was restored.")
                # filter="data" refuses a member that would land outside `work`.
                tar.extract(f"{DOCUMENTS}/{name}", work, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path.name} is damaged or not an Attune backup ({error}). Nothing was restored.") from error
    dump = work / dump_name
    if _sha256(dump) != manifest.get("sha256"):
        raise BackupError(
            f"{path.name} is damaged: the dump's checksum does not match its manifest. Nothing was restored."
        )
    for name, digest in files.items():
        if _sha256(work / DOCUMENTS / name) != digest:
            raise BackupError(
                f"{path.name} is damaged: the document {name} does not match its manifest. Nothing was restored."
            )
    return Checked(manifest=manifest, dump=dump)


def _listed_documents(manifest: dict[str, Any]) -> dict[str, str]:
    media = manifest.get("media")
    files = media.get("files") if isinstance(media, dict) and media.get("included") else None
    return {str(name): str(digest) for name, digest in files.items()} if isinstance(files, dict) else {}


def unknown_migrations(manifest: dict[str, Any], known: set[tuple[str, str]]) -> list[str]:
    return [f"{app}.{name}" for app, name in manifest.get("migrations", []) if (app, name) not in known]


def check_restorable(checked: Checked, target: Database, known: set[tuple[str, str]]) -> None:
    engine = checked.manifest.get("engine")
    if engine != target.engine:
        raise BackupError(
            f"This is a {engine} backup and the database here is {target.engine}: restore it into a {engine} database."
        )
    newer = unknown_migrations(checked.manifest, known)
    if newer:
        listed = ", ".join(newer[:5]) + (f" and {len(newer) - 5} more" if len(newer) > 5 else "")
        raise BackupError(
            f"This backup comes from a newer version of Attune ({checked.manifest.get('attune_version')}): "
            f"this code does not know its migrations {listed}. Upgrade Attune first, then restore. Nothing was restored."
        )


def is_empty(target: Database) -> bool:
    if target.engine == "sqlite" and (not Path(target.name).exists() or Path(target.name).stat().st_size == 0):
        return True
    with target.connect() as conn:
        return not _tables(conn.cursor(), target.engine)


def _restore_sqlite(dump: Path, target: Database) -> None:
    with sqlite3.connect(f"file:{dump}?mode=ro", uri=True) as source, sqlite3.connect(target.name) as live:
        source.backup(live)  # one transaction on the target: the old content goes whole


def _restore_postgresql(dump: Path, target: Database, *, replace: bool) -> None:
    if replace:
        with target.connect() as conn:
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            conn.execute(f"DROP SCHEMA {_quote(schema)} CASCADE")
            conn.execute(f"CREATE SCHEMA {_quote(schema)}")
            conn.commit()
    result = subprocess.run(  # noqa: S603
        [
            _binary("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={target.name}",
            str(dump),
        ],
        env=target.pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed and rolled back: {result.stderr.strip()}")


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    tables: int
    rows: int
    documents: int = 0


def _restore_documents(work: Path, root: Path, *, replace: bool) -> None:
    if replace and root.is_dir():
        shutil.rmtree(root)
    if (work / DOCUMENTS).is_dir():
        shutil.copytree(work / DOCUMENTS, root, dirs_exist_ok=True)


def restore_backup(
    *,
    path: Path,
    target: Database | None = None,
    replace: bool = False,
    confirm: Callable[[dict[str, Any]], bool] | None = None,
    known: set[tuple[str, str]] | None = None,
    documents: Path | None = None,
) -> Restored:
    """Check the backup whole, then restore it into the (empty, or replaced) target, and its
    documents into `documents` (by default the documents storage's folder)."""
    target = target or Database.default()
    root = documents or documents_root()
    with tempfile.TemporaryDirectory(prefix="attune-restore-") as work:
        checked = read_backup(path, Path(work))
        check_restorable(checked, target, known if known is not None else known_migrations())
        files = _listed_documents(checked.manifest)
        if not replace and not is_empty(target):
            raise BackupError(
                f"The database {target.name} is not empty. Restore into an empty database, "
                "or use --replace to overwrite everything in it. Nothing was restored."
            )
        if files and root is None:
            raise BackupError(
                "This backup holds documents, but documents here are kept in an object store: restore them "
                "with the store's own tools, or set ATTUNE_DOCUMENTS_BACKEND to the file system. Nothing was restored."
            )
        if files and root is not None and not replace and document_files(root):
            raise BackupError(
                f"The documents folder {root} is not empty. Restore into an empty one, "
                "or use --replace to overwrite everything in it. Nothing was restored."
            )
        if confirm is not None and not confirm(checked.manifest):
            raise BackupError("Restore cancelled. Nothing was restored.")
        if target.engine == "sqlite":
            _restore_sqlite(checked.dump, target)
        else:
            _restore_postgresql(checked.dump, target, replace=replace)
        if root is not None and files:
            _restore_documents(Path(work), root, replace=replace)
    expected = checked.manifest.get("row_counts", {})
    with target.connect() as conn:
        found = row_counts(conn, target.engine)
    differ = sorted(t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t))
    if differ:
        raise BackupError(f"Restored, but row counts differ from the manifest in: {', '.join(differ)}.")
    return Restored(manifest=checked.manifest, tables=len(found), rows=sum(found.values()), documents=len(files))


# -- Keeping N daily and M weekly -------------------------------------------------------------


def to_keep(taken: Iterable[datetime], *, daily: int, weekly: int) -> set[datetime]:
    """Which backups to keep, as `borg prune` does: first the newest of each of the `daily` latest
    days that have a backup (at least one day: the newest backup is always kept); then the newest
    of each of the `weekly` latest ISO weeks whose newest backup is not already kept as a daily
    one, so the weekly ones reach back beyond the daily ones.

    Pure: days and weeks are those of the datetimes as given (pass local times).
    """
    newest_first = sorted(set(taken), reverse=True)
    keep: set[datetime] = set()
    for rule, count in ((lambda when: when.date(), max(daily, 1)), (lambda when: when.isocalendar()[:2], weekly)):
        seen: set[object] = set()
        kept_here = 0
        for when in newest_first:
            if kept_here >= count:
                break
            period = rule(when)
            if period in seen:
                continue
            seen.add(period)
            if when not in keep:
                keep.add(when)
                kept_here += 1
    return keep


def backups_in(directory: Path) -> dict[Path, datetime]:
    found = {}
    if directory.is_dir():
        for path in directory.iterdir():
            match = NAME_PATTERN.match(path.name)
            if match and path.is_file():
                taken = datetime.strptime(match.group(2), NAME_TIME_FORMAT).replace(tzinfo=UTC)
                found[path] = taken
    return found


def prune(*, directory: Path | None = None, daily: int | None = None, weekly: int | None = None) -> list[Path]:
    """Delete the backups the keeping rule does not keep; return them."""
    directory = directory or backup_dir()
    found = backups_in(directory)
    local = {path: timezone.localtime(taken) for path, taken in found.items()}
    keep = to_keep(
        local.values(),
        daily=keep_daily() if daily is None else daily,
        weekly=keep_weekly() if weekly is None else weekly,
    )
    deleted = sorted(path for path, when in local.items() if when not in keep)
    for path in deleted:
        path.unlink()
    return deleted


def take_scheduled_backup(now: datetime) -> Path:
    """The worker's daily job: take a backup of the live database, then prune."""
    path = take_backup(now=now)
    prune()
    return path


# -- The drill --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillResult:
    tables: int
    rows: int
    seconds_backup: float
    seconds_restore: float


@contextmanager
def scratch_database(like: Database, label: str, work: Path) -> Iterator[Database]:
    """A new, empty database of the same engine, removed afterwards."""
    if like.engine == "sqlite":
        yield Database("sqlite", str(work / f"{label}.sqlite3"))
        return
    import psycopg

    name = f"attune_drill_{label}_{os.getpid()}"
    admin = like.named("postgres")
    with psycopg.connect(
        dbname=admin.name,
        user=admin.user or None,
        password=admin.password or None,
        host=admin.host or None,
        port=admin.port or None,
        autocommit=True,
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        conn.execute(f"CREATE DATABASE {_quote(name)}")
        try:
            yield like.named(name)
        finally:
            conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def drill(*, like: Database, load: Callable[[Database], None], now: datetime) -> DrillResult:
    """Load a fresh database, back it up, restore into another empty one, compare every table."""
    import time

    with tempfile.TemporaryDirectory(prefix="attune-drill-") as tmp:
        work = Path(tmp)
        with scratch_database(like, "source", work) as source, scratch_database(like, "restored", work) as restored:
            load(source)
            started = time.monotonic()
            path = take_backup(source=source, directory=work / "backups", now=now)
            backed_up = time.monotonic()
            restore_backup(path=path, target=restored, documents=work / "documents-restored")
            finished = time.monotonic()
            root = documents_root()
            if root is not None and document_files(work / "documents-restored") != document_files(root):
                raise BackupError("Drill failed: the documents restored differ from those backed up.")
            with source.connect() as a, restored.connect() as b:
                counts, counts_back = row_counts(a, like.engine), row_counts(b, like.engine)
                sums, sums_back = row_checksums(a, like.engine), row_checksums(b, like.engine)
            if counts != counts_back:
                differ = sorted(t for t in counts.keys() | counts_back.keys() if counts.get(t) != counts_back.get(t))
                raise BackupError(f"Drill failed: row counts differ in {', '.join(differ)}.")
            if sums != sums_back:
                differ = sorted(t for t in sums.keys() | sums_back.keys() if sums.get(t) != sums_back.get(t))
                raise BackupError(f"Drill failed: rows differ in {', '.join(differ)}.")
            if not sum(counts.values()):
                raise BackupError("Drill failed: the loaded database was empty.")
            return DrillResult(
                tables=len(counts),
                rows=sum(counts.values()),
                seconds_backup=backed_up - started,
                seconds_restore=finished - backed_up,
            )
