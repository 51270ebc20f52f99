"""Factories for the care pathway. `waiting_referral` puts a family on a team's waiting list as
triage leaves it; `open_episode` allocates one the way allocate_episode does, without a request."""

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import ContactKind, WorkerRole
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
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.models import Team
from attune.organisations.tests.factories import SiteFactory
from attune.referrals.codes import LevelOfNeed, Priority
from attune.referrals.models import Referral, ReferralStatus
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
    received = received_at or timezone.now() - dt.timedelta(days=20)
    home = FamilyFactory(team=team, **family)
    InfantFactory(family=home)
    CarerFactory(family=home)
    referral = ReferralFactory(
        family=home, team=team, received_at=received, priority=priority, level_of_need=level_of_need
    )
    ReferralStatus.objects.create(referral=referral, status=Status.ACCEPTED, entered_at=received + dt.timedelta(days=2))
    return referral


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
    opened = opened_at or timezone.now() - dt.timedelta(days=7)
    found = waiting_referral(team, received_at=opened - dt.timedelta(days=30), **referral)
    episode = Episode.objects.create(referral=found, family=found.family, team=team, opened_at=opened)
    episode.interventions.set([intervention(code) for code in codes])
    episode.infants.set(found.family.infants.all())
    episode.carers.set(found.family.carers.all())
    EpisodeWorker.objects.create(episode=episode, practitioner=lead, role=WorkerRole.LEAD, started_at=opened)
    if co_worker is not None:
        EpisodeWorker.objects.create(
            episode=episode, practitioner=co_worker, role=WorkerRole.CO_WORKER, started_at=opened
        )
    EpisodeEvent.objects.create(episode=episode, kind=EpisodeEvent.Kind.ALLOCATED, at=opened, by=by or lead)
    return episode


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


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    author = factory.SelfAttribute("appointment.practitioner")
    body = "We watched the video together; mum noticed how her baby looked for her."
