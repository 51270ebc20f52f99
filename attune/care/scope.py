"""Scoped look-ups for the care pathway: episodes, appointments and notes are seen by people who
work with families in the episode's team; the waiting list, allocation and capacity by its team
leads. Views reach care data only through here (DESIGN.md convention 5)."""

import uuid

from django.db.models import QuerySet

from attune.care.models import Appointment, Episode, EpisodeQuerySet, Note
from attune.organisations.models import Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def episodes(scope: Scope) -> EpisodeQuerySet:
    return Episode.objects.filter(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def get_episode(scope: Scope, episode_id: uuid.UUID) -> Episode:
    """404 outside the episode's team, 403 for a role there that does not work with families."""
    episode = Episode.objects.select_related("team__service", "family", "referral").filter(pk=episode_id).first()
    if episode is None or episode.team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found("care.episode", episode_id)
    if episode.team_id not in scope.team_ids(Capability.WORK_WITH_FAMILIES):
        raise scope.forbidden("care.episode", episode_id)
    scope.acting_in_team(episode.team)
    return episode


def appointments(scope: Scope) -> QuerySet[Appointment]:
    return Appointment.objects.filter(episode__team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def get_appointment(scope: Scope, appointment_id: uuid.UUID) -> Appointment:
    appointment = (
        Appointment.objects.select_related("episode__team__service", "episode__family", "practitioner")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or appointment.episode.team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found("care.appointment", appointment_id)
    if appointment.episode.team_id not in scope.team_ids(Capability.WORK_WITH_FAMILIES):
        raise scope.forbidden("care.appointment", appointment_id)
    scope.acting_in_team(appointment.episode.team)
    return appointment


def notes(scope: Scope) -> QuerySet[Note]:
    return Note.objects.filter(appointment__episode__team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def lead_teams(scope: Scope) -> QuerySet[Team]:
    """Teams whose waiting list, allocation and capacity the person runs."""
    return scope.teams(Capability.LEAD_TEAM).order_by("kind", "name")


def get_lead_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """404 outside the team, 403 for a member who does not lead it."""
    return scope.get_team(team_id, Capability.LEAD_TEAM)


def get_work_team(scope: Scope, team_id: uuid.UUID) -> Team:
    """A team whose families the person works with (diaries, caseloads)."""
    return scope.get_team(team_id, Capability.WORK_WITH_FAMILIES)
