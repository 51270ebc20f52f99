"""Factories for the care pathway. `waiting_referral` puts a family on a team's waiting list as
triage leaves it; `open_episode` allocates one the way allocate_episode does, without a request."""

import datetime as dt
import importlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ContactKind, WorkerRole, contact_defaults
from attune.care.models import (
    Appointment,
    Episode,
    EpisodeEvent,
    EpisodeWorker,
    Intervention,
    Note,
    PractitionerCapacity,
    Room,
)
from attune.care.services import append_events
from attune.families.models import Carer, Family, Infant
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.models import Team
from attune.organisations.tests.factories import SiteFactory
from attune.referrals.codes import LevelOfNeed, Priority
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.services import append_statuses
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status


def seed_interventions() -> None:
    """Put back the interventions the migrations seed: a test that runs in a transaction (threads,
    the browser) starts after an earlier such test has emptied every table."""
    seeded = importlib.import_module("attune.care.migrations.0002_interventions")
    for code, name, weight in seeded.INTERVENTIONS:
        Intervention.objects.get_or_create(code=code, defaults={"name": name, "caseload_weight": weight})


def intervention(code: str = "parent-infant-psychotherapy") -> Intervention:
    """One of the interventions the migrations seed (parent-infant-psychotherapy, video-interaction-guidance, ...)."""
    found = Intervention.objects.filter(code=code).first()
    if found is None:
        seed_interventions()
        found = Intervention.objects.get(code=code)
    return found


class CapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PractitionerCapacity

    contracted_hours = Decimal("37.5")
    max_weighted_caseload = Decimal("12.00")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


def waiting_referral(
    team: Team,
    *,
    priority: str = Priority.ROUTINE,
    level_of_need: str = LevelOfNeed.DISTRESS,
    received_at: dt.datetime | None = None,
    **family: Any,
) -> Referral:
    """A referral accepted to the team's waiting list, for a family with a baby and a mother."""
    [referral] = waiting_referrals(
        team, 1, priority=priority, level_of_need=level_of_need, received_at=received_at, **family
    )
    return referral


def waiting_referrals(
    team: Team,
    count: int,
    *,
    priority: str = Priority.ROUTINE,
    level_of_need: str = LevelOfNeed.DISTRESS,
    received_at: dt.datetime | None = None,
    **family: Any,
) -> list[Referral]:
    """`count` waiting referrals made in a few bulk inserts, not one query per row (query-count
    tests grow pages to 200 rows): each family with a baby and a mother, received then accepted."""
    received = received_at or timezone.now() - dt.timedelta(days=20)
    homes = Family.objects.bulk_create([FamilyFactory.build(team=team, **family) for _ in range(count)])
    Infant.objects.bulk_create([InfantFactory.build(family=home) for home in homes])
    Carer.objects.bulk_create([CarerFactory.build(family=home) for home in homes])
    referrals = Referral.objects.bulk_create(
        [
            ReferralFactory.build(
                family=home, team=team, received_at=received, priority=priority, level_of_need=level_of_need
            )
            for home in homes
        ]
    )
    # Received first, so the accepted row is each referral's latest.
    append_statuses(
        [ReferralStatus(referral=r, status=Status.RECEIVED, entered_at=received) for r in referrals]
        + [
            ReferralStatus(referral=r, status=Status.ACCEPTED, entered_at=received + dt.timedelta(days=2))
            for r in referrals
        ]
    )
    return referrals


def open_episode(
    team: Team,
    lead: User,
    *,
    by: User | None = None,
    opened_at: dt.datetime | None = None,
    co_worker: User | None = None,
    codes: tuple[str, ...] = ("parent-infant-psychotherapy",),
    **referral: Any,
) -> Episode:
    """An episode opened by allocation: its referral accepted, its workers and its history."""
    [episode] = open_episodes(team, [lead], by=by, opened_at=opened_at, co_worker=co_worker, codes=codes, **referral)
    return episode


def open_episodes(
    team: Team,
    leads: Sequence[User],
    *,
    by: User | None = None,
    opened_at: dt.datetime | None = None,
    co_worker: User | None = None,
    codes: tuple[str, ...] = ("parent-infant-psychotherapy",),
    **referral: Any,
) -> list[Episode]:
    """An episode for each lead in `leads` (the same person more than once for several), opened by
    allocation and made in a few bulk inserts (see waiting_referrals)."""
    opened = opened_at or timezone.now() - dt.timedelta(days=7)
    found = waiting_referrals(team, len(leads), received_at=opened - dt.timedelta(days=30), **referral)
    episodes = Episode.objects.bulk_create(
        [
            Episode(
                referral=r,
                family=r.family,
                team=team,
                opened_at=opened,
                last_event_kind=EpisodeEvent.Kind.ALLOCATED,
                last_event_at=opened,
            )
            for r in found
        ]
    )
    chosen = [intervention(code) for code in codes]
    Episode.interventions.through.objects.bulk_create(
        [Episode.interventions.through(episode=e, intervention=i) for e in episodes for i in chosen]
    )
    by_family = {e.family_id: e for e in episodes}
    Episode.infants.through.objects.bulk_create(
        [
            Episode.infants.through(episode=by_family[i.family_id], infant=i)
            for i in Infant.objects.filter(family__in=by_family)
        ]
    )
    Episode.carers.through.objects.bulk_create(
        [
            Episode.carers.through(episode=by_family[c.family_id], carer=c)
            for c in Carer.objects.filter(family__in=by_family)
        ]
    )
    pairs = list(zip(episodes, leads, strict=True))
    EpisodeWorker.objects.bulk_create(
        [EpisodeWorker(episode=e, practitioner=lead, role=WorkerRole.LEAD, started_at=opened) for e, lead in pairs]
        + [
            EpisodeWorker(episode=e, practitioner=co_worker, role=WorkerRole.CO_WORKER, started_at=opened)
            for e in episodes
            if co_worker is not None
        ]
    )
    append_events(
        [EpisodeEvent(episode=e, kind=EpisodeEvent.Kind.ALLOCATED, at=opened, by=by or lead) for e, lead in pairs]
    )
    return episodes


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A home visit an hour long. Pass `episode` and `practitioner`; `starts_at` defaults to
    tomorrow at 10:00."""

    class Meta:
        model = Appointment

    kind = ContactKind.HOME_VISIT
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(10)))
    )
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + dt.timedelta(hours=1))
    # As the attendance form offers them: how and where a contact of this kind is held.
    consultation_mechanism = factory.LazyAttribute(lambda a: contact_defaults(a.kind)[0])
    activity_location_type = factory.LazyAttribute(lambda a: contact_defaults(a.kind)[1])


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    author = factory.SelfAttribute("appointment.practitioner")
    body = "We watched the video together; mum noticed how her baby looked for her."
