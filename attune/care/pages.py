"""What the episode page and the discharge letter show, fetched at once: a fixed number of
queries however many appointments, ratings or events there are."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Subquery

from attune.care.models import (
    Appointment,
    Discharge,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Goal,
    GoalRating,
    Intervention,
    Note,
)
from attune.families import queries as family_queries
from attune.families.models import Carer, Infant, SafeguardingFlag
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


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


def _taking_part(through: type[models.Model], column: str, episode_id: uuid.UUID) -> Exists:
    return Exists(through._default_manager.filter(episode_id=episode_id, **{column: OuterRef("pk")}))


def episode_record(scope: Scope, episode_id: uuid.UUID) -> EpisodeRecord:
    current = Discharge.objects.filter(episode=OuterRef("pk"), reopened_at__isnull=True).order_by("-discharged_at")
    episodes = (
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
            family_queries.active_flags(),
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
    )
    episode = scope.get(episodes, episode_id, act=Capability.WORK_WITH_FAMILIES)
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
