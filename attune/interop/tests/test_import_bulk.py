"""The bulk siblings the import writes through (families/bulk.py, referrals/bulk.py,
care/bulk.py, outcomes/bulk.py) write what their actions write: the same rows, history and
audit events, for the same input."""

import datetime as dt
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from attune.accounts.models import User
from attune.care import bulk as care_bulk
from attune.care import services as care_services
from attune.care.models import Appointment, Episode, EpisodeEvent
from attune.care.tests.factories import intervention, open_episode, waiting_referral
from attune.care.tests.factories_waiting import capacity
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Task
from attune.families import bulk as family_bulk
from attune.families import services as family_services
from attune.families.models import Family, FamilyAlert, SearchEntry
from attune.organisations.tests.world import World
from attune.outcomes import bulk as outcome_bulk
from attune.outcomes import services as outcome_services
from attune.outcomes.models import Administration, Source
from attune.referrals import bulk as referral_bulk
from attune.referrals import services as referral_services
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

pytestmark = pytest.mark.django_db

SKIP = {"id", "created_at", "updated_at", "family", "referral", "episode", "reference", "appointment"}


def _fields(obj: models.Model, *skip: str) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in SKIP and f.attname not in SKIP and f.name not in skip
    }


def _events(obj: models.Model, *actions: str) -> list[tuple[str, str, dict[str, Any]]]:
    found = AuditEvent.objects.filter(object_id=str(obj.pk), action__in=actions).order_by("id")
    return [(e.action, e.role, {k: v for k, v in e.detail.items() if k not in ("episode", "lead")}) for e in found]


def _new_family(world: World, nhs: str) -> family_services.NewFamily:
    return family_services.NewFamily(
        team=world.hub,
        infants=[family_services.NewInfant(given_name="Noah", family_name="Okafor", date_of_birth=dt.date(2026, 1, 5))],
        carers=[
            family_services.NewCarer(given_name="Amara", family_name="Okafor", relationship="mother", nhs_number=nhs),
            family_services.NewCarer(given_name="Ben", family_name="Okafor", relationship="father"),
        ],
        postcode="fy1 1aa",
        safeguarding=["marac"],
    )


def _family_rows(family: Family) -> dict[str, Any]:
    return {
        "family": _fields(family),
        "infants": [_fields(i) for i in family.infants.all()],
        "carers": [_fields(c) for c in family.carers.all()],
        "flags": [_fields(f) for f in family.safeguarding_flags.all()],
        "search": sorted((e.kind, e.value) for e in SearchEntry.objects.filter(family=family)),
        "audit": _events(family, "family.created"),
    }


def test_create_families_writes_what_create_family_writes(world: World, team_lead: User) -> None:
    actor = Actor.system("import", for_user=team_lead)
    one = family_services.create_family(new=_new_family(world, "9434765919"), source="Import", actor=actor)
    [other] = family_bulk.create_families(items=[_new_family(world, "9434765919")], source="Import", actor=actor)
    mine, theirs = _family_rows(one), _family_rows(other)
    assert mine == theirs


def test_receive_referrals_writes_what_submit_and_accept_write(world: World, team_lead: User) -> None:
    actor = Actor.system("import", for_user=team_lead)
    decision = referral_services.Decision(
        status=Status.ACCEPTED, level_of_need="distress", priority="routine", note="Imported"
    )

    def intake() -> referral_services.Intake:
        return referral_services.Intake(
            kind="professional",
            source="A2",
            referrer=referral_services.Referrer(name="Jo Bloggs"),
            family=_new_family(world, ""),
            reason="Low mood",
            consent_given=True,
        )

    one = referral_services.submit_referral(intake=intake(), actor=actor)
    seen = referral_services.latest_status(one).pk
    referral_services.decide(actor=actor, referral=one, seen_status_id=seen, decision=decision)
    one.refresh_from_db()
    home = family_bulk.create_families(items=[_new_family(world, "")], source="Import", actor=actor)[0]
    [other] = referral_bulk.receive_referrals(
        items=[
            referral_bulk.PastReferral(intake=intake(), family=home, received_at=one.received_at, accepted=decision)
        ],
        actor=actor,
    )
    other.refresh_from_db()
    assert _fields(one, "status_at") == _fields(other, "status_at")
    history = [[(s.status, s.by_id, s.note) for s in r.history.order_by("id")] for r in (one, other)]
    assert (
        history[0]
        == history[1]
        == [(Status.RECEIVED, None, "Referral received"), (Status.ACCEPTED, team_lead.pk, "Imported")]
    )
    assert _events(one, "referral.received", "referral.accepted") == _events(
        other, "referral.received", "referral.accepted"
    )


def test_allocate_episodes_writes_what_allocate_episode_writes(
    world: World, team_lead: User, practitioner: User
) -> None:
    capacity(world.hub, practitioner)
    actor = Actor.system("import", for_user=team_lead)
    therapy = intervention()
    one = care_services.allocate_episode(
        actor=actor, referral=waiting_referral(world.hub), lead=practitioner, interventions=[therapy]
    )
    referral = waiting_referral(world.hub)
    [other] = care_bulk.allocate_episodes(
        actor=actor,
        items=[
            care_bulk.PastAllocation(
                referral=referral, lead=practitioner, interventions=[therapy], opened_at=one.opened_at
            )
        ],
        override_reason="Imported",
    )
    for episode in (one, other):
        episode.refresh_from_db()
    assert _fields(one, "last_event_at") == _fields(other, "last_event_at")
    for name in ("interventions", "infants", "carers"):
        assert getattr(one, name).count() == getattr(other, name).count() > 0
    workers = [[(w.practitioner_id, w.role, w.ended_at) for w in e.workers.all()] for e in (one, other)]
    assert workers[0] == workers[1]
    events = [[(x.kind, x.by_id, x.detail) for x in EpisodeEvent.objects.filter(episode=e)] for e in (one, other)]
    assert events[0] == events[1]
    assert _events(one, "episode.allocated") == _events(other, "episode.allocated")


def test_record_past_contacts_writes_what_booking_and_attendance_write(
    world: World, team_lead: User, practitioner: User
) -> None:
    actor = Actor.system("import", for_user=team_lead)
    opened = timezone.now() - dt.timedelta(days=30)
    episode = open_episode(world.hub, practitioner, opened_at=opened)
    starts = timezone.localtime(opened).replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    one = care_services.book_appointment(
        actor=actor,
        episode=episode,
        kind="home_visit",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        practitioner=practitioner,
    )
    one = care_services.record_attendance(
        actor=actor, appointment=one, attendance="5", infants=episode.infants.all(), carers=episode.carers.all()
    )
    later = starts + dt.timedelta(days=7)
    [other] = care_bulk.record_past_contacts(
        actor=actor,
        items=[
            care_bulk.PastContact(
                episode=episode,
                kind="home_visit",
                starts_at=later,
                ends_at=later + dt.timedelta(hours=1),
                practitioner=practitioner,
                attendance="5",
            )
        ],
    )
    one.refresh_from_db()
    other.refresh_from_db()
    assert _fields(one, "starts_at", "ends_at", "attendance_recorded_at") == _fields(
        other, "starts_at", "ends_at", "attendance_recorded_at"
    )
    assert one.consultation_mechanism  # an attended contact always has one (MHSDS)
    assert set(one.attended_infants.all()) == set(other.attended_infants.all())
    assert set(one.attended_carers.all()) == set(other.attended_carers.all())
    actions = ("appointment.booked", "appointment.attendance_recorded")
    assert _events(one, *actions) == _events(other, *actions)


def test_record_past_contacts_refuses_a_double_booking(world: World, team_lead: User, practitioner: User) -> None:
    actor = Actor.system("import", for_user=team_lead)
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))
    starts = timezone.now() - dt.timedelta(days=3)
    contact = care_bulk.PastContact(
        episode=episode,
        kind="phone",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        practitioner=practitioner,
        attendance="5",
    )
    with pytest.raises(care_services.DoubleBooked):
        care_bulk.record_past_contacts(actor=actor, items=[contact, contact])
    assert not Appointment.objects.exists()


def test_record_administrations_scores_and_alerts_as_record_administration(
    world: World, team_lead: User, practitioner: User
) -> None:
    actor = Actor.system("import", for_user=team_lead)
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))
    carer = episode.carers.first()
    answers = [1, 1, 2, 1, 2, 2, 2, 2, 2, 2]  # item 10 scores 1: a risk alert
    day = timezone.localdate() - dt.timedelta(days=1)
    one = outcome_services.record_administration(
        actor=actor,
        episode=episode,
        instrument="EPDS",
        answers=answers,
        time_point="assessment",
        completed_on=day,
        source=Source.IMPORT,
        carer=carer,
    )
    [other] = outcome_bulk.record_administrations(
        actor=actor,
        items=[
            outcome_bulk.PastMeasure(
                episode=episode, instrument="EPDS", answers=answers, time_point="review", completed_on=day, carer=carer
            )
        ],
    )
    other.refresh_from_db()
    assert _fields(one, "time_point") == _fields(other, "time_point")
    assert one.alerts == other.alerts != []
    assert FamilyAlert.objects.filter(family=episode.family).count() == 2
    assert Task.objects.filter(kind="risk_alert").count() == 2 * len({practitioner.pk, team_lead.pk})
    assert _events(one, "outcomes.administration_recorded") == _events(other, "outcomes.administration_recorded")
    assert Administration.objects.count() == 2
    assert Referral.objects.count() == Episode.objects.count() == 1
