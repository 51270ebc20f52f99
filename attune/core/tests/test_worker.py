"""The worker (attune.core.worker, manage.py worker): due jobs are enqueued once, run through the
django-tasks database queue, retried with backoff when they fail without holding up the others,
and its heartbeat shows on /healthz."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from attune.core import jobs, worker
from attune.core.models import ScheduledJob, WorkerHeartbeat

pytestmark = pytest.mark.django_db

ran: list[str] = []


def _ok() -> None:
    ran.append("ok")


def _broken() -> None:
    ran.append("broken")
    raise RuntimeError("Notify said no")


@pytest.fixture
def only_test_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A registry of two jobs, so the tests never send the outbox or take a backup."""
    monkeypatch.setattr(jobs, "_jobs", {})
    jobs.register("ok", _ok, every=timedelta(minutes=5), description="Works")
    jobs.register("broken", _broken, every=timedelta(minutes=5), description="Fails")
    ran.clear()
    yield
    ran.clear()


def test_a_new_job_is_due_at_once_and_runs_once_per_beat(only_test_jobs: None) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        loop = worker.run_once("w1")
        assert sorted(loop.claimed) == ["broken", "ok"]
        assert ran.count("ok") == 1
        assert worker.run_once("w1").claimed == []  # not due again yet
        clock.shift(timedelta(minutes=5))
        assert sorted(worker.run_once("w1").claimed) == ["broken", "ok"]
    assert ran.count("ok") == 2
    row = ScheduledJob.objects.get(name="ok")
    assert row.last_succeeded is True
    assert row.claimed_at is None
    assert row.last_duration_ms is not None


def test_a_failing_job_is_recorded_retried_with_backoff_and_does_not_block_another(only_test_jobs: None) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        worker.run_once("w1")
        broken = ScheduledJob.objects.get(name="broken")
        assert (broken.last_succeeded, broken.failures_in_a_row, broken.failures_total) == (False, 1, 1)
        assert broken.last_error == "RuntimeError: Notify said no"
        assert "Traceback" not in broken.last_error
        assert broken.next_run_at == start + timedelta(minutes=1)
        assert ScheduledJob.objects.get(name="ok").last_succeeded is True  # the other still ran
        clock.shift(timedelta(minutes=1))
        assert worker.run_once("w1").claimed == ["broken"]
        broken.refresh_from_db()
        assert broken.failures_in_a_row == 2
        assert broken.next_run_at == start + timedelta(minutes=1) + timedelta(minutes=2)
    assert DBTaskResult.objects.failed().count() == 2
    assert DBTaskResult.objects.successful().count() == 1


def test_a_job_that_succeeds_again_clears_its_run_of_failures(only_test_jobs: None) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        worker.run_once("w1")
        jobs.register("broken", _ok, every=timedelta(minutes=5), description="Mended")
        clock.shift(timedelta(minutes=1))
        worker.run_once("w1")
    broken = ScheduledJob.objects.get(name="broken")
    assert (broken.last_succeeded, broken.failures_in_a_row, broken.failures_total) == (True, 0, 1)
    assert broken.last_error == "RuntimeError: Notify said no"  # the last failure stays to read


def test_two_workers_claiming_at_once_enqueue_a_due_job_once(only_test_jobs: None) -> None:
    """On SQLite the claims are serialised by an exclusive transaction; the PostgreSQL test with
    two sessions is test_worker_concurrency.py."""
    with time_machine.travel(timezone.now(), tick=False):
        worker.sync_schedule()
        first = worker.claim_due("w1")
        second = worker.claim_due("w2")
        assert sorted(first) == ["broken", "ok"]
        assert second == []
        assert DBTaskResult.objects.count() == 2
        worker.run_queued_tasks("w2")
        worker.run_queued_tasks("w1")
    assert ran.count("ok") == 1
    assert ran.count("broken") == 1


def test_a_run_claimed_by_a_worker_that_died_is_claimed_again_after_an_hour(only_test_jobs: None) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        worker.sync_schedule()
        worker.claim_due("dead")
        DBTaskResult.objects.all().delete()  # the dead worker took its tasks with it
        clock.shift(timedelta(minutes=30))
        assert worker.claim_due("w2") == []
        clock.shift(timedelta(minutes=31))
        assert sorted(worker.claim_due("w2")) == ["broken", "ok"]


def test_worker_once_runs_what_is_due_and_stops(only_test_jobs: None) -> None:
    call_command("worker", "--once")
    assert ran.count("ok") == 1
    assert WorkerHeartbeat.objects.count() == 1


def test_healthz_says_the_worker_is_ok_then_stale_after_five_minutes(only_test_jobs: None, client: Client) -> None:
    assert client.get("/healthz").json()["worker"] == "never"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        worker.run_once("w1")
        assert client.get("/healthz").json()["worker"] == "ok"
        clock.shift(timedelta(minutes=4, seconds=59))
        assert client.get("/healthz").json()["worker"] == "ok"
        clock.shift(timedelta(seconds=2))
        response = client.get("/healthz")
    # The web stays in service: a stopped worker must not take it out of the load balancer.
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "stale"}


def test_healthz_still_answers_when_the_worker_tables_are_missing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> str:
        raise DatabaseError("no such table: core_workerheartbeat")

    monkeypatch.setattr(worker, "status", missing)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "unknown"


def test_finished_task_results_and_old_heartbeats_are_pruned_after_a_fortnight(only_test_jobs: None) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        worker.run_once("old-worker")
    with time_machine.travel(start + timedelta(days=10), tick=False):
        worker.run_once("new-worker")
        assert worker.prune() == 0
    with time_machine.travel(start + timedelta(days=15), tick=False):
        assert worker.prune() == 2  # the first loop's two results; the later two stay
    assert DBTaskResult.objects.count() == 2
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["new-worker"]
