"""What the progress page shows, fetched at once through the scope: a fixed number of queries
however many measures, episodes or schedules there are."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from attune.care.models import Discharge, Episode, EpisodeEvent
from attune.families import queries as family_queries
from attune.families.models import Carer, FamilyAlert, Infant, SafeguardingFlag
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope
from attune.outcomes.models import Administration, MeasureSchedule
from attune.outcomes.queries import team_schedules


@dataclass
class ProgressRecord:
    """What the progress page shows: the episode, its dates, who takes part, every measure
    recorded (oldest first) and the team's schedule."""

    episode: Episode
    opened_on: dt.date
    discharged_on: dt.date | None  # while it stays discharged
    carers: list[Carer]
    infants: list[Infant]
    flags: list[SafeguardingFlag]
    alerts: list[FamilyAlert]
    administrations: list[Administration]
    schedules: list[MeasureSchedule]


def _current_discharge_at() -> Subquery:
    current = Discharge.objects.filter(episode=OuterRef("pk"), reopened_at__isnull=True).order_by("-discharged_at")
    return Subquery(current.values("discharged_at")[:1])


def _taking_part() -> list[Prefetch]:
    return [
        Prefetch("carers", queryset=Carer.objects.order_by("given_name", "family_name", "pk")),
        Prefetch("infants", queryset=Infant.objects.order_by("date_of_birth", "expected_due_date", "given_name", "pk")),
    ]


def progress_record(scope: Scope, episode_id: uuid.UUID) -> ProgressRecord:
    """404 outside the episode's team, 403 for a role there that does not work with families."""
    episodes = (
        Episode.objects.with_state()
        .annotate(current_discharge_at=_current_discharge_at())
        .select_related("team__service", "family", "referral")
        .prefetch_related(
            *_taking_part(),
            "family__infants",
            "family__carers",
            family_queries.active_flags(),
            Prefetch(
                "family__alerts", queryset=FamilyAlert.objects.active().order_by("created_at"), to_attr="active_alerts"
            ),
        )
    )
    found = scope.get(episodes, episode_id, act=Capability.WORK_WITH_FAMILIES)
    discharged_at = getattr(found, "current_discharge_at", None)
    discharged = getattr(found, "last_event", None) == EpisodeEvent.Kind.DISCHARGED and discharged_at is not None
    return ProgressRecord(
        episode=found,
        opened_on=timezone.localdate(found.opened_at),
        discharged_on=timezone.localdate(discharged_at) if discharged else None,
        carers=list(found.carers.all()),
        infants=list(found.infants.all()),
        flags=list(getattr(found.family, "active_flags", [])),
        alerts=list(getattr(found.family, "active_alerts", [])),
        administrations=list(Administration.objects.filter(episode=found).order_by("completed_on", "created_at", "pk")),
        schedules=team_schedules(found.team),
    )
