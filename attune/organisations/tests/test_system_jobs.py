"""The system administrator's jobs page (/system/jobs): each job's schedule, last run, duration,
outcome and failures, and the worker's heartbeat; system administrators only, read audited."""

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core import jobs, worker
from attune.core.models import AuditEvent, ScheduledJob
from attune.core.testing.queries import assert_flat, growing_in_bulk


def _fine() -> None:
    pass


def _broken() -> None:
    raise ValueError("Notify refused the API key")


@pytest.fixture
def test_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(jobs, "_jobs", {})
    jobs.register("fine", _fine, every=timedelta(minutes=5), description="A job that works")
    jobs.register("broken", _broken, every=timedelta(hours=1), description="A job that fails")
    return


def test_the_system_administrator_sees_each_jobs_last_run_and_failures(
    signed_in: Callable[[User], Client], system_admin: User, test_jobs: None
) -> None:
    worker.run_once("w1")
    html = signed_in(system_admin).get("/system/jobs").content.decode()
    assert "The worker is running" in html
    assert "A job that works" in html
    assert "Every 5 minutes" in html
    assert "Succeeded" in html
    assert "A job that fails" in html
    assert "Every hour" in html
    assert "Failed" in html
    assert "ValueError: Notify refused the API key" in html
    assert "1 in all, 1 in a row (retrying with backoff)" in html
    assert "Traceback" not in html
    assert "File &#34;" not in html
    assert 'File "' not in html
    event = AuditEvent.objects.filter(action="jobs.viewed").get()
    assert event.actor == system_admin


def test_the_page_says_when_the_worker_has_stopped(
    signed_in: Callable[[User], Client], system_admin: User, test_jobs: None
) -> None:
    client = signed_in(system_admin)
    assert "The worker has never run" in client.get("/system/jobs").content.decode()
    worker.run_once("w1")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        html = client.get("/system/jobs").content.decode()
    assert "The worker is not running" in html
    assert "it has stopped or is stuck" in html


def test_the_home_page_links_the_system_administrator_to_the_jobs(
    signed_in: Callable[[User], Client], system_admin: User
) -> None:
    assert 'href="/system/jobs"' in signed_in(system_admin).get("/").content.decode()


@pytest.mark.parametrize("who", ["practitioner", "team_lead", "ig_lead"])
def test_only_system_administrators_see_the_jobs(
    signed_in: Callable[[User], Client], request: pytest.FixtureRequest, who: str
) -> None:
    user = request.getfixturevalue(who)
    response = signed_in(user).get("/system/jobs")
    assert response.status_code == 403
    assert "Notify" not in response.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/system/jobs")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_the_page_only_answers_get(signed_in: Callable[[User], Client], system_admin: User) -> None:
    assert signed_in(system_admin).post("/system/jobs").status_code == 405


def test_jobs_page_queries_stay_flat_as_jobs_grow(
    signed_in: Callable[[User], Client], system_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "_jobs", {})
    client = signed_in(system_admin)
    now = timezone.now()

    def add(k: int) -> None:
        start = len(jobs.registered())
        for i in range(start, start + k):
            jobs.register(f"job_{i}", _fine, every=timedelta(minutes=i + 1), description=f"Job {i}")
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=f"job_{i}", next_run_at=now, last_succeeded=True) for i in range(start, start + k)]
        )

    assert_flat(grow=growing_in_bulk(add, lambda: len(jobs.registered())), fetch=lambda: client.get("/system/jobs"))
    assert client.get("/system/jobs").content.decode().count('<h2 class="nhsuk-card__heading') == 200
