"""Reading a FHIR ServiceRequest into a referral, without the database: a ServiceRequest with
its Patients contained, a Bundle, an unborn baby, and a clear refusal for every kind of bad
input (each says what to change)."""

import ast
import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from attune.interop import fhir_codes, fhir_inbound
from attune.interop.fhir_inbound import FhirInputError, read, read_json

SAMPLES = Path(__file__).parent / "samples"
TODAY = dt.date(2026, 12, 1)  # the samples' dates are around this day


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SAMPLES / name).read_text())
    return loaded


def contained() -> dict[str, Any]:
    return sample("service_request_contained.json")


def refusal(payload: object, *, today: dt.date = TODAY) -> FhirInputError:
    with pytest.raises(FhirInputError) as caught:
        read(payload, today=today)
    return caught.value


@pytest.mark.parametrize("module", [fhir_inbound, fhir_codes])
def test_the_reader_and_the_code_lists_are_plain_python(module: object) -> None:
    tree = ast.parse(Path(module.__file__).read_text())  # type: ignore[attr-defined]
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.split(".")[0] in ("django", "attune")]


def test_a_health_visitors_request_with_contained_patients() -> None:
    found = read(contained(), today=TODAY)
    assert found.key == "https://health-visiting.example.nhs.uk/referrals|HV-2026-0001"
    [baby] = found.babies
    assert (baby.given_name, baby.family_name, baby.birth_date) == ("Ben", "Example", dt.date(2026, 9, 1))
    assert baby.nhs_number == "9434765870"
    [mum] = found.carers
    assert (mum.given_name, mum.relationship, mum.nhs_number, mum.phone) == (
        "Amy",
        "mother",
        "9434765919",
        "07700 900123",
    )
    assert found.source == "A2"  # health visitor
    assert not found.self_referral
    assert (found.referrer_name, found.referrer_role, found.referrer_organisation) == (
        "Helen Visitor",
        "Health visitor",
        "Seaside Health Visiting Team",
    )
    assert found.referrer_email == "helen.visitor@example.nhs.uk"
    assert "traumatic birth" in found.reason
    assert "Best to call in the morning" in found.reason
    assert (found.address_lines, found.town, found.postcode) == (["1 Sea Road"], "Blackpool", "FY1 1AA")
    assert found.gp_practice == "Seaside Medical Practice"


def test_a_bundle_about_an_unborn_baby_names_the_mother_and_the_due_date() -> None:
    found = read(sample("service_request_bundle.json"), today=TODAY)
    assert found.key == "https://gp.example.nhs.uk/referrals|GP-77"
    [baby] = found.babies
    assert (baby.birth_date, baby.due_date, baby.family_name) == (None, dt.date(2027, 3, 15), "Sample")
    [mother] = found.carers
    assert (mother.given_name, mother.relationship, mother.nhs_number) == ("Cara", "mother", "9449305552")
    assert found.reason == "Postpartum depression"
    assert found.referrer_name == "Gita Doctor"
    assert found.source == "M6"  # a practitioner with no role given: "other service"
    assert found.postcode == "BB1 1AA"


def test_a_request_without_an_identifier_is_known_by_its_id() -> None:
    payload = contained()
    del payload["identifier"]
    assert read(payload, today=TODAY).key == "id|hv-referral-0001"


def test_the_file_must_be_json() -> None:
    with pytest.raises(FhirInputError, match=r"not valid JSON \(line 1, column 2"):
        read_json(b"{nonsense")
    with pytest.raises(FhirInputError, match="not text in UTF-8"):
        read_json("{}".encode("utf-16"))
    with pytest.raises(FhirInputError, match="send a JSON object with a resourceType of ServiceRequest"):
        read_json(b"[1, 2]")
    assert read_json(b'\xef\xbb\xbf{"resourceType": "ServiceRequest"}') == {"resourceType": "ServiceRequest"}


def test_a_resource_of_the_wrong_type_is_named() -> None:
    patient = contained()["contained"][0]
    assert refusal(patient).message == "This is a Patient; send a ServiceRequest (or a Bundle holding one)"
    assert "This is an Observation" in refusal({"resourceType": "Observation"}).message
    assert "has no resourceType" in refusal({"status": "active"}).message
    assert "not a FHIR resource" in refusal("ServiceRequest").message


def test_a_bundle_must_hold_exactly_one_service_request() -> None:
    empty = {"resourceType": "Bundle", "type": "collection", "entry": []}
    assert "holds no ServiceRequest" in refusal(empty).message
    twice = sample("service_request_bundle.json")
    twice["entry"].append(copy.deepcopy(twice["entry"][0]))
    assert "holds 2 ServiceRequests: send one referral at a time" in refusal(twice).message


def test_invalid_fhir_says_which_element() -> None:
    payload = contained()
    payload["contained"][0]["birthDate"] = "2026-02-30"
    error = refusal(payload)
    assert error.element == "ServiceRequest.contained[0].birthDate"
    assert error.message.startswith("This is not valid FHIR R4: ServiceRequest.contained[0].birthDate is not valid")
    bundle = sample("service_request_bundle.json")
    bundle["entry"][1]["resource"]["gender"] = ["female"]
    assert refusal(bundle).element == "Bundle.entry[1].resource.gender"
    unknown = contained()
    unknown["colour"] = "blue"
    assert "ServiceRequest.colour" in refusal(unknown).message


def test_a_missing_subject_is_refused() -> None:
    payload = contained()
    del payload["subject"]
    error = refusal(payload)
    assert "ServiceRequest.subject is missing" in error.message
    payload = contained()
    payload["subject"] = {"display": "Ben"}
    assert refusal(payload).message.startswith("The ServiceRequest has no subject")


def test_a_subject_that_is_not_in_what_was_sent_is_refused() -> None:
    payload = contained()
    payload["subject"] = {"reference": "Patient/elsewhere"}
    assert "(Patient/elsewhere) is not a Patient in what was sent" in refusal(payload).message


def test_an_nhs_number_failing_its_check_digit_is_refused() -> None:
    payload = contained()
    payload["contained"][1]["identifier"][0]["value"] = "9434765918"
    error = refusal(payload)
    assert error.message.startswith("The NHS number 9434765918 on RelatedPerson Amy Example is not a valid NHS number")
    assert "check digit" in error.message


def test_only_an_active_request_is_a_referral() -> None:
    payload = contained()
    payload["status"] = "revoked"
    assert refusal(payload).message == "This ServiceRequest's status is revoked: only an active request is a referral"


def test_a_request_must_say_why() -> None:
    payload = contained()
    del payload["reasonCode"]
    del payload["note"]
    assert "does not say why the family is referred" in refusal(payload).message


def test_a_request_with_no_identifier_or_id_cannot_be_recognised_again() -> None:
    payload = contained()
    del payload["identifier"]
    del payload["id"]
    assert "no identifier or id" in refusal(payload).message


def test_no_baby_is_refused_and_a_birth_in_the_future_is_explained() -> None:
    payload = contained()
    payload["contained"][0]["birthDate"] = "1990-01-01"
    assert refusal(payload).message.startswith("No baby or young child is named")
    payload["contained"][0]["birthDate"] = "2027-01-01"
    assert "is in the future" in refusal(payload).message


def test_a_parent_requesting_for_themselves_is_a_self_referral() -> None:
    payload = contained()
    payload["requester"] = {"reference": "#mum"}
    found = read(payload, today=TODAY)
    assert found.self_referral
    assert found.source == "B1"
