"""The FHIR Bundle of a family, built from unsaved records (no database): UK Core identifiers and
extensions, who is related to whom, care, measures without their wording, consent governing the
safeguarding flags and risk alerts, stable ids, and the Bundle parsing back with fhir.resources."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from attune.care.models import Appointment, Episode
from attune.families.models import Carer, Consent, Family, FamilyAlert, Infant, SafeguardingFlag
from attune.families.safeguarding_models import SafeguardingReferral
from attune.interop import fhir_bundle, fhir_export
from attune.interop.fhir_bundle import AlertFacts, ContactFacts, EpisodeFacts, FamilyRecord, Receiver
from attune.outcomes.models import Administration

AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
GP = Receiver("share_gp")


def people() -> tuple[Family, Infant, Carer]:
    family = Family(address_line_1="1 Sea Road", town="Blackpool", postcode="FY1 1AA")
    baby = Infant(
        family=family,
        given_name="Ben",
        family_name="Example",
        date_of_birth=dt.date(2026, 11, 1),
        nhs_number="",
        nhs_number_status="08",
    )
    mum = Carer(
        family=family,
        given_name="Amy",
        family_name="Example",
        relationship="mother",
        nhs_number="9434765919",
        nhs_number_status="01",
        ethnicity="A",
        phone="07700900123",
        email="amy@example.com",
        email_is_safe=False,
        date_of_birth=dt.date(1995, 4, 12),
    )
    return family, baby, mum


def consent(person: Infant | Carer, purpose: str, decision: str = "given", **more: Any) -> Consent:
    fields: dict[str, Any] = {"infant": person} if isinstance(person, Infant) else {"carer": person}
    return Consent(purpose=purpose, decision=decision, how="spoken", created_at=AT, **fields, **more)


def record(**more: Any) -> FamilyRecord:
    family, baby, mum = people()
    fields: dict[str, Any] = {"family": family, "infants": [baby], "carers": [mum], "receiver": GP, "at": AT}
    return FamilyRecord(**(fields | more))


def build(found: FamilyRecord) -> dict[str, Any]:
    bundle = fhir_bundle.build(found, bundle_id=str(uuid.uuid4()))
    fhir_export.validate(bundle)  # every Bundle in these tests parses back with the FHIR models
    return bundle


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def test_a_patient_per_baby_and_carer_with_the_nhs_number_and_its_verification_status() -> None:
    bundle = build(record())
    assert bundle["type"] == "collection"
    baby, mum = resources(bundle, "Patient")
    assert baby["meta"]["profile"] == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]
    [identifier] = mum["identifier"]
    assert (identifier["system"], identifier["value"]) == ("https://fhir.nhs.uk/Id/nhs-number", "9434765919")
    [status] = identifier["extension"]
    assert status["url"] == "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
    assert status["valueCodeableConcept"]["coding"][0] == {
        "system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland",
        "code": "01",
        "display": "Number present and verified",
    }
    # A baby under six weeks with no number yet: the status travels without a value.
    [baby_identifier] = baby["identifier"]
    assert "value" not in baby_identifier
    assert baby_identifier["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "08"
    assert baby["birthDate"] == "2026-11-01"
    assert baby["address"] == [{"use": "home", "line": ["1 Sea Road"], "city": "Blackpool", "postalCode": "FY1 1AA"}]


def test_ethnic_category_is_sent_where_it_is_held() -> None:
    baby, mum = resources(build(record()), "Patient")
    assert mum["extension"] == [
        {
            "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
            "valueCodeableConcept": {
                "coding": [{"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland", "code": "A"}]
            },
        }
    ]
    assert "extension" not in baby  # "99", not known, is not a category


def test_only_a_phone_or_email_marked_safe_is_passed_on() -> None:
    _, mum = resources(build(record()), "Patient")
    assert mum["telecom"] == [{"system": "phone", "value": "07700900123"}]


def test_a_related_person_for_each_carer_and_baby() -> None:
    family, baby, mum = people()
    twin = Infant(family=family, given_name="Bea", date_of_birth=dt.date(2026, 11, 1), nhs_number_status="08")
    dad = Carer(family=family, given_name="Dan", relationship="foster_carer", nhs_number_status="03")
    bundle = build(record(infants=[baby, twin], carers=[mum, dad]))
    related = resources(bundle, "RelatedPerson")
    assert len(related) == 4
    first = related[0]
    assert first["patient"]["reference"] == f"urn:uuid:{baby.pk}"
    assert first["relationship"][0]["coding"][0]["code"] == "MTH"
    foster = related[2]
    assert foster["relationship"] == [{"text": "Foster carer"}]  # no guessed code
    mum_patient = resources(bundle, "Patient")[2]
    assert [link["other"]["reference"] for link in mum_patient["link"]] == [
        f"urn:uuid:{related[0]['id']}",
        f"urn:uuid:{related[1]['id']}",
    ]


def test_ids_are_the_attune_ids_and_stay_the_same_from_one_export_to_the_next() -> None:
    found = record()
    first, second = build(found), build(found)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert first["entry"][0]["fullUrl"] == f"urn:uuid:{found.infants[0].pk}"
    assert all(entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}" for entry in first["entry"])
    assert first["id"] != second["id"]  # each download is its own Bundle


def care(found: FamilyRecord) -> tuple[Episode, Appointment]:
    episode = Episode(family=found.family, opened_at=AT - dt.timedelta(days=60))
    visit = Appointment(
        episode=episode,
        kind="video",
        starts_at=AT - dt.timedelta(days=7),
        ends_at=AT - dt.timedelta(days=7, minutes=-50),
        attendance="5",
    )
    return episode, visit


def test_an_episode_of_care_and_an_encounter_per_attended_contact() -> None:
    found = record()
    episode, visit = care(found)
    baby, mum = found.infants[0], found.carers[0]
    facts = EpisodeFacts(
        episode, "Example hub team", "Pat Practitioner", [baby.pk], [mum.pk], AT - dt.timedelta(days=1)
    )
    contact = ContactFacts(visit, ["Pat Practitioner"], [baby.pk], [mum.pk])
    bundle = build(record(family=found.family, infants=[baby], carers=[mum], episodes=[facts], contacts=[contact]))
    [care_episode] = resources(bundle, "EpisodeOfCare")
    assert care_episode["status"] == "finished"
    assert care_episode["patient"]["reference"] == f"urn:uuid:{baby.pk}"
    assert care_episode["period"] == {"start": "2026-10-01T10:00:00Z", "end": "2026-11-29T10:00:00Z"}
    assert care_episode["careManager"] == {"display": "Pat Practitioner"}
    [seen] = resources(bundle, "Encounter")
    assert seen["class"]["code"] == "VR"
    assert seen["episodeOfCare"] == [{"reference": f"urn:uuid:{episode.pk}"}]
    assert seen["period"] == {"start": "2026-11-23T10:00:00Z", "end": "2026-11-23T10:50:00Z"}
    related = resources(bundle, "RelatedPerson")[0]
    assert seen["participant"] == [
        {"individual": {"display": "Pat Practitioner"}},
        {"individual": {"reference": f"urn:uuid:{related['id']}"}},
    ]


def measure(person: Carer, instrument: str, answers: list[int | None], total: str, band: str = "") -> Administration:
    return Administration(
        instrument=instrument,
        carer=person,
        completed_on=dt.date(2026, 11, 2),
        answers=answers,
        total=Decimal(total),
        band=band,
        complete=True,
        time_point="assessment",
        source="staff",
    )


def test_measures_go_as_item_scores_and_a_total_never_with_their_wording() -> None:
    found = record()
    mum = found.carers[0]
    # EPDS items 3 and 5-10 are reverse scored: the first answer printed scores 3.
    epds = measure(mum, "EPDS", [0, 0, 0, 0, 0, 0, 0, 0, 0, 3], "24", band="Probable depression")
    phq = measure(mum, "PHQ9", [1, 1, 1, 1, 1, 1, 1, 1, 0], "8")
    bundle = build(record(family=found.family, infants=found.infants, carers=[mum], measures=[epds, phq]))
    epds_answers, _ = resources(bundle, "QuestionnaireResponse")
    assert epds_answers["subject"]["reference"] == f"urn:uuid:{mum.pk}"
    assert [item["answer"][0]["valueInteger"] for item in epds_answers["item"]] == [0, 0, 3, 0, 3, 3, 3, 3, 3, 0]
    assert all(set(item) == {"linkId", "answer"} for item in epds_answers["item"])  # no item text
    epds_total, phq_total = resources(bundle, "Observation")
    assert epds_total["valueInteger"] == 24
    assert epds_total["interpretation"] == [{"text": "Probable depression"}]
    # The EPDS's LOINC code is not confirmed, so it goes by name only.
    assert epds_total["code"] == {"text": "Edinburgh Postnatal Depression Scale total score"}
    assert phq_total["code"]["coding"] == [
        {
            "system": "http://loinc.org",
            "code": "44261-6",
            "display": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        }
    ]
    assert phq_total["derivedFrom"] == [{"reference": f"urn:uuid:{phq.pk}"}]


def flagged(people_of: tuple[Family, Infant, Carer] | None = None, **more: Any) -> FamilyRecord:
    family, baby, mum = people_of or people()
    flag = SafeguardingFlag(family=family, kind="child_in_need", detail="Named social worker: J Smith", created_at=AT)
    referral = SafeguardingReferral(family=family, infant=baby, concern="Free text", referred_on=dt.date(2026, 11, 3))
    alert = FamilyAlert(family=family, message="EPDS item 10 answered above 0", created_at=AT)
    fields: dict[str, Any] = {
        "family": family,
        "infants": [baby],
        "carers": [mum],
        "receiver": GP,
        "at": AT,
        "flags": [flag],
        "referrals": [(referral, "child_protection_plan")],
        "alerts": [AlertFacts(alert, mum.pk)],
    }
    return FamilyRecord(**(fields | more))


def test_no_consent_recorded_means_no_safeguarding_flag_or_risk_alert_is_sent() -> None:
    found = flagged()
    assert resources(build(found), "Flag") == []
    assert found.left_out == ["3 safeguarding or risk flags (no consent recorded to share with this receiver)"]


def test_consent_to_share_with_the_receiver_lets_each_persons_flags_go() -> None:
    _, baby, mum = people_of = people()
    # The baby's consent (given by a carer) covers the flag and the referral; the mother's the alert.
    found = flagged(people_of, consents=[consent(baby, "share_gp")])
    flags = resources(build(found), "Flag")
    assert [flag["code"]["text"] for flag in flags] == [
        "Safeguarding: Child in need plan",
        "Referred to children's social care: Child protection plan",
    ]
    assert all(flag["subject"]["reference"] == f"urn:uuid:{baby.pk}" for flag in flags)
    assert "Named social worker" not in str(flags)
    assert "Free text" not in str(flags)
    assert found.left_out == ["1 safeguarding or risk flag (no consent recorded to share with this receiver)"]
    both = flagged(people_of, consents=[consent(baby, "share_gp"), consent(mum, "share_gp")])
    assert len(resources(build(both), "Flag")) == 3


@pytest.mark.parametrize(
    ("decision", "receiver", "sent"),
    [
        (consent(Infant(), "share_gp", "refused"), GP, False),
        (consent(Infant(), "share_gp", withdrawn_at=AT), GP, False),
        (consent(Infant(), "share_health_visitor"), GP, False),
        (consent(Infant(), "share_other", agency="Women's Aid"), Receiver("share_other", "women's aid "), True),
        (consent(Infant(), "share_other", agency="Women's Aid"), Receiver("share_other", "Housing"), False),
    ],
)
def test_only_consent_given_and_standing_for_this_receiver_counts(
    decision: Consent, receiver: Receiver, sent: bool
) -> None:
    baby = decision.infant
    assert fhir_bundle.may_share([decision], baby.pk, receiver) is sent  # type: ignore[union-attr]


def test_the_recorded_decisions_go_as_consent_resources() -> None:
    found = record()
    baby, mum = found.infants[0], found.carers[0]
    decisions = [
        consent(mum, "assessment_treatment"),
        consent(mum, "contact_text", "refused"),
        consent(baby, "research", withdrawn_at=AT + dt.timedelta(days=1)),
    ]
    bundle = build(record(family=found.family, infants=[baby], carers=[mum], consents=decisions))
    treatment, text, research = resources(bundle, "Consent")
    assert treatment["status"] == "active"
    assert treatment["scope"]["coding"][0]["code"] == "treatment"
    assert treatment["provision"] == {"type": "permit"}
    assert treatment["policyRule"]["coding"][0]["code"] == "OPTIN"
    assert text["category"] == [{"text": "Contact by text message"}]
    assert text["scope"]["coding"][0]["code"] == "patient-privacy"
    assert text["provision"] == {"type": "deny"}
    assert research["status"] == "inactive"
    assert research["patient"]["reference"] == f"urn:uuid:{baby.pk}"
    assert research["provision"]["period"]["end"] == "2026-12-01T10:00:00Z"


def test_a_bundle_that_does_not_parse_is_refused_before_it_leaves() -> None:
    bundle = fhir_bundle.build(record(), bundle_id=str(uuid.uuid4()))
    bundle["entry"][0]["resource"]["birthDate"] = "1 November 2026"
    with pytest.raises(fhir_export.InvalidBundle, match="birthDate"):
        fhir_export.validate(bundle)
