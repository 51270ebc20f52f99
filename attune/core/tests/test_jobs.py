"""The scheduled jobs' registry and its pure schedule arithmetic (attune.core.jobs)."""

from datetime import UTC, datetime, timedelta

import pytest

from attune.core import jobs

NOON = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def test_every_app_registers_its_own_jobs_on_its_own_schedule() -> None:
    every = {job.name: job.every for job in jobs.registered()}
    assert every["send_outbox"] == timedelta(minutes=1)
    assert every["check_lone_working"] == timedelta(minutes=5)
    assert every["queue_reminders"] == timedelta(hours=1)
    assert every["check_posts"] == timedelta(days=1)
    assert every["disable_leavers"] == timedelta(days=1)
    assert every["backup"] == timedelta(days=1)
    assert every["prune_task_results"] == timedelta(days=1)


def test_registering_again_replaces_rather_than_adds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "_jobs", {})
    jobs.register("tidy", lambda: None, every=timedelta(hours=1), description="Tidy")
    jobs.register("tidy", lambda: None, every=timedelta(hours=2), description="Tidy")
    assert [(job.name, job.every) for job in jobs.registered()] == [("tidy", timedelta(hours=2))]


def test_a_job_must_run_every_positive_interval() -> None:
    with pytest.raises(ValueError, match="positive"):
        jobs.register("never", lambda: None, every=timedelta(0), description="Never")


def test_a_job_not_yet_due_keeps_its_time() -> None:
    later = NOON + timedelta(minutes=3)
    assert jobs.next_run(scheduled=later, every=timedelta(minutes=5), now=NOON) == later


def test_a_due_job_moves_on_one_beat() -> None:
    assert jobs.next_run(scheduled=NOON, every=timedelta(minutes=5), now=NOON) == NOON + timedelta(minutes=5)


def test_a_worker_stopped_for_a_day_runs_a_missed_job_once_and_keeps_its_beat() -> None:
    now = NOON + timedelta(days=1, minutes=2)
    assert jobs.next_run(scheduled=NOON, every=timedelta(minutes=5), now=now) == now + timedelta(minutes=3)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=2)),
        (3, timedelta(minutes=4)),
        (7, timedelta(hours=1)),
        (500, timedelta(hours=1)),
    ],
)
def test_a_failing_job_backs_off_exponentially_up_to_an_hour(failures: int, wait: timedelta) -> None:
    assert jobs.retry_after(failures) == wait


@pytest.mark.parametrize(
    ("every", "words"),
    [
        (timedelta(minutes=1), "Every minute"),
        (timedelta(minutes=5), "Every 5 minutes"),
        (timedelta(hours=1), "Every hour"),
        (timedelta(days=1), "Every day"),
    ],
)
def test_schedules_read_as_words(every: timedelta, words: str) -> None:
    assert jobs.describe_every(every) == words
