"""Who may see what in the care pathway: episodes, appointments and notes are seen by people who
work with families in the episode's team; the waiting list, allocation and capacity by its team
leads. Views reach care data only through here (DESIGN.md convention 5); look-ups that need no
scope are in queries.py, and what a page with many parts fetches at once in pages.py."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from attune.accounts.models import User
from attune.care import queries as care_queries
from attune.care.models import (
    Appointment,
    AppointmentQuerySet,
    Episode,
    EpisodeQuerySet,
    Goal,
    Note,
    PractitionerCapacity,
)
from attune.families import queries as family_queries
from attune.families.models import Family
from attune.organisations.models import Membership, Site, Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.referrals.codes import Priority
from attune.referrals.models import Referral


def episodes(scope: Scope) -> EpisodeQuerySet:
    return Episode.objects.filter(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def for_family(scope: Scope, family: Family) -> list[Episode]:
    """The family's episodes in the teams the person works with, newest first, each with its
    state (`last_event`) and lead practitioner's name (`lead_name`), for the family page: one
    query however many there are (the page holds to its budget of 15)."""
    return list(
        episodes(scope)
        .filter(family=family)
        .with_state()
        .annotate(lead_name=care_queries.lead_name())
        .select_related("team")
        .order_by("-opened_at")
    )


def get_episode(scope: Scope, episode_id: uuid.UUID) -> Episode:
    """404 outside the episode's team, 403 for a role there that does not work with families."""
    return scope.get(
        Episode.objects.select_related("team__service", "family", "referral"),
        episode_id,
        act=Capability.WORK_WITH_FAMILIES,
    )


def appointments(scope: Scope) -> AppointmentQuerySet:
    return Appointment.objects.filter(episode__team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def get_appointment(scope: Scope, appointment_id: uuid.UUID) -> Appointment:
    """The appointment with what its page shows (the family, who and where, who attended): 404
    outside its team, 403 for a role there that does not work with families."""
    return scope.get(
        care_queries.appointment_page(),
        appointment_id,
        team="episode__team",
        act=Capability.WORK_WITH_FAMILIES,
    )


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


# Waiting list, allocation and caseloads ----------------------------------------------------------


def waiting_counts(scope: Scope, teams: Iterable[Team]) -> dict[uuid.UUID, tuple[int, int]]:
    """For each team the person leads: (families waiting, of whom urgent), in one query."""
    ids = {team.pk for team in teams} & scope.team_ids(Capability.LEAD_TEAM)
    counted = {
        row["team_id"]: (row["waiting"], row["urgent"])
        for row in care_queries.waiting(ids)
        .order_by()
        .values("team_id")
        .annotate(waiting=Count("pk"), urgent=Count("pk", filter=Q(priority=Priority.URGENT)))
    }
    return {team_id: counted.get(team_id, (0, 0)) for team_id in ids}


def waiting_list(scope: Scope, team: Team) -> list[uuid.UUID]:
    """The team's waiting list, urgent first and then the longest wait, as ids: one light query
    to count and order it (issue 18); `waiting_rows` reads a page of it."""
    return list(
        care_queries.waiting({team.pk} & scope.team_ids(Capability.LEAD_TEAM))
        .annotate(priority_rank=care_queries.PRIORITY_RANK)
        .order_by("priority_rank", "received_at", "pk")
        .values_list("pk", flat=True)
    )


def waiting_rows(scope: Scope, team: Team, ids: Iterable[uuid.UUID]) -> list[Referral]:
    """Those of `ids` still on the team's waiting list, in its order, with what each row shows."""
    return list(
        care_queries.waiting({team.pk} & scope.team_ids(Capability.LEAD_TEAM))
        .filter(pk__in=list(ids))
        .select_related("family__preferred_site")
        .prefetch_related("family__infants", "family__carers", family_queries.active_flags())
        .annotate(priority_rank=care_queries.PRIORITY_RANK, accepted_at=care_queries.accepted_at())
        .order_by("priority_rank", "received_at", "pk")
    )


def get_waiting_referral(scope: Scope, team: Team, referral_id: uuid.UUID) -> Referral:
    """A referral in a team the person leads (get_lead_team first), with its family; on the
    waiting list or not (the page says which). 404 for another team's referral."""
    return scope.get(
        Referral.objects.filter(team=team)
        .with_status()
        .annotate(accepted_at=care_queries.accepted_at())
        .select_related("team", "family__preferred_site")
        .prefetch_related("family__infants", "family__carers", family_queries.active_flags()),
        referral_id,
        act=Capability.LEAD_TEAM,
    )


def team_capacities(scope: Scope, team_ids: Iterable[uuid.UUID]) -> list[PractitionerCapacity]:
    """The capacity rows of the current members of teams the person leads, by team then name."""
    ids = set(team_ids) & scope.team_ids(Capability.LEAD_TEAM)
    current = Membership.objects.active().filter(team_id=OuterRef("team_id"), user_id=OuterRef("practitioner_id"))
    return list(
        PractitionerCapacity.objects.filter(team_id__in=ids, practitioner__is_active=True)
        .filter(Exists(current))
        .with_maximum(timezone.localdate())
        .select_related("practitioner", "team")
        .order_by("team__kind", "team__name", "practitioner__full_name")
    )


def get_lead_episode(scope: Scope, episode_id: uuid.UUID) -> Episode:
    """An open episode in a team the person leads: 404 outside the team, 403 for a member who
    does not lead it."""
    return scope.get(
        Episode.objects.open()
        .select_related("team__service", "team__hub", "family", "referral")
        .prefetch_related("interventions", "family__infants", "family__carers", family_queries.active_flags()),
        episode_id,
        act=Capability.LEAD_TEAM,
    )


def caseload_teams(scope: Scope, team: Team) -> list[Team]:
    """The team asked for and, for a hub, each of its satellites the person also leads."""
    satellites = Team.objects.filter(hub=team, pk__in=scope.team_ids(Capability.LEAD_TEAM)).order_by("name")
    return [team, *satellites]


def get_caseload_member(scope: Scope, team: Team, user_id: uuid.UUID) -> User:
    """A current member of a team the person leads (get_lead_team first), or 404."""
    members = User.objects.filter(memberships__in=Membership.objects.active().filter(team=team)).distinct()
    if team.pk not in scope.team_ids(Capability.LEAD_TEAM):
        members = members.none()
    return scope.get(members, user_id, team=None)


def caseload(scope: Scope, practitioner: User, team_ids: Iterable[uuid.UUID]) -> list[Episode]:
    """The open episodes the practitioner works on now (lead or co-worker), in teams whose
    families the person looking works with, with the next and last contact annotated."""
    allowed = set(team_ids) & scope.team_ids(Capability.WORK_WITH_FAMILIES)
    return list(care_queries.open_caseload(practitioner, allowed))


def episode_for_change(scope: Scope, episode_id: uuid.UUID) -> Episode:
    """The episode for its forms: the family's people, and those taking part, prefetched."""
    return scope.get(
        Episode.objects.with_state()
        .select_related("team__service", "family", "referral")
        .prefetch_related(
            "family__infants",
            "family__carers",
            family_queries.active_flags(),
            "interventions",
            "infants",
            "carers",
        ),
        episode_id,
        act=Capability.WORK_WITH_FAMILIES,
    )


def get_goal(scope: Scope, episode: Episode, goal_id: uuid.UUID) -> Goal:
    """A goal of this episode (404 for any other, even one the person could see elsewhere)."""
    goal = scope.get(Goal.objects.select_related("carer").filter(episode=episode), goal_id, team=None)
    goal.episode = episode
    return goal


# The diary and appointments ---------------------------------------------------------------------


def diary(scope: Scope, person: User, starts: dt.datetime, ends: dt.datetime) -> list[Appointment]:
    """A person's appointments (as first or second practitioner) in [starts, ends), in the teams
    where the viewer works with families."""
    return care_queries.diary_rows(
        appointments(scope).during(starts, ends).filter(Q(practitioner=person) | Q(second_practitioner=person))
    )


def get_team_member(scope: Scope, team: Team, user_id: uuid.UUID) -> User:
    """A current member of a team the viewer works in (get_work_team first); 404 for anyone else."""
    members = User.objects.filter(memberships__in=Membership.objects.active(timezone.localdate()).filter(team=team))
    return scope.get(members.distinct(), user_id, team=None)


def site_bookings(scope: Scope, site: Site, starts: dt.datetime, ends: dt.datetime) -> list[Appointment]:
    """Appointments at a site in [starts, ends), cancellations aside (they free the room)."""
    return care_queries.diary_rows(appointments(scope).overlapping(starts, ends).filter(site=site))
