"""The demo's care pathway loaded on given days: months of history written up, and a diary that
stays current when the demo is loaded again later."""

import datetime as dt

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.care import services
from attune.care.codes import ATTENDED, Attendance, ContactKind
from attune.care.models import (
    CANCELLED,
    Appointment,
    Episode,
    Goal,
    Note,
    NoteStatus,
)
from attune.nonprod import demo_care, scenario
from attune.organisations.models import Team

pytestmark = pytest.mark.django_db


def _load() -> None:
    scenario.load()
    demo_care.load_for_scenario()


def test_the_history_reads_like_months_of_work(time_machine: TimeMachineFixture) -> None:
    # Late on a Wednesday: the day's earlier contacts are history too, recorded and written up.
    time_machine.move_to(dt.datetime(2026, 11, 25, 16, 30, tzinfo=dt.UTC), tick=False)
    _load()
    now = timezone.now()
    past = Appointment.objects.filter(ends_at__lte=now)
    past = past.exclude(kind=ContactKind.HOME_VISIT, checked_in_at__isnull=False, checked_out_at__isnull=True)
    assert past.count() > 80
    assert not past.filter(attendance="").exists()
    codes = list(past.values_list("attendance", flat=True))
    assert sum(code in ATTENDED for code in codes) > len(codes) * 0.75
    assert Attendance.DID_NOT_ATTEND in codes
    assert Attendance.CANCELLED_BY_FAMILY in codes
    earliest = Appointment.objects.order_by("starts_at").first()
    assert earliest is not None
    assert earliest.starts_at < now - dt.timedelta(weeks=20)
    # Every attended contact has a signed note, written after it.
    for appointment in past.filter(attendance__in=ATTENDED).select_related("note"):
        assert appointment.note.status == NoteStatus.SIGNED
        assert appointment.note.signed_at is not None
        assert appointment.ends_at <= appointment.note.signed_at <= now
    assert not Note.objects.filter(appointment__attendance__in=[Attendance.DID_NOT_ATTEND, *CANCELLED]).exists()
    # Goals rated over time, rising.
    goal = Goal.objects.filter(ratings__isnull=False).distinct().order_by("created_at").first()
    assert goal is not None
    scores = list(goal.ratings.order_by("rated_on").values_list("score", flat=True))
    assert len(scores) >= 3
    assert scores == sorted(scores)
    # One discharged, with its summary, and nothing booked after.
    [discharged] = Episode.objects.discharged()
    discharge = discharged.discharges.get()
    assert discharge.summary.startswith("Sophie and Jacob")
    assert discharge.discharged_at < now - dt.timedelta(weeks=2)
    assert past.filter(starts_at__date=dt.date(2026, 11, 25)).count() >= 2
    assert not discharged.appointments.filter(starts_at__gt=discharge.discharged_at).exists()


def test_loading_on_a_later_day_keeps_the_diary_current(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC), tick=False)  # a Monday
    _load()
    first_visit = Appointment.objects.get(checked_in_at__isnull=False)
    time_machine.move_to(dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC), tick=False)
    _load()
    # Monday's visit is checked out; today's is under way.
    first_visit.refresh_from_db()
    assert first_visit.checked_out_at == first_visit.ends_at
    [today] = Appointment.objects.filter(checked_in_at__isnull=False, checked_out_at__isnull=True)
    assert timezone.localdate(today.starts_at) == dt.date(2026, 11, 25)
    last = Appointment.objects.order_by("-starts_at").first()
    assert last is not None
    assert timezone.localdate(last.starts_at) >= dt.date(2026, 12, 14)
    assert services.alert_overdue_visits() == 0
    assert Team.objects.count() == 2
