"""Compliance with the supervision standard per team and per supervisor, and the countersigning queue."""

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance
from attune.care.models import NoteStatus
from attune.care.tests.factories import AppointmentFactory, NoteFactory, open_episode
from attune.core.clocks import add_years
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.models import Membership
from attune.organisations.roles import Role
from attune.organisations.tests.world import World
from attune.supervision.tests.factories import experience, given_session, member


def test_team_compliance_shows_on_track_and_overdue_across_hub_and_satellite(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, practitioner: User, world: World
) -> None:
    today = timezone.localdate()
    experience(trainee, add_years(today, -1))  # under 3 years with under-2s: weekly
    experience(practitioner, dt.date(2010, 1, 1), hours="22.5")
    given_session(supervisor, [practitioner], today, minutes=40)
    page = signed_in(supervisor).get(f"/teams/{world.hub.pk}/supervision").content.decode()
    assert "Tina Trainee" in page
    assert "Pat Practitioner" in page
    assert "60 minutes every week" in page
    assert "36 minutes every fortnight" in page
    assert "1 on track, 0 due, 1 overdue" in page
    assert "nhsuk-tag--red" in page
    assert "Overdue" in page
    assert AuditEvent.objects.filter(action="supervision.compliance_viewed", object_id=str(world.hub.pk)).exists()


def test_team_lead_sees_only_the_teams_they_lead(
    signed_in: Callable[[User], Client], team_lead: User, trainee: User, practitioner: User, world: World
) -> None:
    page = signed_in(team_lead).get(f"/teams/{world.hub.pk}/supervision").content.decode()
    assert "Pat Practitioner" in page
    assert "Tina Trainee" not in page


def test_compliance_refusals(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, world: World
) -> None:
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/supervision").status_code == 403
    assert signed_in(outsider).get(f"/teams/{world.hub.pk}/supervision").status_code == 404


def test_supervisor_compliance_lists_their_supervisees(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, practitioner: User
) -> None:
    given_session(supervisor, [practitioner], timezone.localdate())
    page = signed_in(supervisor).get("/supervision/compliance").content.decode()
    assert "Tina Trainee" in page
    assert "Pat Practitioner" in page
    assert f"/supervision/supervisees/{trainee.pk}/caseload" in page


def test_team_compliance_query_count_does_not_grow(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    today = timezone.localdate()

    def add() -> None:
        person = member(world.satellite, Role.TRAINEE)
        experience(person, dt.date(2024, 11, 1))
        given_session(supervisor, [person], today - dt.timedelta(days=3))

    client = signed_in(supervisor)
    assert_flat(
        grow=growing(add, lambda: Membership.objects.filter(role=Role.TRAINEE).count()),
        fetch=lambda: client.get(f"/teams/{world.hub.pk}/supervision"),
    )


def _awaiting(trainee: User, episode: object, days_ago: int) -> None:
    starts = timezone.now() - dt.timedelta(days=days_ago, hours=2)
    appointment = AppointmentFactory(
        episode=episode, practitioner=trainee, starts_at=starts, attendance=Attendance.ATTENDED
    )
    NoteFactory(
        appointment=appointment,
        status=NoteStatus.SIGNED,
        signed_at=starts + dt.timedelta(hours=2),
        needs_countersignature=True,
    )


def test_countersign_queue_lists_trainees_notes_with_their_age(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, world: World
) -> None:
    episode = open_episode(world.satellite, trainee)
    _awaiting(trainee, episode, 9)
    page = signed_in(supervisor).get("/supervision/countersigning").content.decode()
    assert "Tina Trainee" in page
    assert "9 days" in page
    assert "/appointments/" in page
    assert AuditEvent.objects.filter(action="supervision.countersign_queue_viewed").exists()


def test_countersign_queue_is_for_supervisors(signed_in: Callable[[User], Client], practitioner: User) -> None:
    assert signed_in(practitioner).get("/supervision/countersigning").status_code == 403


def test_countersign_queue_query_count_does_not_grow(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, world: World
) -> None:
    episode = open_episode(world.satellite, trainee)
    counter = {"n": 0}

    def add() -> None:
        counter["n"] += 1
        _awaiting(trainee, episode, counter["n"] % 20 + 1)

    client = signed_in(supervisor)
    assert_flat(grow=growing(add, lambda: counter["n"]), fetch=lambda: client.get("/supervision/countersigning"))
