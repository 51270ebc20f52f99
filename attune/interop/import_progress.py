"""How far a running import has got, readable while the import's own transaction is open.

The import writes everything in one transaction, so nothing it writes to the database can be
seen until it ends, and on SQLite a second connection writing progress would wait for it. So
progress goes through the Django cache, outside the database. The default cache is per-process
memory, which the web server cannot read when the worker is another process (`make run` starts
`manage.py worker` as its own process, beside runserver): then a file cache on this machine is
used instead. A shared cache (CACHE_URL=redis://...) serves several machines.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

KEEP_SECONDS = 6 * 60 * 60


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    stage: str  # what it is doing now, for the page ("Families", "Appointments")

    @property
    def percent(self) -> int:
        return 0 if self.total <= 0 else min(100, int(self.done * 100 / self.total))


def _store() -> BaseCache:
    cache = caches["default"]
    if not isinstance(cache, LocMemCache):
        return cache
    folder = str(Path(tempfile.gettempdir()) / "attune-import-progress")
    return FileBasedCache(folder, {"TIMEOUT": KEEP_SECONDS, "OPTIONS": {"MAX_ENTRIES": 1000}})


def _key(run_id: object) -> str:
    return f"attune:import-progress:{run_id}"


def report(run_id: object, *, done: int, total: int, stage: str) -> None:
    _store().set(_key(run_id), (done, total, stage), KEEP_SECONDS)


def read(run_id: object) -> Progress | None:
    found = _store().get(_key(run_id))
    if not isinstance(found, tuple) or len(found) != 3:
        return None
    return Progress(int(found[0]), int(found[1]), str(found[2]))


def forget(run_id: object) -> None:
    _store().delete(_key(run_id))
