"""The FHIR actions with the database: a family's Bundle gathered in a fixed number of queries
however long its history, consent deciding the flags, the export audited; a ServiceRequest taken
into the team's inbox once, and every refusal audited."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.queries import queries_for
from attune.families import consent as consent_actions
from attune.families import services as family_services
from attune.families.models import Family
from attune.interop import fhir_export, fhir_services
from attune.interop.fhir_bundle import Receiver
from attune.interop.fhir_models import ReceivedServiceRequest
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_progress import stored
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
GP = Receiver("share_gp")


def contained_request() -> dict[str, Any]:
    """The health visitor's sample, with the baby born seven weeks before today's date."""
    payload: dict[str, Any] = json.loads((SAMPLES / "service_request_contained.json").read_text())
    born = timezone.localdate() - dt.timedelta(weeks=7)
    payload["contained"][0]["birthDate"] = born.isoformat()
    return payload


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def export(practitioner: User, episode: Episode, receiver: Receiver = GP) -> dict[str, Any]:
    made = fhir_services.export_family(
        actor=Actor(user=practitioner), family=episode.family, receiver=receiver, team_ids={episode.team_id}
    )
    bundle: dict[str, Any] = json.loads(made.content)
    return bundle


def visit(episode: Episode, practitioner: User, days_ago: int, attendance: str = Attendance.ATTENDED) -> Appointment:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    made: Appointment = AppointmentFactory(
        episode=episode,
        practitioner=practitioner,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        attendance=attendance,
    )
    made.attended_infants.set(episode.family.infants.all())
    made.attended_carers.set(episode.family.carers.all())
    return made


def test_a_familys_record_is_exported_validated_and_audited(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    visit(episode, practitioner, 3)
    visit(episode, practitioner, 2, attendance=Attendance.DID_NOT_ATTEND)
    mum = episode.family.carers.get()
    stored(episode, "PHQ9", 12, completed_on=timezone.localdate() - dt.timedelta(days=1), carer=mum)
    bundle = export(practitioner, episode)
    assert len(resources(bundle, "Encounter")) == 1  # attended contacts only
    assert resources(bundle, "EpisodeOfCare")[0]["careManager"] == {"display": practitioner.full_name}
    [total] = resources(bundle, "Observation")
    assert total["valueInteger"] == 12
    event = AuditEvent.objects.get(action="fhir.bundle_exported")
    assert event.family_id == episode.family_id
    assert event.actor == practitioner
    assert event.detail["receiver"] == "share_gp"
    assert event.detail["resources"] == len(bundle["entry"])


def test_consent_recorded_in_attune_decides_whether_the_safeguarding_flag_goes(
    world: World, practitioner: User
) -> None:
    episode = open_episode(world.hub, practitioner)
    family = episode.family
    actor = Actor(user=practitioner)
    family_services.raise_flag(actor=actor, family=family, kind="child_in_need")
    assert resources(export(practitioner, episode), "Flag") == []
    baby = family.infants.get()
    mum = family.carers.get()
    mum.parental_responsibility = "yes"
    mum.save()
    decision = consent_actions.record_consent(
        actor=actor, family=family, person=baby, purpose="share_gp", decision="given", how="spoken", given_by=mum
    )
    [flag] = resources(export(practitioner, episode), "Flag")
    assert flag["subject"]["reference"] == f"urn:uuid:{baby.pk}"
    # The health visitor is another receiver: the GP consent does not cover them.
    assert resources(export(practitioner, episode, Receiver("share_health_visitor")), "Flag") == []
    consent_actions.withdraw_consent(actor=actor, consent=decision, how="spoken")
    assert resources(export(practitioner, episode), "Flag") == []
    withdrawn = [c for c in resources(export(practitioner, episode), "Consent") if c["id"] == str(decision.pk)]
    assert withdrawn[0]["status"] == "inactive"


def test_the_export_takes_the_same_queries_however_long_the_history(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner)
    mum = episode.family.carers.get()
    family = episode.family

    def grow(days: int) -> None:
        for day in range(days):
            visit(episode, practitioner, 30 + day)
            stored(episode, "GAD7", day % 21, completed_on=timezone.localdate() - dt.timedelta(days=day), carer=mum)

    def gather() -> object:
        record = fhir_export.gather(family=family, team_ids={world.hub.pk}, receiver=GP, at=timezone.now())
        return fhir_export.build(record)

    grow(1)
    small = queries_for(gather)
    grow(20)
    large = queries_for(gather)
    assert small == large
    assert large <= 15


def test_a_demo_familys_bundle_validates() -> None:
    from attune.nonprod import demo_care, demo_outcomes, demo_record, scenario

    scenario.load()
    demo_care.load_for_scenario()
    demo_outcomes.load_for_scenario()
    demo_record.load_for_scenario()
    families = list(Family.objects.filter(episodes__isnull=False).distinct())
    assert families
    kinds: set[str] = set()
    for family in families:
        team_ids = set(Episode.objects.filter(family=family).values_list("team_id", flat=True))
        record = fhir_export.gather(family=family, team_ids=team_ids, receiver=GP, at=timezone.now())
        bundle = fhir_export.build(record)  # validated with the FHIR models, or InvalidBundle
        kinds |= {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "RelatedPerson", "EpisodeOfCare", "Encounter", "QuestionnaireResponse", "Observation"} <= kinds


# Receiving a ServiceRequest -----------------------------------------------------------------


def test_a_service_request_becomes_a_referral_in_the_teams_inbox(world: World, coordinator: User) -> None:
    referral = fhir_services.receive_service_request(
        actor=Actor(user=coordinator), team=world.hub, payload=contained_request()
    )
    assert referral.team == world.hub
    assert referral.status == Status.RECEIVED
    assert referral.source == "A2"
    assert referral.referrer_name == "Helen Visitor"
    assert "traumatic birth" in referral.reason
    baby = referral.family.infants.get()
    assert (baby.given_name, baby.nhs_number) == ("Ben", "9434765870")
    mum = referral.family.carers.get()
    assert (mum.relationship, mum.is_main_contact, mum.phone_is_safe) == ("mother", True, False)
    assert referral.family.postcode == "FY1 1AA"
    assert referral.family.local_authority == world.hub_area  # FY1 is in the hub's council area
    assert referral.submitted["service_request"] == "https://health-visiting.example.nhs.uk/referrals|HV-2026-0001"
    event = AuditEvent.objects.get(action="fhir.service_request_received")
    assert (event.object_id, event.family_id) == (str(referral.pk), referral.family_id)


def test_the_same_request_twice_makes_one_referral(world: World, coordinator: User) -> None:
    actor = Actor(user=coordinator)
    first = fhir_services.receive_service_request(actor=actor, team=world.hub, payload=contained_request())
    with pytest.raises(fhir_services.AlreadyReceived, match=f"as referral {first.reference}. Nothing new was added"):
        fhir_services.receive_service_request(actor=actor, team=world.hub, payload=contained_request())
    assert Referral.objects.count() == 1
    assert Family.objects.count() == 1
    assert ReceivedServiceRequest.objects.get().referral == first
    # Another team may receive the same request (it was sent to both).
    fhir_services.receive_service_request(actor=actor, team=world.satellite, payload=contained_request())
    assert Referral.objects.count() == 2


def test_a_refusal_is_audited_without_what_was_sent_and_nothing_is_made(world: World, coordinator: User) -> None:
    payload = contained_request()
    payload["contained"][1]["identifier"][0]["value"] = "9434765918"
    with pytest.raises(fhir_services.FhirInputError, match="not a valid NHS number"):
        fhir_services.receive_service_request(actor=Actor(user=coordinator), team=world.hub, payload=payload)
    assert Referral.objects.count() == 0
    event = AuditEvent.objects.get(action="fhir.service_request_refused")
    assert event.outcome == "failure"
    assert event.detail == {"problem": "RelatedPerson.identifier"}
    assert "9434765918" not in json.dumps(event.detail)


def test_an_unborn_baby_is_referred_with_its_due_date(world: World, coordinator: User) -> None:
    payload: dict[str, Any] = json.loads((SAMPLES / "service_request_bundle.json").read_text())
    due = timezone.localdate() + dt.timedelta(weeks=12)
    payload["entry"][2]["resource"]["valueDateTime"] = due.isoformat()
    referral = fhir_services.receive_service_request(
        actor=Actor(user=coordinator), team=world.satellite, payload=payload
    )
    baby = referral.family.infants.get()
    assert (baby.date_of_birth, baby.expected_due_date) == (None, due)
    assert referral.family.carers.get().relationship == "mother"
