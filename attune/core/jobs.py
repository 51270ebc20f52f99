"""The scheduled jobs' registry (DESIGN.md: core holds the runner and the registry; each app
registers its own jobs in its AppConfig.ready, as family-page sections are registered, ADR 0010).

Pure: no Django here. `manage.py worker` (attune.core.worker) runs each job when it is due.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

# A failing job is tried again after 1, 2, 4, 8... minutes, never more than an hour apart.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: timedelta
    description: str


_jobs: dict[str, Job] = {}


def register(name: str, func: Callable[[], object], *, every: timedelta, description: str) -> None:
    """Add a job (again: the same name replaces it, so a reloaded app registers once)."""
    if every <= timedelta(0):
        raise ValueError(f"Job {name!r} must run every positive interval")
    if not name or len(name) > 64:
        raise ValueError("A job's name is 1 to 64 characters")
    _jobs[name] = Job(name=name, func=func, every=every, description=description)


def registered() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def get(name: str) -> Job | None:
    return _jobs.get(name)


def next_run(*, scheduled: datetime, every: timedelta, now: datetime) -> datetime:
    """The next run after `now` on the job's own beat: a worker that was stopped for a day runs
    a missed job once, not once for every run it missed."""
    if scheduled > now:
        return scheduled
    missed = (now - scheduled) // every
    return scheduled + (missed + 1) * every


def retry_after(failures_in_a_row: int) -> timedelta:
    """How long to wait before trying a failing job again (exponential backoff, capped)."""
    if failures_in_a_row <= 0:
        return FIRST_RETRY
    return min(FIRST_RETRY * (2 ** min(failures_in_a_row - 1, 20)), LONGEST_RETRY)


def describe_every(every: timedelta) -> str:
    """'Every minute', 'Every 5 minutes', 'Every hour', 'Every day'."""
    seconds = int(every.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0:
            count = seconds // size
            return f"Every {unit}" if count == 1 else f"Every {count} {unit}s"
    return f"Every {seconds} seconds"  # pragma: no cover
