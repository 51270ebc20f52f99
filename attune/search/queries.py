"""Look-ups for the search results, about families the search already found within the person's
scope (engine.find_families is given their teams): the families with their people, flags and
alerts, and where each is now, composed from the referrals' and care's own QuerySets. A fixed
number of queries whatever the number of families shown."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import F, OuterRef, Prefetch, Subquery

from attune.care.codes import WorkerRole
from attune.care.models import Discharge, EpisodeEvent, EpisodeWorker
from attune.families import queries as family_queries
from attune.families.models import Family, FamilyAlert
from attune.referrals.models import Referral


@dataclass(frozen=True)
class ReferralState:
    family_id: uuid.UUID
    reference: str
    status: str  # referrals.workflow.Status value: the latest row of its history (its status column)
    received_at: dt.datetime
    has_episode: bool


@dataclass(frozen=True)
class EpisodeState:
    family_id: uuid.UUID
    is_open: bool
    lead: str  # the current lead practitioner's name ('' when none)
    discharged_at: dt.datetime | None


@dataclass(frozen=True)
class Whereabouts:
    referrals: list[ReferralState]
    episodes: list[EpisodeState]


def families_shown(ids: list[uuid.UUID]) -> list[Family]:
    """The families, in the order given, with their babies, carers, team, active safeguarding
    flags (`active_flags`) and active risk alerts (`active_alerts`): five queries."""
    order = {pk: index for index, pk in enumerate(ids)}
    found = (
        Family.objects.filter(pk__in=ids)
        .select_related("team")
        .prefetch_related(
            "infants",
            "carers",
            family_queries.active_flags("safeguarding_flags"),
            Prefetch("alerts", queryset=FamilyAlert.objects.active().order_by("created_at"), to_attr="active_alerts"),
        )
    )
    return sorted(found, key=lambda family: order[family.pk])


def whereabouts(ids: list[uuid.UUID]) -> dict[uuid.UUID, Whereabouts]:
    """Each family's referrals with their current status and the episode each opened (open or
    discharged, with who leads it): one query, the episode's state read through its referral."""
    episode = OuterRef("episode__id")
    lead = EpisodeWorker.objects.filter(episode=episode, role=WorkerRole.LEAD, ended_at__isnull=True)
    discharged = Discharge.objects.filter(episode=episode).order_by("-discharged_at")
    rows = (
        Referral.objects.filter(family_id__in=ids)
        .annotate(
            episode_state=F("episode__last_event_kind"),
            lead_name=Subquery(lead.order_by("-started_at").values("practitioner__full_name")[:1]),
            discharged_at=Subquery(discharged.values("discharged_at")[:1]),
        )
        .order_by("received_at", "pk")
        .values_list(
            "family_id",
            "reference",
            "status",
            "received_at",
            "episode__id",
            "episode_state",
            "lead_name",
            "discharged_at",
        )
    )
    found: dict[uuid.UUID, Whereabouts] = {pk: Whereabouts([], []) for pk in ids}
    for family_id, reference, status, received_at, episode_id, state, lead_name, discharged_at in rows:
        where = found[family_id]
        where.referrals.append(ReferralState(family_id, reference, status, received_at, episode_id is not None))
        if episode_id is not None:
            is_open = state != EpisodeEvent.Kind.DISCHARGED
            where.episodes.append(EpisodeState(family_id, is_open, lead_name or "", None if is_open else discharged_at))
    return found
