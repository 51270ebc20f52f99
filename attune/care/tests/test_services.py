"""Care pathway actions: the rules each one enforces, the history and audit it writes, and the
tasks it raises for people."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services
from attune.care.codes import Attendance, ContactKind, DischargeReason, WorkerRole
from attune.care.models import Episode, EpisodeEvent, NoteStatus
from attune.care.services import AlreadyAllocated, CapacityExceeded, CareError, DoubleBooked
from attune.care.tests.factories import (
    AppointmentFactory,
    CapacityFactory,
    NoteFactory,
    RoomFactory,
    intervention,
    open_episode,
    waiting_referral,
)
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, SiteFactory
from attune.organisations.tests.world import World
from attune.referrals.services import append_status
from attune.referrals.workflow import Status

PIP = "parent-infant-psychotherapy"
VIG = "video-interaction-guidance"


def _request(user: User) -> Actor:
    return acting(user, ip="192.0.2.20")


def _at(days: int, hour: int = 10) -> dt.datetime:
    """A time `days` from today at `hour` o'clock, London time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _actions(**filters: object) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("occurred_at", "id").values_list("action", flat=True))


# Allocation ----------------------------------------------------------------------------------


def test_allocation_opens_an_episode_with_its_workers_history_and_audit(
    world: World, team_lead: User, practitioner: User
) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner)
    referral = waiting_referral(world.hub)
    episode = services.allocate_episode(
        actor=_request(team_lead), referral=referral, lead=practitioner, interventions=[intervention(PIP)]
    )
    assert episode.family == referral.family
    assert list(episode.workers.values_list("practitioner", "role")) == [(practitioner.pk, WorkerRole.LEAD)]
    assert [e.kind for e in episode.events.all()] == [EpisodeEvent.Kind.ALLOCATED]
    assert set(episode.infants.all()) == set(referral.family.infants.all())
    assert Episode.objects.open().filter(pk=episode.pk).exists()
    assert Episode.objects.on_caseload_of(practitioner).get() == episode
    assert _actions(object_id=str(episode.pk)) == ["episode.allocated"]


def test_allocating_past_capacity_needs_a_reason_and_records_it(
    world: World, team_lead: User, practitioner: User
) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=Decimal("1.50"))
    open_episode(world.hub, practitioner, codes=(PIP,))
    referral = waiting_referral(world.hub)
    with pytest.raises(CapacityExceeded, match=r"Pat Practitioner would have 2\.00 of 1\.50"):
        services.allocate_episode(
            actor=_request(team_lead), referral=referral, lead=practitioner, interventions=[intervention(PIP)]
        )
    assert not Episode.objects.filter(referral=referral).exists()
    episode = services.allocate_episode(
        actor=_request(team_lead),
        referral=referral,
        lead=practitioner,
        interventions=[intervention(PIP)],
        override_reason="Urgent: the family cannot wait for a place",
    )
    allocated = episode.events.get()
    assert allocated.note == "Urgent: the family cannot wait for a place"
    assert allocated.detail["over_capacity"] == "Pat Practitioner"


def test_a_lighter_intervention_fits_where_a_heavier_one_would_not(
    world: World, team_lead: User, practitioner: User
) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner, max_weighted_caseload=Decimal("1.75"))
    open_episode(world.hub, practitioner, codes=(PIP,))
    referral = waiting_referral(world.hub)
    episode = services.allocate_episode(
        actor=_request(team_lead), referral=referral, lead=practitioner, interventions=[intervention(VIG)]
    )
    assert services.weighted_caseloads(world.hub, [practitioner.pk])[practitioner.pk] == Decimal("1.75")
    assert episode.events.get().note == ""


def test_a_discharged_episode_no_longer_counts_against_capacity(
    world: World, team_lead: User, practitioner: User
) -> None:
    done = open_episode(world.hub, practitioner)
    assert services.weighted_caseloads(world.hub, [practitioner.pk])[practitioner.pk] == Decimal("1.00")
    services.discharge_episode(
        actor=_request(practitioner), episode=done, reason=DischargeReason.COMPLETED, summary="Goals met."
    )
    assert services.weighted_caseloads(world.hub, [practitioner.pk])[practitioner.pk] == Decimal("0.00")


def test_a_family_cannot_be_allocated_twice(world: World, team_lead: User, practitioner: User) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner)
    referral = waiting_referral(world.hub)
    first = services.allocate_episode(
        actor=_request(team_lead), referral=referral, lead=practitioner, interventions=[intervention(PIP)]
    )
    with pytest.raises(AlreadyAllocated) as refused:
        services.allocate_episode(
            actor=_request(team_lead), referral=referral, lead=practitioner, interventions=[intervention(PIP)]
        )
    assert refused.value.episode == first


def test_only_a_family_on_the_waiting_list_can_be_allocated(world: World, team_lead: User, practitioner: User) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner)
    referral = waiting_referral(world.hub)
    append_status(referral=referral, status=Status.WITHDRAWN, entered_at=timezone.now())
    with pytest.raises(CareError, match="not on the waiting list"):
        services.allocate_episode(
            actor=_request(team_lead), referral=referral, lead=practitioner, interventions=[intervention(PIP)]
        )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_interventions", "Select at least one intervention"),
        ("same_co_worker", "Choose a different person as co-worker"),
        ("no_capacity", "has no caseload set in Example hub team"),
    ],
)
def test_allocation_refusals_say_what_to_do(
    world: World, team_lead: User, practitioner: User, case: str, message: str
) -> None:
    if case != "no_capacity":
        CapacityFactory(team=world.hub, practitioner=practitioner)
    referral = waiting_referral(world.hub)
    with pytest.raises(CareError, match=message):
        services.allocate_episode(
            actor=_request(team_lead),
            referral=referral,
            lead=practitioner,
            interventions=[] if case == "no_interventions" else [intervention(PIP)],
            co_worker=practitioner if case == "same_co_worker" else None,
        )
    assert not Episode.objects.exists()


def test_a_pair_both_carry_the_episode(world: World, team_lead: User, practitioner: User, supervisor: User) -> None:
    for person in (practitioner, supervisor):
        CapacityFactory(team=world.hub, practitioner=person)
    episode = services.allocate_episode(
        actor=_request(team_lead),
        referral=waiting_referral(world.hub),
        lead=practitioner,
        co_worker=supervisor,
        interventions=[intervention(PIP)],
    )
    loads = services.weighted_caseloads(world.hub, [practitioner.pk, supervisor.pk])
    assert loads == {practitioner.pk: Decimal("1.00"), supervisor.pk: Decimal("1.00")}
    assert episode.workers.get(role=WorkerRole.CO_WORKER).practitioner == supervisor


# Transfer ------------------------------------------------------------------------------------


def test_transfer_to_the_satellite_moves_the_family_and_keeps_who_held_it(
    world: World, team_lead: User, practitioner: User, trainee: User
) -> None:
    CapacityFactory(team=world.satellite, practitioner=trainee)
    episode = open_episode(world.hub, practitioner)
    services.transfer_episode(
        actor=_request(team_lead),
        episode=episode,
        to_practitioner=trainee,
        to_team=world.satellite,
        reason="The family moved to Blackburn",
    )
    episode.refresh_from_db()
    assert episode.team == world.satellite
    assert episode.family.team == world.satellite
    workers = list(episode.workers.order_by("started_at").values_list("practitioner", "ended_at"))
    assert workers[0][0] == practitioner.pk
    assert workers[0][1] is not None
    assert workers[1] == (trainee.pk, None)
    transferred = episode.events.get(kind=EpisodeEvent.Kind.TRANSFERRED)
    assert transferred.note == "The family moved to Blackburn"
    assert transferred.detail["to_team"] == str(world.satellite.pk)
    assert "episode.transferred" in _actions(object_id=str(episode.pk))


def test_transfer_needs_a_reason_and_someone_new(world: World, team_lead: User, practitioner: User) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner)
    episode = open_episode(world.hub, practitioner)
    with pytest.raises(CareError, match="Enter why"):
        services.transfer_episode(actor=_request(team_lead), episode=episode, to_practitioner=practitioner, reason="")
    with pytest.raises(CareError, match="already leads this episode"):
        services.transfer_episode(
            actor=_request(team_lead), episode=episode, to_practitioner=practitioner, reason="Cover"
        )


# Booking -------------------------------------------------------------------------------------


def test_booking_refuses_a_practitioner_already_booked(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    other = open_episode(world.hub, practitioner)
    AppointmentFactory(episode=other, practitioner=practitioner, starts_at=_at(1, 10), ends_at=_at(1, 11))
    with pytest.raises(DoubleBooked, match=r"Pat Practitioner already has an appointment from 10(:00)?am to 11"):
        services.book_appointment(
            actor=_request(practitioner),
            episode=episode,
            kind=ContactKind.HOME_VISIT,
            starts_at=_at(1, 10) + dt.timedelta(minutes=30),
            ends_at=_at(1, 12),
            practitioner=practitioner,
        )
    # Back to back is fine.
    booked = services.book_appointment(
        actor=_request(practitioner),
        episode=episode,
        kind=ContactKind.HOME_VISIT,
        starts_at=_at(1, 11),
        ends_at=_at(1, 12),
        practitioner=practitioner,
    )
    assert _actions(object_id=str(booked.pk)) == ["appointment.booked"]


def test_a_cancelled_appointment_frees_the_time(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    AppointmentFactory(
        episode=episode,
        practitioner=practitioner,
        starts_at=_at(1, 10),
        ends_at=_at(1, 11),
        attendance=Attendance.CANCELLED_BY_FAMILY,
    )
    services.book_appointment(
        actor=_request(practitioner),
        episode=episode,
        kind=ContactKind.PHONE,
        starts_at=_at(1, 10),
        ends_at=_at(1, 11),
        practitioner=practitioner,
    )


def test_booking_refuses_a_room_already_taken(world: World, practitioner: User, supervisor: User) -> None:
    site = SiteFactory(team=world.hub)
    room = RoomFactory(site=site, name="Garden room")
    episode = open_episode(world.hub, practitioner)
    AppointmentFactory(
        episode=open_episode(world.hub, supervisor),
        practitioner=supervisor,
        kind=ContactKind.FAMILY_HUB,
        site=site,
        room=room,
        starts_at=_at(2, 14),
        ends_at=_at(2, 15),
    )
    with pytest.raises(DoubleBooked, match="Garden room is already booked"):
        services.book_appointment(
            actor=_request(practitioner),
            episode=episode,
            kind=ContactKind.FAMILY_HUB,
            starts_at=_at(2, 14),
            ends_at=_at(2, 15),
            practitioner=practitioner,
            site=site,
            room=room,
        )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("before_episode", "must be after the episode opened"),
        ("ends_first", "end time must be after the start time"),
        ("too_long", "cannot be longer than 8 hours"),
        ("no_site", "Select the site"),
        ("site_for_a_call", "Only appointments at a family hub or clinic have a site"),
    ],
)
def test_booking_refusals(world: World, practitioner: User, case: str, message: str) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=_at(-3))
    site = SiteFactory(team=world.hub)
    starts, ends, kind, where = _at(1, 10), _at(1, 11), ContactKind.FAMILY_HUB, site
    if case == "before_episode":
        starts, ends = _at(-5, 10), _at(-5, 11)
    elif case == "ends_first":
        ends = starts - dt.timedelta(minutes=1)
    elif case == "too_long":
        ends = starts + dt.timedelta(hours=9)
    elif case == "no_site":
        where = None
    elif case == "site_for_a_call":
        kind = ContactKind.PHONE
    with pytest.raises(CareError, match=message):
        services.book_appointment(
            actor=_request(practitioner),
            episode=episode,
            kind=kind,
            starts_at=starts,
            ends_at=ends,
            practitioner=practitioner,
            site=where,
        )


def test_nothing_can_be_booked_in_a_closed_episode(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    services.discharge_episode(
        actor=_request(practitioner), episode=episode, reason=DischargeReason.MOVED_AWAY, summary="Moved."
    )
    with pytest.raises(CareError, match="episode is closed"):
        services.book_appointment(
            actor=_request(practitioner),
            episode=episode,
            kind=ContactKind.VIDEO,
            starts_at=_at(1),
            ends_at=_at(1, 11),
            practitioner=practitioner,
        )


# Attendance ----------------------------------------------------------------------------------


def test_attendance_cannot_be_recorded_for_the_future_but_a_cancellation_can(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    future = AppointmentFactory(episode=episode, practitioner=practitioner)
    with pytest.raises(CareError, match="has not happened yet"):
        services.record_attendance(actor=_request(practitioner), appointment=future, attendance=Attendance.ATTENDED)
    future.refresh_from_db()
    assert future.attendance == ""
    services.record_attendance(
        actor=_request(practitioner), appointment=future, attendance=Attendance.CANCELLED_BY_FAMILY
    )
    future.refresh_from_db()
    assert future.attendance == Attendance.CANCELLED_BY_FAMILY


def test_who_attended_is_kept_only_when_they_were_seen(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    past = AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=_at(-1), ends_at=_at(-1, 11))
    carer = episode.carers.get()
    services.record_attendance(
        actor=_request(practitioner), appointment=past, attendance=Attendance.ATTENDED, carers=[carer]
    )
    assert list(past.attended_carers.all()) == [carer]
    services.record_attendance(
        actor=_request(practitioner), appointment=past, attendance=Attendance.DID_NOT_ATTEND, carers=[carer]
    )
    assert not past.attended_carers.exists()


def test_two_missed_appointments_in_a_row_raise_one_review_task(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=_at(-30))
    first, second, third = (
        AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=_at(-d), ends_at=_at(-d, 11))
        for d in (21, 14, 7)
    )
    actor = _request(practitioner)
    services.record_attendance(actor=actor, appointment=first, attendance=Attendance.DID_NOT_ATTEND)
    services.record_attendance(actor=actor, appointment=second, attendance=Attendance.ATTENDED)
    services.record_attendance(actor=actor, appointment=third, attendance=Attendance.DID_NOT_ATTEND)
    assert not Task.objects.exists()  # missed, seen, missed: not in a row
    fourth = AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=_at(-2), ends_at=_at(-2, 11))
    services.record_attendance(actor=actor, appointment=fourth, attendance=Attendance.LATE_NOT_SEEN)
    task = Task.objects.get()
    assert (task.kind, task.assignee) == (TaskKind.REVIEW_MISSED_APPOINTMENTS, practitioner)
    assert task.url == f"/episodes/{episode.pk}"
    # Recording again does not pile up tasks.
    services.record_attendance(actor=actor, appointment=fourth, attendance=Attendance.DID_NOT_ATTEND)
    assert Task.objects.count() == 1


def test_a_cancellation_between_two_missed_appointments_does_not_break_the_run(
    world: World, practitioner: User
) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=_at(-30))
    missed, cancelled, missed_again = (
        AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=_at(-d), ends_at=_at(-d, 11))
        for d in (21, 14, 7)
    )
    actor = _request(practitioner)
    services.record_attendance(actor=actor, appointment=missed, attendance=Attendance.DID_NOT_ATTEND)
    services.record_attendance(actor=actor, appointment=cancelled, attendance=Attendance.CANCELLED_BY_SERVICE)
    services.record_attendance(actor=actor, appointment=missed_again, attendance=Attendance.DID_NOT_ATTEND)
    assert Task.objects.filter(kind=TaskKind.REVIEW_MISSED_APPOINTMENTS).count() == 1


# Lone working --------------------------------------------------------------------------------


def test_a_visit_not_checked_out_alerts_the_team_lead_until_checked_out(
    world: World, practitioner: User, team_lead: User
) -> None:
    episode = open_episode(world.hub, practitioner)
    now = timezone.now()
    visit = AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=now - dt.timedelta(hours=2), ends_at=now
    )
    with time_machine.travel(visit.starts_at + dt.timedelta(minutes=5)):
        services.check_in(actor=_request(practitioner), appointment=visit)
    assert services.alert_overdue_visits(now=now + dt.timedelta(minutes=10)) == 0
    assert services.alert_overdue_visits(now=now + dt.timedelta(minutes=20)) == 1
    task = Task.objects.get()
    assert (task.kind, task.assignee, task.urgent) == (TaskKind.LONE_WORKING_OVERDUE, team_lead, True)
    assert "Pat Practitioner has not checked out" in task.title
    services.alert_overdue_visits(now=now + dt.timedelta(minutes=30))
    assert Task.objects.count() == 1
    services.check_out(actor=_request(practitioner), appointment=visit)
    task.refresh_from_db()
    assert task.closed_at is not None
    assert services.alert_overdue_visits(now=now + dt.timedelta(hours=1)) == 0


def test_only_the_visiting_practitioner_checks_in_on_the_day(
    world: World, practitioner: User, supervisor: User
) -> None:
    episode = open_episode(world.hub, practitioner)
    tomorrow = AppointmentFactory(episode=episode, practitioner=practitioner)
    with pytest.raises(CareError, match="Only the practitioners on this visit"):
        services.check_in(actor=_request(supervisor), appointment=tomorrow)
    with pytest.raises(CareError, match="only on the day of the visit"):
        services.check_in(actor=_request(practitioner), appointment=tomorrow)
    with pytest.raises(CareError, match="Check in before checking out"):
        services.check_out(actor=_request(practitioner), appointment=tomorrow)
    call = AppointmentFactory(episode=episode, practitioner=practitioner, kind=ContactKind.PHONE, starts_at=_at(3))
    with pytest.raises(CareError, match="Only home visits"):
        services.check_in(actor=_request(practitioner), appointment=call)


# Notes ---------------------------------------------------------------------------------------


def _past_contact(world: World, person: User, team: object = None) -> object:
    episode = open_episode(team or world.hub, person, opened_at=_at(-10))
    return AppointmentFactory(episode=episode, practitioner=person, starts_at=_at(-1), ends_at=_at(-1, 11))


def test_an_empty_note_cannot_be_signed(world: World, practitioner: User) -> None:
    contact = _past_contact(world, practitioner)
    note = services.save_note(actor=_request(practitioner), appointment=contact, body="   ")
    with pytest.raises(CareError, match="Write the note before signing it"):
        services.sign_note(actor=_request(practitioner), note=note)
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT


def test_a_signed_note_is_locked_and_takes_addenda(world: World, practitioner: User) -> None:
    contact = _past_contact(world, practitioner)
    note = services.save_note(actor=_request(practitioner), appointment=contact, body="Baby settled on mum.")
    services.sign_note(actor=_request(practitioner), note=note)
    with pytest.raises(CareError, match="signed and locked"):
        services.save_note(actor=_request(practitioner), appointment=contact, body="Changed")
    services.add_addendum(actor=_request(practitioner), note=note, body="Mum phoned afterwards: all well.")
    note.refresh_from_db()
    assert note.body == "Baby settled on mum."
    assert not note.needs_countersignature
    assert [a.body for a in note.addenda.all()] == ["Mum phoned afterwards: all well."]
    assert _actions(object_id=str(note.pk)) == ["note.saved", "note.signed", "note.addendum_added"]


def test_only_the_author_changes_or_signs_a_draft(world: World, practitioner: User, supervisor: User) -> None:
    contact = _past_contact(world, practitioner)
    note = services.save_note(actor=_request(practitioner), appointment=contact, body="Draft")
    with pytest.raises(CareError, match="belongs to Pat Practitioner"):
        services.save_note(actor=_request(supervisor), appointment=contact, body="Mine now")
    with pytest.raises(CareError, match="Only the author can sign"):
        services.sign_note(actor=_request(supervisor), note=note)


def test_a_trainee_note_waits_for_a_supervisor_countersignature(
    world: World, trainee: User, supervisor: User, practitioner: User
) -> None:
    second_supervisor = MembershipFactory(role=Role.SUPERVISOR, team=world.satellite).user
    contact = _past_contact(world, trainee, world.satellite)
    note = services.save_note(actor=_request(trainee), appointment=contact, body="Watched the baby's cues.")
    services.sign_note(actor=_request(trainee), note=note)
    note.refresh_from_db()
    assert note.awaiting_countersignature
    tasks = Task.objects.open().filter(kind=TaskKind.COUNTERSIGN_NOTE)
    assert {t.assignee for t in tasks} == {supervisor, second_supervisor}
    assert all(t.url == f"/appointments/{contact.pk}" for t in tasks)
    with pytest.raises(CareError, match="Only a clinical supervisor in this team"):
        services.countersign_note(actor=_request(practitioner), note=note)
    services.countersign_note(actor=_request(supervisor), note=note)
    note.refresh_from_db()
    assert note.countersigned_by == supervisor
    assert not note.awaiting_countersignature
    # One supervisor's countersignature closes everyone's task.
    assert not Task.objects.open().exists()
    with pytest.raises(CareError, match="does not need a countersignature"):
        services.countersign_note(actor=_request(second_supervisor), note=note)


# Goals ---------------------------------------------------------------------------------------


def test_each_carer_has_at_most_three_goals_rated_0_to_10(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    carer = episode.carers.get()
    actor = _request(practitioner)
    goals = [services.add_goal(actor=actor, episode=episode, carer=carer, description=f"Goal {n}") for n in range(3)]
    with pytest.raises(CareError, match="already has 3 goals"):
        services.add_goal(actor=actor, episode=episode, carer=carer, description="A fourth")
    services.rate_goal(actor=actor, goal=goals[0], score=3, rated_on=timezone.localdate())
    with pytest.raises(CareError, match="from 0 to 10"):
        services.rate_goal(actor=actor, goal=goals[0], score=11, rated_on=timezone.localdate())
    with pytest.raises(CareError, match="today or in the past"):
        services.rate_goal(actor=actor, goal=goals[0], score=5, rated_on=timezone.localdate() + dt.timedelta(1))
    assert [r.score for r in goals[0].ratings.all()] == [3]


# Discharge -----------------------------------------------------------------------------------


def test_discharge_waits_for_unsigned_notes_and_booked_appointments(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=_at(-10))
    contact = AppointmentFactory(episode=episode, practitioner=practitioner, starts_at=_at(-1), ends_at=_at(-1, 11))
    note = NoteFactory(appointment=contact)
    upcoming = AppointmentFactory(episode=episode, practitioner=practitioner)
    actor = _request(practitioner)
    with pytest.raises(CareError, match=r"Sign .* the notes for these contacts first"):
        services.discharge_episode(actor=actor, episode=episode, reason=DischargeReason.COMPLETED, summary="Done")
    services.sign_note(actor=actor, note=note)
    with pytest.raises(CareError, match="Cancel the appointments still booked"):
        services.discharge_episode(actor=actor, episode=episode, reason=DischargeReason.COMPLETED, summary="Done")
    services.record_attendance(actor=actor, appointment=upcoming, attendance=Attendance.CANCELLED_BY_SERVICE)
    with pytest.raises(CareError, match="Write the discharge summary"):
        services.discharge_episode(actor=actor, episode=episode, reason=DischargeReason.COMPLETED, summary=" ")
    discharge = services.discharge_episode(
        actor=actor, episode=episode, reason=DischargeReason.COMPLETED, summary="Goals met."
    )
    assert discharge.summary == "Goals met."
    assert Episode.objects.discharged().filter(pk=episode.pk).exists()
    assert not Episode.objects.on_caseload_of(practitioner).open().exists()


def test_a_closed_episode_reopens_with_a_reason(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    actor = _request(practitioner)
    with pytest.raises(CareError, match="This episode is open"):
        services.reopen_episode(actor=actor, episode=episode, reason="Why not")
    services.discharge_episode(actor=actor, episode=episode, reason=DischargeReason.DISENGAGED, summary="No reply.")
    with pytest.raises(CareError, match="already closed"):
        services.discharge_episode(actor=actor, episode=episode, reason=DischargeReason.DISENGAGED, summary="x")
    with pytest.raises(CareError, match="Enter why"):
        services.reopen_episode(actor=actor, episode=episode, reason="")
    services.reopen_episode(actor=actor, episode=episode, reason="Mum got back in touch")
    assert Episode.objects.open().filter(pk=episode.pk).exists()
    discharge = episode.discharges.get()
    assert discharge.reopened_reason == "Mum got back in touch"
    assert [e.kind for e in episode.events.all()] == [
        EpisodeEvent.Kind.ALLOCATED,
        EpisodeEvent.Kind.DISCHARGED,
        EpisodeEvent.Kind.REOPENED,
    ]
    assert _actions(object_id=str(episode.pk))[-2:] == ["episode.discharged", "episode.reopened"]


def test_only_the_team_can_be_booked_at_its_sites(world: World, practitioner: User, outsider: User) -> None:
    episode = open_episode(world.hub, practitioner)
    with pytest.raises(CareError, match="Otto Outsider does not work with families in Example hub team"):
        services.book_appointment(
            actor=_request(practitioner),
            episode=episode,
            kind=ContactKind.VIDEO,
            starts_at=_at(1),
            ends_at=_at(1, 11),
            practitioner=outsider,
        )
    elsewhere = SiteFactory(team=world.other_team)
    with pytest.raises(CareError, match="Choose a site this service works from"):
        services.book_appointment(
            actor=_request(practitioner),
            episode=episode,
            kind=ContactKind.CLINIC,
            starts_at=_at(1),
            ends_at=_at(1, 11),
            practitioner=practitioner,
            site=elsewhere,
        )
