"""'Your tasks' on the home page: the person's open tasks first, urgent ones tagged, each linking
to where it is done with its age; closed tasks and other people's are not shown."""

import datetime as dt
import re
from collections.abc import Callable

import time_machine
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import Task, TaskKind
from attune.core.testing.queries import assert_flat, growing
from attune.dashboards.presenters import raised_ago
from attune.organisations.tests.world import World


def task(assignee: User, title: str, *, urgent: bool = False, days_ago: int = 0, closed: bool = False) -> Task:
    made: Task = Task.objects.create(
        kind=TaskKind.COUNTERSIGN_NOTE,
        assignee=assignee,
        title=title,
        about_type="care.note",
        facts={"appointment": "00000000-0000-0000-0000-000000000001"},
        about_id=title,
        urgent=urgent,
        closed_at=timezone.now() if closed else None,
    )
    Task.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return made


def test_raised_ago_reads_naturally() -> None:
    today = dt.date(2026, 12, 2)
    assert raised_ago(today, today) == "raised today"
    assert raised_ago(dt.date(2026, 12, 1), today) == "raised yesterday"
    assert raised_ago(dt.date(2026, 11, 29), today) == "raised 3 days ago"


def test_home_lists_open_tasks_first_urgent_ones_tagged(
    signed_in: Callable[[User], Client], supervisor: User, practitioner: User
) -> None:
    task(supervisor, "Countersign Tina Trainee's note of 01 December 2026", days_ago=3)
    task(supervisor, "Contact Pat now: not checked out", urgent=True, days_ago=1)
    task(supervisor, "Done already", closed=True)
    task(practitioner, "Someone else's task")

    page = re.sub(r"\s+", " ", signed_in(supervisor).get("/").content.decode())

    headings = re.findall(r'<h2 id="section-\d+">([^<]+)</h2>', page)
    assert headings[0] == "Your tasks"
    section = page.split('<h2 id="section-1">', 1)[1].split("</section>", 1)[0]
    assert "2 things waiting for you" in section
    items = re.findall(r"<li>(.*?)</li>", section)
    assert "Contact Pat now: not checked out" in items[0]
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Urgent</strong>' in items[0]
    assert "raised yesterday" in items[0]
    assert "Countersign Tina Trainee&#39;s note of 01 December 2026" in items[1]
    assert "raised 3 days ago" in items[1]
    assert "Urgent" not in items[1]
    assert 'href="/appointments/00000000-0000-0000-0000-000000000001"' in items[1]
    assert "Done already" not in page
    assert "Someone else" not in page


def test_home_says_when_there_are_no_tasks(signed_in: Callable[[User], Client], practitioner: User) -> None:
    page = signed_in(practitioner).get("/").content.decode()
    assert "Your tasks" in page
    assert "You have no tasks." in page


def test_people_who_do_not_work_with_families_see_no_empty_task_list(
    signed_in: Callable[[User], Client], commissioner: User
) -> None:
    assert "Your tasks" not in signed_in(commissioner).get("/").content.decode()


def test_home_query_count_does_not_grow_with_tasks(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    client = signed_in(supervisor)
    count = iter(range(1000))
    with time_machine.travel(timezone.now(), tick=False):
        assert_flat(
            grow=growing(
                lambda: task(supervisor, f"Task {next(count)}", urgent=next(count) % 3 == 0),
                lambda: Task.objects.open().filter(assignee=supervisor).count(),
            ),
            fetch=lambda: client.get("/"),
        )
    assert client.get("/").content.decode().count("raised today") == 200
