"""The demo's care pathway: episodes with months of history, families still waiting, a diary for
the coming three weeks, and the loose ends a team works on (a note to countersign, two missed
appointments, a visit under way)."""

import datetime as dt
import itertools
from collections import defaultdict

from django.utils import timezone

from attune.care import services
from attune.care.codes import Attendance, ContactKind
from attune.care.models import (
    CANCELLED,
    Appointment,
    Episode,
    EpisodeEvent,
    Note,
    PractitionerCapacity,
)
from attune.core.models import Task, TaskKind
from attune.nonprod import demo_care, scenario
from attune.nonprod.tests.demo import person
from attune.organisations.models import Membership, Site, SiteKind
from attune.organisations.roles import Role
from attune.referrals.models import Referral
from attune.referrals.workflow import Status


def test_every_team_has_episodes_and_families_still_waiting() -> None:
    for team in scenario.teams():
        accepted = [r for r in Referral.objects.filter(team=team).with_status() if r.current_status == Status.ACCEPTED]
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


def test_the_loose_ends_a_team_works_on() -> None:
    helen, tom = person("supervisor"), person("practitioner")
    # One trainee note waiting for the hub supervisor's countersignature, with her task.
    [note] = [n for n in Note.objects.select_related("author") if n.awaiting_countersignature]
    assert note.author in {person("trainee_1"), person("trainee_2")}
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


def test_the_diary_covers_the_next_three_weeks_without_double_booking() -> None:
    now = timezone.now()
    coming = Appointment.objects.filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=21), attendance="")
    for key in ("practitioner", "supervisor", "trainee_1", "trainee_2"):
        assert coming.filter(practitioner=person(key)).count() >= 3
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
        for worker in (appointment.practitioner_id, appointment.second_practitioner_id):
            if worker is not None:
                by_person[worker].append(appointment)
        if appointment.room_id is not None:
            by_room[appointment.room_id].append(appointment)
    for diary in [*by_person.values(), *by_room.values()]:
        diary.sort(key=lambda a: a.starts_at)
        for before, after in itertools.pairwise(diary):
            assert before.ends_at <= after.starts_at, (before, after)
