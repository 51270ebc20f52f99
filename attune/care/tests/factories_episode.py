"""Factories for the episode pages: a family with named people, goals and their ratings, past
and past contacts with notes."""

import datetime as dt
from typing import Any

from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance, DischargeReason
from attune.care.models import Appointment, Discharge, Episode, EpisodeEvent, Goal, GoalRating, Note, NoteStatus
from attune.care.services import append_event
from attune.care.tests.factories import AppointmentFactory, NoteFactory, open_episode
from attune.families.models import Carer, Infant
from attune.organisations.models import Team


def named_episode(team: Team, lead: User, **kwargs: Any) -> Episode:
    """An open episode for Ava Hughes (born 1 June 2026) and her mother Jade."""
    episode = open_episode(team, lead, **kwargs)
    infant: Infant = episode.family.infants.get()
    infant.given_name, infant.family_name, infant.date_of_birth = "Ava", "Hughes", dt.date(2026, 6, 1)
    infant.save()
    carer: Carer = episode.family.carers.get()
    carer.given_name, carer.family_name, carer.relationship = "Jade", "Hughes", "mother"
    carer.save()
    family = episode.family
    family.gp_practice = "Beech Tree Surgery"
    family.save()
    return episode


def past_contact(
    episode: Episode,
    practitioner: User,
    *,
    days_ago: int = 3,
    attendance: str = Attendance.ATTENDED,
    note: str | None = NoteStatus.SIGNED,
) -> Appointment:
    """A contact that happened, with its attendance recorded and (by default) a signed note."""
    starts = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=days_ago)
    appointment: Appointment = AppointmentFactory(
        episode=episode,
        practitioner=practitioner,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        attendance=attendance,
        attendance_recorded_at=starts + dt.timedelta(hours=1),
        attendance_recorded_by=practitioner,
    )
    if note is not None:
        signed = note == NoteStatus.SIGNED
        NoteFactory(
            appointment=appointment,
            status=note,
            signed_at=starts + dt.timedelta(hours=2) if signed else None,
        )
    return appointment


def goal_with_ratings(episode: Episode, carer: Carer, description: str, scores: list[int]) -> Goal:
    goal = Goal.objects.create(episode=episode, carer=carer, description=description)
    lead = episode.workers.first()
    assert lead is not None
    start = timezone.localdate() - dt.timedelta(days=7 * len(scores))
    for number, score in enumerate(scores):
        GoalRating.objects.create(
            goal=goal, score=score, rated_on=start + dt.timedelta(days=7 * number), recorded_by=lead.practitioner
        )
    return goal


def draft_note(appointment: Appointment) -> Note:
    note: Note = NoteFactory(appointment=appointment, status=NoteStatus.DRAFT)
    return note


def discharge_directly(episode: Episode, by: User, reason: str = DischargeReason.COMPLETED) -> None:
    """Close the episode as discharge_episode would, without its checks."""
    now = timezone.now()
    Discharge.objects.create(
        episode=episode, reason=reason, summary="Mum and Ava enjoy each other now.", discharged_at=now, discharged_by=by
    )
    append_event(episode=episode, kind=EpisodeEvent.Kind.DISCHARGED, at=now, by=by, detail={"reason": reason})
