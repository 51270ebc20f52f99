"""The runner behind `manage.py worker` (ADR 0016): each loop it writes its heartbeat, enqueues
every scheduled job that is due (claimed under a row lock, so several workers against PostgreSQL
never enqueue or run one twice) and runs the queued background tasks through django-tasks' database
backend (django-tasks-db), one at a time; a failing one is recorded and retried with backoff
without holding up the others."""

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.db.models import Max, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from attune.core import jobs
from attune.core.models import ScheduledJob, WorkerHeartbeat

logger = logging.getLogger(__name__)

# /healthz calls the worker stale after this long without a heartbeat.
STALE_AFTER = timedelta(minutes=5)
# A claimed run that never finished (its worker died mid-job) may be claimed again after this.
CLAIM_EXPIRES = timedelta(hours=1)
# Most queued tasks run in one loop, so the scheduled jobs are never starved by a long queue.
TASKS_PER_LOOP = 50

WorkerStatus = Literal["ok", "stale", "never"]


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def beat(worker: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker, defaults={"beat_at": now})


def status(now: datetime | None = None) -> WorkerStatus:
    latest = WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]
    if latest is None:
        return "never"
    return "stale" if (now or timezone.now()) - latest > STALE_AFTER else "ok"


def last_heartbeat() -> datetime | None:
    latest: datetime | None = WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]
    return latest


def sync_schedule(now: datetime | None = None) -> None:
    """A row for every registered job; a job new to the schedule is due at once."""
    now = now or timezone.now()
    known = set(ScheduledJob.objects.values_list("name", flat=True))
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=job.name, next_run_at=now) for job in jobs.registered() if job.name not in known],
        ignore_conflicts=True,
    )


def claim_due(worker: str, now: datetime | None = None) -> list[str]:
    """Enqueue each registered job that is due and not already claimed, moving its next run on.
    The rows are locked (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; an exclusive transaction
    on SQLite), so a second worker skips what the first has claimed."""
    now = now or timezone.now()
    claimed: list[str] = []
    with exclusive_transaction(ScheduledJob.objects.db):
        due = (
            ScheduledJob.objects.select_for_update(skip_locked=True)
            .filter(next_run_at__lte=now, name__in=[job.name for job in jobs.registered()])
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES))
        )
        for row in due:
            job = jobs.get(row.name)
            if job is None:  # pragma: no cover - filtered above
                continue
            row.claimed_at = now
            row.next_run_at = jobs.next_run(scheduled=row.next_run_at, every=job.every, now=now)
            row.save(update_fields=["claimed_at", "next_run_at"])
            run_scheduled_job.enqueue(row.name)
            claimed.append(row.name)
    if claimed:
        logger.info("Worker %s enqueued %s", worker, ", ".join(claimed))
    return claimed


@task()
def run_scheduled_job(name: str) -> None:
    """Run one registered job and record how it went (the system administrator's jobs page)."""
    job = jobs.get(name)
    if job is None:
        ScheduledJob.objects.filter(name=name).update(claimed_at=None)
        return
    started = timezone.now()
    ScheduledJob.objects.filter(name=name).update(last_started_at=started)
    clock = time.monotonic()
    try:
        job.func()
    except Exception as error:
        finished = timezone.now()
        row = ScheduledJob.objects.get(name=name)
        row.failures_in_a_row += 1
        row.failures_total += 1
        row.last_error = f"{type(error).__name__}: {error}"[:300]
        row.last_failed_at = finished
        row.last_succeeded = False
        row.last_finished_at = finished
        row.last_duration_ms = int((time.monotonic() - clock) * 1000)
        row.next_run_at = finished + jobs.retry_after(row.failures_in_a_row)
        row.claimed_at = None
        row.save()
        logger.warning("Job %s failed (%d in a row); trying again at %s", name, row.failures_in_a_row, row.next_run_at)
        raise
    ScheduledJob.objects.filter(name=name).update(
        last_succeeded=True,
        last_finished_at=timezone.now(),
        last_duration_ms=int((time.monotonic() - clock) * 1000),
        failures_in_a_row=0,
        claimed_at=None,
    )


def run_queued_tasks(worker: str, *, limit: int = TASKS_PER_LOOP) -> int:
    """Run up to `limit` ready tasks from the database queue, each claimed under a row lock
    (django-tasks-db's own claim); a failure is recorded on its result and the next one runs."""
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker,
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with exclusive_transaction(DBTaskResult.objects.db):
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                break
            result.claim(worker)
        runner.run_task(result)
        ran += 1
    return ran


@dataclass(frozen=True)
class Loop:
    claimed: list[str]
    ran: int


def run_once(worker: str) -> Loop:
    """One turn of the worker's loop: heartbeat, enqueue what is due, run what is queued."""
    beat(worker)
    sync_schedule()
    claimed = claim_due(worker)
    ran = run_queued_tasks(worker)
    beat(worker)
    return Loop(claimed=claimed, ran=ran)


# Finished task results and old workers' heartbeats are kept this long, then pruned daily.
KEEP_FINISHED = timedelta(days=14)


def prune(now: datetime | None = None) -> int:
    """The daily tidy: finished task results (a run every minute would otherwise grow the queue
    table by 1,440 rows a day) and heartbeats of workers gone for a fortnight."""
    cutoff = (now or timezone.now()) - KEEP_FINISHED
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
    return deleted


def schedule() -> dict[str, ScheduledJob]:
    """Every job's schedule row, by name (the system administrator's jobs page): one query."""
    return {row.name: row for row in ScheduledJob.objects.all()}
