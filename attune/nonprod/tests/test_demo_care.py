"""The demo's care pathway: episodes with months of history, families still waiting, a diary for
the coming three weeks, and the loose ends a team works on (a note to countersign, two missed
appointments, a visit under way)."""

import datetime as dt
import itertools
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.care import services
from attune.care.codes import ATTENDED, Attendance, ContactKind
from attune.care.models import (
    CANCELLED,
    Appointment,
    Discharge,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Goal,
    GoalRating,
    Note,
    NoteStatus,
    PractitionerCapacity,
    Room,
)
from attune.core.models import AuditEvent, Task, TaskKind
from attune.nonprod import demo_care, scenario
from attune.nonprod.tests.demo import loaded_once
from attune.notifications.models import Message
from attune.organisations.models import Membership, Site, SiteKind, Team
from attune.organisations.roles import Role
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

pytestmark = pytest.mark.django_db


def _load() -> None:
    scenario.load()
    demo_care.load_for_scenario()


def _counts() -> tuple[int, ...]:
    models = (
        Referral,
        Episode,
        EpisodeEvent,
        EpisodeWorker,
        Appointment,
        Note,
        Goal,
        GoalRating,
        Discharge,
        Room,
        PractitionerCapacity,
        Task,
        Message,
        AuditEvent,
    )
    return tuple(model.objects.count() for model in models)  # type: ignore[attr-defined]


def _person(key: str) -> User:
    email = next(p.email for p in scenario.PEOPLE if p.key == key)
    return User.objects.get(email=email)


def test_loading_twice_changes_nothing(settings: object) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _counts()
    appointments = list(
        Appointment.objects.order_by("id").values_list("id", "starts_at", "attendance", "checked_in_at")
    )
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
    assert list(Appointment.objects.order_by("id").values_list("id", "starts_at", "attendance", "checked_in_at")) == (
        appointments
    )
    assert "Care by team:" in out.getvalue()
    assert "Blackburn with Darwen satellite team: 6 open episodes, 0 discharged, 2 families waiting" in out.getvalue()


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


demo_once = loaded_once(_load)


@pytest.mark.usefixtures("demo_once")
class TestTheLoadedDemo:
    """Tests that read the demo as loaded today (loaded once for them all)."""

    def test_every_team_has_episodes_and_families_still_waiting(self) -> None:
        for team in scenario.teams():
            accepted = [
                r for r in Referral.objects.filter(team=team).with_status() if r.current_status == Status.ACCEPTED
            ]
            waiting = [r for r in accepted if not Episode.objects.filter(referral=r).exists()]
            assert len(waiting) >= 2
            assert {r.priority for r in waiting} & {"urgent", "routine", "soon"}
            assert Episode.objects.open().filter(team=team).count() >= 5
            # Allocated by the team lead.
            leads = set(
                EpisodeEvent.objects.filter(episode__team=team, kind="allocated").values_list("by__email", flat=True)
            )
            assert leads == {"priya.shah@attune-demo.example"}
        # Every practitioner, trainee and supervisor has a caseload set in each team they work in.
        for membership in Membership.objects.filter(
            role__in=[Role.PRACTITIONER, Role.TRAINEE, Role.SUPERVISOR], team__in=scenario.teams()
        ):
            assert PractitionerCapacity.objects.filter(team=membership.team, practitioner=membership.user).exists()
        trainees = PractitionerCapacity.objects.filter(practitioner__memberships__role=Role.TRAINEE)
        assert {c.contracted_hours for c in trainees} == {37.5}
        hub_hours = set(
            PractitionerCapacity.objects.filter(team=scenario.teams()[0]).values_list("contracted_hours", flat=True)
        )
        assert len(hub_hours) == 2  # one full-time, one part-time
        for site in Site.objects.filter(kind=SiteKind.FAMILY_HUB):
            assert 2 <= site.rooms.count() <= 3

    def test_the_loose_ends_a_team_works_on(self) -> None:
        helen, tom = _person("supervisor"), _person("practitioner")
        # One trainee note waiting for the hub supervisor's countersignature, with her task.
        [note] = [n for n in Note.objects.select_related("author") if n.awaiting_countersignature]
        assert note.author in {_person("trainee_1"), _person("trainee_2")}
        task = Task.objects.open().get(kind=TaskKind.COUNTERSIGN_NOTE)
        assert (task.assignee, task.about_id) == (helen, str(note.pk))
        assert Note.objects.filter(needs_countersignature=True, countersigned_by=helen).count() > 10
        # Two missed in a row, and the review task it raised.
        review = Task.objects.open().get(kind=TaskKind.REVIEW_MISSED_APPOINTMENTS)
        episode = Episode.objects.get(pk=review.about_id)
        last_two = list(
            episode.appointments.exclude(attendance="").order_by("-starts_at").values_list("attendance", flat=True)[:2]
        )
        assert last_two == [Attendance.DID_NOT_ATTEND] * 2
        # A home visit under way today, checked in, not yet overdue.
        [visit] = Appointment.objects.filter(checked_in_at__isnull=False, checked_out_at__isnull=True)
        assert (visit.kind, visit.practitioner) == (ContactKind.HOME_VISIT, tom)
        assert visit.starts_at <= visit.checked_in_at <= timezone.now()
        assert timezone.localdate(visit.starts_at) == timezone.localdate()
        assert visit.ends_at > timezone.now()
        assert services.alert_overdue_visits() == 0

    def test_the_diary_covers_the_next_three_weeks_without_double_booking(self) -> None:
        now = timezone.now()
        coming = Appointment.objects.filter(
            starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=21), attendance=""
        )
        for key in ("practitioner", "supervisor", "trainee_1", "trainee_2"):
            assert coming.filter(practitioner=_person(key)).count() >= 3
        kinds = set(coming.values_list("kind", flat=True))
        assert {ContactKind.HOME_VISIT, ContactKind.FAMILY_HUB, ContactKind.CLINIC, ContactKind.VIDEO} <= kinds
        assert not coming.filter(kind__in=[ContactKind.FAMILY_HUB, ContactKind.CLINIC], room__isnull=True).exists()
        assert coming.filter(second_practitioner__isnull=False).exists()
        # Fortnightly families keep their fortnight, from their history into the diary.
        for spec in (s for s in demo_care.EPISODES if s.every_weeks == 2):
            days = [
                timezone.localdate(a.starts_at)
                for a in Appointment.objects.filter(episode__referral__reference=spec.plan.reference)
            ]
            assert len(days) >= 3
            assert all((later - earlier).days % 14 == 0 for earlier, later in itertools.pairwise(days))
        # No one, and no room, is in two places at once.
        by_person: dict[object, list[Appointment]] = defaultdict(list)
        by_room: dict[object, list[Appointment]] = defaultdict(list)
        for appointment in Appointment.objects.exclude(attendance__in=CANCELLED):
            for person in (appointment.practitioner_id, appointment.second_practitioner_id):
                if person is not None:
                    by_person[person].append(appointment)
            if appointment.room_id is not None:
                by_room[appointment.room_id].append(appointment)
        for diary in [*by_person.values(), *by_room.values()]:
            diary.sort(key=lambda a: a.starts_at)
            for before, after in itertools.pairwise(diary):
                assert before.ends_at <= after.starts_at, (before, after)
