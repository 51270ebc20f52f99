"""The issue 17 promise: a home visit left unchecked raises its lone-working task by itself, with
nothing but the worker running (manage.py worker), no cron and nobody pressing anything."""

import datetime as dt
from pathlib import Path
from typing import Any

import time_machine
from django.core.management import call_command
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.models import ScheduledJob, Task, TaskKind
from attune.core.testing.actors import acting
from attune.organisations.tests.world import World


def test_the_worker_raises_the_lone_working_task_for_a_visit_left_unchecked(
    world: World, practitioner: User, team_lead: User, settings: Any, tmp_path: Path
) -> None:
    settings.ATTUNE_BACKUP_DIR = str(tmp_path)  # the daily backup job runs too
    episode = open_episode(world.hub, practitioner)
    ends = timezone.now().replace(second=0, microsecond=0)
    visit = AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=ends - dt.timedelta(hours=1), ends_at=ends
    )
    with time_machine.travel(visit.starts_at + dt.timedelta(minutes=5), tick=False):
        services.check_in(actor=acting(practitioner, ip="192.0.2.20"), appointment=visit)
        call_command("worker", "--once")  # the worker's first loop: every job runs once
    assert not Task.objects.filter(kind=TaskKind.LONE_WORKING_OVERDUE).exists()

    # 20 minutes after the planned end, the lone-working job's next beat finds the visit overdue.
    with time_machine.travel(ends + dt.timedelta(minutes=20), tick=False):
        call_command("worker", "--once")
    task = Task.objects.get(kind=TaskKind.LONE_WORKING_OVERDUE)
    assert (task.assignee, task.urgent) == (team_lead, True)
    assert "has not checked out of a home visit" in task.title
    assert ScheduledJob.objects.get(name="check_lone_working").last_succeeded is True
