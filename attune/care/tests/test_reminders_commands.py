"""The scheduled commands: queue_reminders (daily or hourly) and check_lone_working (every few
minutes), as cron runs them."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ContactKind
from attune.care.reminders import TEMPLATE
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.models import AuditEvent, Task, TaskKind
from attune.notifications.models import Message
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db


def test_queue_reminders_writes_the_days_reminders_once(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    starts = timezone.now() + dt.timedelta(hours=30)
    AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    out = StringIO()
    call_command("queue_reminders", stdout=out)
    call_command("queue_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["Reminders: 1 written to the outbox.", "Reminders: 0 written to the outbox."]
    assert Message.objects.filter(template=TEMPLATE).count() == 1


def _visit(world: World, practitioner: User, ended_ago: dt.timedelta, **fields: object) -> object:
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))
    ends = timezone.now() - ended_ago
    return AppointmentFactory(
        episode=episode,
        practitioner=practitioner,
        kind=ContactKind.HOME_VISIT,
        starts_at=ends - dt.timedelta(hours=1),
        ends_at=ends,
        checked_in_at=ends - dt.timedelta(hours=1),
        **fields,
    )


def test_an_overdue_home_visit_raises_an_urgent_task_for_the_team_lead(
    world: World, practitioner: User, team_lead: User
) -> None:
    visit = _visit(world, practitioner, dt.timedelta(minutes=40))
    out = StringIO()
    call_command("check_lone_working", stdout=out)
    assert out.getvalue() == "Lone working: 1 overdue home visit alerted.\n"
    [task] = Task.objects.open().filter(kind=TaskKind.LONE_WORKING_OVERDUE)
    assert task.assignee == team_lead
    assert task.urgent
    assert task.about_id == str(visit.pk)  # type: ignore[attr-defined]
    assert "Pat Practitioner has not checked out of a home visit" in task.title
    assert AuditEvent.objects.filter(action="lone_working.overdue", object_id=str(visit.pk)).exists()  # type: ignore[attr-defined]
    # Running again a few minutes later does not pile up tasks.
    call_command("check_lone_working", stdout=StringIO())
    assert Task.objects.open().filter(kind=TaskKind.LONE_WORKING_OVERDUE).count() == 1


def test_visits_within_the_grace_time_or_checked_out_raise_nothing(
    world: World, practitioner: User, team_lead: User
) -> None:
    _visit(world, practitioner, dt.timedelta(minutes=10))
    _visit(world, practitioner, dt.timedelta(hours=2), checked_out_at=timezone.now() - dt.timedelta(hours=2))
    out = StringIO()
    call_command("check_lone_working", stdout=out)
    assert out.getvalue() == "Lone working: 0 overdue home visits alerted.\n"
    assert not Task.objects.filter(kind=TaskKind.LONE_WORKING_OVERDUE).exists()
