"""Two workers, each in its own database session, claiming the same due jobs at the same moment:
SELECT ... FOR UPDATE SKIP LOCKED lets each job be enqueued once, and django-tasks-db's own
claim lets each queued task run once. PostgreSQL only: SQLite has no row locks to test (there
the claims are serialised by an exclusive transaction: test_worker.py)."""

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from attune.core import jobs, worker
from attune.core.models import ScheduledJob

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite has no row locks (select_for_update does nothing there). "
        "Run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]

HOLD = 0.5
ran: list[str] = []
ran_lock = threading.Lock()


def _job(name: str) -> Any:
    def run() -> None:
        time.sleep(0.1)
        with ran_lock:
            ran.append(name)

    return run


@pytest.fixture
def three_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(jobs, "_jobs", {})
    for name in ("a", "b", "c"):
        jobs.register(name, _job(name), every=timedelta(minutes=5), description=name)
    ran.clear()
    yield
    ran.clear()


def _together(work: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(work))
    outcomes: list[Any] = [None] * len(work)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = work[index]()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_workers_claiming_at_once_enqueue_each_job_once(three_jobs: None) -> None:
    worker.sync_schedule()
    real = jobs.next_run

    def slow_next_run(**kwargs: Any) -> Any:
        time.sleep(HOLD)  # inside the claim: hold the row locks while the other worker tries
        return real(**kwargs)

    with mock.patch.object(jobs, "next_run", slow_next_run):
        first, second = _together([lambda: worker.claim_due("w1"), lambda: worker.claim_due("w2")])
    assert isinstance(first, list), first
    assert isinstance(second, list), second
    assert sorted(first + second) == ["a", "b", "c"]


def test_two_workers_running_the_queue_run_each_job_once(three_jobs: None) -> None:
    worker.sync_schedule()
    worker.claim_due("w0")
    _together([lambda: worker.run_queued_tasks("w1"), lambda: worker.run_queued_tasks("w2")])
    assert sorted(ran) == ["a", "b", "c"]
    assert all(row.last_succeeded for row in ScheduledJob.objects.all())
