"""Scoped look-ups for the care pathway: episodes, appointments and notes are seen by people who
work with families in the episode's team; the waiting list, allocation and capacity by its team
leads. Views reach care data only through here (DESIGN.md convention 5)."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ATTENDED, WorkerRole
from attune.care.models import (
    CANCELLED,
    Addendum,
    Appointment,
    Discharge,
    Episode,
    EpisodeEvent,
    EpisodeQuerySet,
    EpisodeWorker,
    Goal,
    GoalRating,
    Intervention,
    Note,
    NoteStatus,
    PractitionerCapacity,
    Room,
)
from attune.core.models import Task
from attune.families.models import Carer, Family, Infant, SafeguardingFlag
from attune.organisations.models import Membership, Site, Team
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.referrals.codes import Priority
from attune.referrals.models import Referral, ReferralQuerySet
from attune.referrals.workflow import Status


def episodes(scope: Scope) -> EpisodeQuerySet:
    return Episode.objects.filter(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def for_family(scope: Scope, family: Family) -> list[Episode]:
    """The family's episodes in the teams the person works with, newest first, each with its
    state (`last_event`) and workers, for the family page: three queries however many there are."""
    workers = Prefetch("workers", queryset=EpisodeWorker.objects.select_related("practitioner").order_by("started_at"))
    return list(
        episodes(scope)
        .filter(family=family)
        .with_state()
        .select_related("team")
        .prefetch_related(workers)
        .order_by("-opened_at")
    )


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


# Waiting list, allocation and caseloads ----------------------------------------------------------

# Teams and who works in them here: a person's caseload is held in one team, sized by their
# PractitionerCapacity there, and only current members hold (or are offered) a caseload.
CASELOAD_ROLES = [Role.PRACTITIONER.value, Role.TRAINEE.value, Role.SUPERVISOR.value]
PRIORITY_RANK = Case(
    When(priority=Priority.URGENT, then=Value(0)),
    When(priority=Priority.SOON, then=Value(1)),
    When(priority=Priority.ROUTINE, then=Value(2)),
    default=Value(3),
)


def _active_flags_of_family() -> Prefetch:
    return Prefetch("family__safeguarding_flags", queryset=SafeguardingFlag.objects.active(), to_attr="active_flags")


def _waiting(team_ids: Iterable[uuid.UUID]) -> ReferralQuerySet:
    """Accepted referrals with no episode yet: a team's waiting list."""
    return (
        Referral.objects.filter(team_id__in=list(team_ids), episode__isnull=True)
        .with_status()
        .filter(current_status=Status.ACCEPTED.value)  # type: ignore[misc]
    )


def waiting_counts(scope: Scope, teams: Iterable[Team]) -> dict[uuid.UUID, tuple[int, int]]:
    """For each team the person leads: (families waiting, of whom urgent), in one query."""
    ids = {team.pk for team in teams} & scope.team_ids(Capability.LEAD_TEAM)
    counted = {
        row["team_id"]: (row["waiting"], row["urgent"])
        for row in _waiting(ids)
        .order_by()
        .values("team_id")
        .annotate(waiting=Count("pk"), urgent=Count("pk", filter=Q(priority=Priority.URGENT)))
    }
    return {team_id: counted.get(team_id, (0, 0)) for team_id in ids}


def waiting_list(scope: Scope, team: Team) -> QuerySet[Referral]:
    """The team's waiting list, urgent first and then the longest wait, with what each row shows."""
    return (
        _waiting({team.pk} & scope.team_ids(Capability.LEAD_TEAM))
        .select_related("family__preferred_site")
        .prefetch_related("family__infants", _active_flags_of_family())
        .annotate(priority_rank=PRIORITY_RANK)
        .order_by("priority_rank", "received_at", "pk")
    )


def get_waiting_referral(scope: Scope, team: Team, referral_id: uuid.UUID) -> Referral:
    """A referral in a team the person leads (get_lead_team first), with its family; on the
    waiting list or not (the page says which). 404 for another team's referral."""
    referral = (
        Referral.objects.filter(pk=referral_id, team_id__in={team.pk} & scope.team_ids(Capability.LEAD_TEAM))
        .with_status()
        .select_related("team", "family__preferred_site")
        .prefetch_related("family__infants", "family__carers", _active_flags_of_family())
        .first()
    )
    if referral is None:
        raise scope.not_found("referrals.referral", referral_id)
    return referral


def episode_of(referral: Referral) -> Episode | None:
    return Episode.objects.filter(referral=referral).first()


def team_capacities(scope: Scope, team_ids: Iterable[uuid.UUID]) -> list[PractitionerCapacity]:
    """The capacity rows of the current members of teams the person leads, by team then name."""
    ids = set(team_ids) & scope.team_ids(Capability.LEAD_TEAM)
    current = Membership.objects.active().filter(team_id=OuterRef("team_id"), user_id=OuterRef("practitioner_id"))
    return list(
        PractitionerCapacity.objects.filter(team_id__in=ids, practitioner__is_active=True)
        .filter(Exists(current))
        .select_related("practitioner", "team")
        .order_by("team__kind", "team__name", "practitioner__full_name")
    )


def active_interventions() -> list[Intervention]:
    return list(Intervention.objects.filter(active=True))


def get_lead_episode(scope: Scope, episode_id: uuid.UUID) -> Episode:
    """An episode in a team the person leads: 404 outside the team, 403 for a member who does not lead it."""
    episode = (
        Episode.objects.open()
        .select_related("team__service", "team__hub", "family", "referral")
        .prefetch_related("interventions", "family__infants", "family__carers", _active_flags_of_family())
        .filter(pk=episode_id)
        .first()
    )
    if episode is None or episode.team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found("care.episode", episode_id)
    if episode.team_id not in scope.team_ids(Capability.LEAD_TEAM):
        raise scope.forbidden("care.episode", episode_id)
    scope.acting_in_team(episode.team)
    return episode


def service_teams(episode: Episode) -> list[Team]:
    """The teams an episode can move to: the hub and satellites of its own service."""
    return list(Team.objects.filter(service_id=episode.team.service_id).order_by("kind", "name"))


def service_capacities(episode: Episode) -> list[PractitionerCapacity]:
    """Everyone with a caseload in a team of the episode's service (for a transfer)."""
    current = Membership.objects.active().filter(team_id=OuterRef("team_id"), user_id=OuterRef("practitioner_id"))
    return list(
        PractitionerCapacity.objects.filter(team__service_id=episode.team.service_id, practitioner__is_active=True)
        .filter(Exists(current))
        .select_related("practitioner", "team")
        .order_by("team__kind", "team__name", "practitioner__full_name")
    )


def names_of(user_ids: Iterable[str]) -> dict[str, str]:
    """People's names by id, for the ids an episode's history keeps."""
    ids = [pk for pk in set(user_ids) if pk]
    return {str(pk): name for pk, name in User.objects.filter(pk__in=ids).values_list("pk", "full_name")}


def current_workers(episode: Episode) -> list[EpisodeWorker]:
    return list(episode.workers.filter(ended_at__isnull=True).select_related("practitioner"))


def episode_history(episode: Episode) -> list[EpisodeEvent]:
    return list(episode.events.select_related("by"))


def _open_caseload(practitioner: User, team_ids: set[uuid.UUID]) -> EpisodeQuerySet:
    now = timezone.now()
    upcoming = Appointment.objects.filter(episode=OuterRef("pk"), starts_at__gte=now, attendance="").order_by(
        "starts_at"
    )
    attended = Appointment.objects.filter(episode=OuterRef("pk"), attendance__in=list(ATTENDED)).order_by("-starts_at")
    return (
        Episode.objects.open()
        .filter(team_id__in=team_ids)
        .on_caseload_of(practitioner)
        .annotate(
            next_contact_at=Subquery(upcoming.values("starts_at")[:1]),
            next_contact_kind=Subquery(upcoming.values("kind")[:1]),
            last_contact_at=Subquery(attended.values("starts_at")[:1]),
        )
        .select_related("team", "family")
        .prefetch_related(
            "interventions",
            "family__infants",
            _active_flags_of_family(),
            Prefetch(
                "workers",
                queryset=EpisodeWorker.objects.filter(ended_at__isnull=True).select_related("practitioner"),
                to_attr="current_workers",
            ),
        )
        .order_by("team__name", "opened_at", "pk")
    )


def caseload_teams(scope: Scope, team: Team) -> list[Team]:
    """The team asked for and, for a hub, each of its satellites the person also leads."""
    satellites = Team.objects.filter(hub=team, pk__in=scope.team_ids(Capability.LEAD_TEAM)).order_by("name")
    return [team, *satellites]


def family_counts(team_ids: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """How many open episodes each practitioner works on in each team, by (team, practitioner)."""
    rows = (
        EpisodeWorker.objects.filter(
            episode__team_id__in=list(team_ids), ended_at__isnull=True, episode__in=Episode.objects.open()
        )
        .values("episode__team_id", "practitioner_id")
        .annotate(n=Count("episode", distinct=True))
        .order_by()
    )
    return {(row["episode__team_id"], row["practitioner_id"]): row["n"] for row in rows}


def members_without_capacity(team_ids: Iterable[uuid.UUID]) -> list[Membership]:
    """Current practitioners, trainees and supervisors with no caseload set in the team."""
    capacity = PractitionerCapacity.objects.filter(team_id=OuterRef("team_id"), practitioner_id=OuterRef("user_id"))
    return list(
        Membership.objects.active()
        .filter(team_id__in=list(team_ids), role__in=CASELOAD_ROLES, user__is_active=True)
        .exclude(Exists(capacity))
        .select_related("user", "team")
        .order_by("team__name", "user__full_name", "role")
    )


def get_caseload_member(scope: Scope, team: Team, user_id: uuid.UUID) -> User:
    """A current member of a team the person leads (get_lead_team first), or 404."""
    member = (
        Membership.objects.active()
        .filter(team=team, user_id=user_id, team_id__in=scope.team_ids(Capability.LEAD_TEAM))
        .select_related("user")
        .first()
    )
    if member is None:
        raise scope.not_found("accounts.user", user_id)
    return member.user


def capacity_of(team: Team, user: User) -> PractitionerCapacity | None:
    return PractitionerCapacity.objects.filter(team=team, practitioner=user).first()


def caseload(scope: Scope, practitioner: User, team_ids: Iterable[uuid.UUID]) -> list[Episode]:
    """The open episodes the practitioner works on now (lead or co-worker), in teams whose
    families the person looking works with, with the next and last contact annotated."""
    allowed = set(team_ids) & scope.team_ids(Capability.WORK_WITH_FAMILIES)
    return list(_open_caseload(practitioner, allowed))


# The caseload shows what later apps know about each episode (outcome measures due) without this
# app importing them: each registers a column here, as apps register the family page's sections.
# A source gets the caseload's episodes and today, and gives a table cell per episode it has
# something to say about, in a fixed number of queries.
CaseloadSource = Callable[[list[Episode], dt.date], dict[uuid.UUID, dict[str, Any]]]
_caseload_columns: dict[str, tuple[str, CaseloadSource]] = {}


def register_caseload_column(key: str, heading: str, source: CaseloadSource) -> None:
    _caseload_columns[key] = (heading, source)


def caseload_columns() -> list[tuple[str, CaseloadSource]]:
    """(heading, source) of each registered column, in the order of their keys."""
    return [column for _, column in sorted(_caseload_columns.items())]


def outstanding_notes(practitioner: User, episode_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Per episode: the practitioner's drafts, their signed notes awaiting countersignature, and
    the attended contacts of theirs with no note yet. Two queries."""
    found: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: {"drafts": 0, "countersign": 0, "missing": 0})
    notes = (
        Note.objects.filter(author=practitioner, appointment__episode_id__in=episode_ids)
        .filter(Q(status=NoteStatus.DRAFT) | Q(needs_countersignature=True, countersigned_at__isnull=True))
        .values("appointment__episode_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in notes:
        key = "drafts" if row["status"] == NoteStatus.DRAFT else "countersign"
        found[row["appointment__episode_id"]][key] += row["n"]
    missing = (
        Appointment.objects.filter(episode_id__in=episode_ids, attendance__in=list(ATTENDED), note__isnull=True)
        .filter(Q(practitioner=practitioner) | Q(second_practitioner=practitioner))
        .values("episode_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in missing:
        found[row["episode_id"]]["missing"] += row["n"]
    return dict(found)


def open_tasks_by_episode(practitioner: User, episode_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Task]]:
    """The practitioner's open tasks about each episode, or about one of its appointments or notes.
    A person has few open tasks, so those are fetched first and traced to their episodes."""
    tasks = list(
        Task.objects.open()
        .for_person(practitioner)
        .filter(about_type__in=["care.episode", "care.appointment", "care.note"])
    )
    owners: dict[tuple[str, str], uuid.UUID] = {}
    appointment_ids = [task.about_id for task in tasks if task.about_type == "care.appointment"]
    if appointment_ids:
        for pk, owner in Appointment.objects.filter(pk__in=appointment_ids).values_list("pk", "episode_id"):
            owners["care.appointment", str(pk)] = owner
    note_ids = [task.about_id for task in tasks if task.about_type == "care.note"]
    if note_ids:
        for pk, owner in Note.objects.filter(pk__in=note_ids).values_list("pk", "appointment__episode_id"):
            owners["care.note", str(pk)] = owner
    wanted = set(episode_ids)
    found: dict[uuid.UUID, list[Task]] = defaultdict(list)
    for task in tasks:
        episode_id: uuid.UUID | None = (
            uuid.UUID(task.about_id)
            if task.about_type == "care.episode"
            else owners.get((task.about_type, task.about_id))
        )
        if episode_id in wanted:
            found[episode_id].append(task)
    return dict(found)


# The episode page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentDischarge:
    """The discharge that closed the episode, while it stays closed."""

    reason: str
    summary: str
    discharged_at: dt.datetime
    by: str


@dataclass
class EpisodeRecord:
    """Everything the episode page and the discharge letter show, fetched in a fixed number of
    queries however many appointments, ratings or events there are."""

    episode: Episode
    state: str  # the kind of the latest EpisodeEvent
    infants: list[Infant]  # those taking part
    carers: list[Carer]
    flags: list[SafeguardingFlag]
    interventions: list[Intervention]
    workers: list[EpisodeWorker]
    goals: list[Goal]
    ratings: dict[uuid.UUID, list[GoalRating]]  # by goal, oldest first
    appointments: list[Appointment]
    notes: dict[uuid.UUID, Note]  # by appointment
    events: list[EpisodeEvent]
    discharge: CurrentDischarge | None


def _checked(scope: Scope, found: Episode | None, episode_id: uuid.UUID) -> Episode:
    """The same refusals as get_episode: 404 outside the team, 403 for a role that does not
    work with families."""
    if found is None or found.team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found("care.episode", episode_id)
    if found.team_id not in scope.team_ids(Capability.WORK_WITH_FAMILIES):
        raise scope.forbidden("care.episode", episode_id)
    scope.acting_in_team(found.team)
    return found


def _taking_part(through: type[models.Model], column: str, episode_id: uuid.UUID) -> Exists:
    return Exists(through._default_manager.filter(episode_id=episode_id, **{column: OuterRef("pk")}))


def episode_record(scope: Scope, episode_id: uuid.UUID) -> EpisodeRecord:
    current = Discharge.objects.filter(episode=OuterRef("pk"), reopened_at__isnull=True).order_by("-discharged_at")
    found = (
        Episode.objects.with_state()
        .select_related("team__service", "family", "referral")
        .annotate(
            discharge_reason=Subquery(current.values("reason")[:1]),
            discharge_summary=Subquery(current.values("summary")[:1]),
            discharge_at=Subquery(current.values("discharged_at")[:1]),
            discharge_by=Subquery(current.values("discharged_by__full_name")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "family__infants",
                queryset=Infant.objects.annotate(
                    taking_part=_taking_part(Episode.infants.through, "infant_id", episode_id)
                ),
            ),
            Prefetch(
                "family__carers",
                queryset=Carer.objects.annotate(
                    taking_part=_taking_part(Episode.carers.through, "carer_id", episode_id)
                ),
            ),
            Prefetch(
                "family__safeguarding_flags",
                queryset=SafeguardingFlag.objects.active().order_by("created_at"),
                to_attr="active_flags",
            ),
            "interventions",
            Prefetch("workers", queryset=EpisodeWorker.objects.select_related("practitioner").order_by("started_at")),
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("practitioner", "second_practitioner", "note").order_by(
                    "starts_at"
                ),
            ),
            Prefetch("events", queryset=EpisodeEvent.objects.select_related("by").order_by("at", "id")),
        )
        .filter(pk=episode_id)
        .first()
    )
    episode = _checked(scope, found, episode_id)
    goals, ratings = _goals_with_ratings(episode)
    appointments = list(episode.appointments.all())
    # A missing note raises RelatedObjectDoesNotExist, an AttributeError, so hasattr is the test.
    notes = {a.pk: a.note for a in appointments if hasattr(a, "note")}
    at = getattr(episode, "discharge_at", None)
    discharge = (
        CurrentDischarge(
            reason=episode.discharge_reason,  # type: ignore[attr-defined]
            summary=episode.discharge_summary,  # type: ignore[attr-defined]
            discharged_at=at,
            by=episode.discharge_by or "",  # type: ignore[attr-defined]
        )
        if at is not None and episode.last_event == EpisodeEvent.Kind.DISCHARGED  # type: ignore[attr-defined]
        else None
    )
    family = episode.family
    return EpisodeRecord(
        episode=episode,
        state=episode.last_event or EpisodeEvent.Kind.ALLOCATED,  # type: ignore[attr-defined]
        infants=[i for i in family.infants.all() if getattr(i, "taking_part", False)],
        carers=[c for c in family.carers.all() if getattr(c, "taking_part", False)],
        flags=list(getattr(family, "active_flags", [])),
        interventions=list(episode.interventions.all()),
        workers=list(episode.workers.all()),
        goals=goals,
        ratings=ratings,
        appointments=appointments,
        notes=notes,
        events=list(episode.events.all()),
        discharge=discharge,
    )


def _goals_with_ratings(episode: Episode) -> tuple[list[Goal], dict[uuid.UUID, list[GoalRating]]]:
    """Goals and all their ratings in one query: a goal not yet rated comes back with no rating."""
    rows = (
        Goal.objects.filter(episode=episode)
        .values(
            "pk",
            "carer_id",
            "carer__given_name",
            "carer__family_name",
            "description",
            "created_at",
            "ratings__pk",
            "ratings__score",
            "ratings__rated_on",
        )
        .order_by("created_at", "pk", "ratings__rated_on", "ratings__created_at")
    )
    goals: dict[uuid.UUID, Goal] = {}
    ratings: dict[uuid.UUID, list[GoalRating]] = {}
    for row in rows:
        goal = goals.get(row["pk"])
        if goal is None:
            goal = goals[row["pk"]] = Goal(
                pk=row["pk"],
                episode=episode,
                carer=Carer(
                    pk=row["carer_id"], given_name=row["carer__given_name"], family_name=row["carer__family_name"]
                ),
                description=row["description"],
                created_at=row["created_at"],
            )
            ratings[goal.pk] = []
        if row["ratings__pk"] is not None:
            ratings[goal.pk].append(
                GoalRating(
                    pk=row["ratings__pk"], goal=goal, score=row["ratings__score"], rated_on=row["ratings__rated_on"]
                )
            )
    return list(goals.values()), ratings


def episode_for_change(scope: Scope, episode_id: uuid.UUID) -> Episode:
    """The episode for its forms: the family's people, and those taking part, prefetched."""
    found = (
        Episode.objects.with_state()
        .select_related("team__service", "family", "referral")
        .prefetch_related(
            "family__infants",
            "family__carers",
            Prefetch(
                "family__safeguarding_flags",
                queryset=SafeguardingFlag.objects.active().order_by("created_at"),
                to_attr="active_flags",
            ),
            "interventions",
            "infants",
            "carers",
        )
        .filter(pk=episode_id)
        .first()
    )
    return _checked(scope, found, episode_id)


def interventions_offered() -> list[Intervention]:
    return list(Intervention.objects.filter(active=True).order_by("name"))


def get_goal(scope: Scope, episode: Episode, goal_id: uuid.UUID) -> Goal:
    """A goal of this episode (404 for any other, even one the person could see elsewhere)."""
    goal = Goal.objects.select_related("carer").filter(pk=goal_id, episode=episode).first()
    if goal is None:
        raise scope.not_found("care.goal", goal_id)
    goal.episode = episode
    return goal


def ratings_of(goal: Goal) -> list[GoalRating]:
    return list(goal.ratings.order_by("rated_on", "created_at"))


def booked_appointments(episode: Episode) -> list[Appointment]:
    """Appointments still to come with nothing recorded: discharge waits until they are cancelled."""
    return list(
        Appointment.objects.filter(episode=episode, starts_at__gt=timezone.now(), attendance="")
        .select_related("practitioner")
        .order_by("starts_at")
    )


# The diary, appointments and notes --------------------------------------------------------------

# Only these roles hold a diary of visits and sessions (coordinators and team leads book for them).
DIARY_ROLES = (Role.PRACTITIONER, Role.TRAINEE, Role.SUPERVISOR)


def _diary_rows(queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """What a diary row shows, in a fixed number of queries however many rows there are."""
    return (
        queryset.select_related("episode__family", "practitioner", "second_practitioner", "site", "room__site", "note")
        .prefetch_related(
            "episode__family__infants",
            "episode__family__carers",
            Prefetch(
                "episode__family__safeguarding_flags",
                queryset=SafeguardingFlag.objects.active(),
                to_attr="active_flags",
            ),
        )
        .order_by("starts_at", "pk")
    )


def diary(scope: Scope, person: User, starts: dt.datetime, ends: dt.datetime) -> QuerySet[Appointment]:
    """A person's appointments (as first or second practitioner) in [starts, ends), in the teams
    where the viewer works with families."""
    return _diary_rows(
        appointments(scope).filter(
            Q(practitioner=person) | Q(second_practitioner=person), starts_at__lt=ends, ends_at__gt=starts
        )
    )


def diary_members(team: Team) -> QuerySet[User]:
    """People in the team who hold a diary, by name: the choices of practitioner when booking."""
    today = timezone.localdate()
    members = Membership.objects.active(today).filter(team=team, role__in=DIARY_ROLES).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")


def diary_members_of(teams: list[Team]) -> dict[uuid.UUID, list[User]]:
    """Each team's diary holders, from one query."""
    today = timezone.localdate()
    found: dict[uuid.UUID, list[User]] = {team.pk: [] for team in teams}
    memberships = (
        Membership.objects.active(today)
        .filter(team__in=teams, role__in=DIARY_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    for membership in memberships:
        assert membership.team_id is not None
        people = found[membership.team_id]
        if all(person.pk != membership.user_id for person in people):
            people.append(membership.user)
    return found


def get_team_member(scope: Scope, team: Team, user_id: uuid.UUID) -> User:
    """A current member of a team the viewer works in; 404 for anyone else."""
    today = timezone.localdate()
    member = (
        User.objects.filter(pk=user_id, memberships__in=Membership.objects.active(today).filter(team=team))
        .distinct()
        .first()
    )
    if member is None:
        raise scope.not_found("accounts.user", user_id)
    return member


def team_sites(team: Team) -> list[Site]:
    return list(Site.objects.filter(team=team).prefetch_related("rooms").order_by("name", "pk"))


def team_rooms(team: Team) -> QuerySet[Room]:
    """Rooms at the team's sites, for booking: by site, then room."""
    return Room.objects.filter(site__team=team).select_related("site").order_by("site__name", "name", "pk")


def site_bookings(scope: Scope, site: Site, starts: dt.datetime, ends: dt.datetime) -> QuerySet[Appointment]:
    """Appointments at a site in [starts, ends), cancellations aside (they free the room)."""
    return _diary_rows(
        appointments(scope).filter(site=site, starts_at__lt=ends, ends_at__gt=starts).exclude(attendance__in=CANCELLED)
    )


def episode_is_open(episode: Episode) -> bool:
    return Episode.objects.open().filter(pk=episode.pk).exists()


def episode_lead(episode: Episode) -> User | None:
    worker = (
        EpisodeWorker.objects.filter(episode=episode, role=WorkerRole.LEAD, ended_at__isnull=True)
        .select_related("practitioner")
        .first()
    )
    return worker.practitioner if worker else None


def get_appointment_page(scope: Scope, appointment_id: uuid.UUID) -> Appointment:
    """The appointment with what its page shows: the family, who and where, who attended."""
    appointment = get_appointment(scope, appointment_id)
    return (
        Appointment.objects.select_related(
            "episode__team",
            "episode__family",
            "practitioner",
            "second_practitioner",
            "site",
            "room",
            "attendance_recorded_by",
        )
        .prefetch_related(
            "episode__infants",
            "episode__carers",
            "episode__family__infants",
            "episode__family__carers",
            "attended_infants",
            "attended_carers",
        )
        .get(pk=appointment.pk)
    )


def note_of(appointment: Appointment) -> Note | None:
    return (
        Note.objects.filter(appointment=appointment)
        .select_related("author", "countersigned_by")
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .first()
    )
