"""Each MHSDS validation rule on its own, on tables built by the pure builder: no database."""

import dataclasses
import datetime as dt

import pytest

from attune.interop import mhsds_extract as mx
from attune.interop import mhsds_rules as rules
from attune.interop.tests.test_mhsds_extract import BABY, MUM, build, contact, episode


def errors(extract: mx.Extract) -> list[tuple[str, str, str]]:
    return [(f.table, f.item, f.rule) for f in rules.validate(extract).errors]


def test_a_good_month_passes_with_warnings_only_for_what_attune_does_not_hold() -> None:
    validation = rules.validate(build())
    assert validation.passed
    assert {(f.table, f.item) for f in validation.warnings} == {
        ("MHS001MPI", "Gender"),
        ("MHS901StaffDetails", "CareProfStaffGpMH"),
    }
    gender = next(f for f in validation.warnings if f.item == "Gender")
    assert gender.rule == "Gender is missing in 2 of 2 rows; the data set asks for it"


@pytest.mark.parametrize(
    ("number", "valid"),
    [("9434765919", True), ("9434765870", True), ("9434765918", False), ("943476591", False), ("94347659AB", False)],
)
def test_nhs_number_check_digit(number: str, valid: bool) -> None:
    assert rules.nhs_number_is_valid(number) is valid


def test_an_nhs_number_with_a_wrong_check_digit_is_an_error_that_names_the_person() -> None:
    extract = build(episodes=(episode(dataclasses.replace(BABY, nhs_number="9434765918"), MUM),))
    [finding] = rules.validate(extract).errors
    assert (finding.table, finding.row, finding.record_id, finding.item) == ("MHS001MPI", 1, BABY.local_id, "NHSNumber")
    assert finding.rule == "The NHS number's check digit is wrong"
    assert finding.source == mx.Source("family", "fam-1")
    assert "NHS number" in finding.mend


def test_a_missing_mandatory_item_is_an_error() -> None:
    extract = build(episodes=(episode(dataclasses.replace(MUM, birth_date=None)),), contacts=())
    assert errors(extract) == [("MHS001MPI", "PersonBirthDate", "PersonBirthDate is mandatory")]


def test_codes_outside_the_national_lists_are_errors() -> None:
    odd = contact(mechanism="03", location="Z99", attendance="5")
    extract = build(contacts=(odd,), episodes=(dataclasses.replace(episode(), source_of_referral="ZZ"),))
    found = errors(extract)
    assert ("MHS201CareContact", "ConsMechanismMH", "'03' is not a consultation mechanism code") in found
    assert ("MHS201CareContact", "ActLocTypeCode", "'Z99' is not an activity location type code") in found
    assert ("MHS101Referral", "SourceOfReferralMH", "'ZZ' is not a source of referral for mental health code") in found


def test_every_consultation_mechanism_in_the_data_dictionary_is_accepted() -> None:
    for code in ("01", "02", "04", "05", "09", "10", "11", "12", "13", "98"):
        assert rules.validate(build(contacts=(contact(mechanism=code, location="A01"),))).passed, code


def test_an_attended_contact_without_a_mechanism_is_an_error_linked_to_the_appointment() -> None:
    extract = build(contacts=(contact(mechanism=""),))
    found = rules.validate(extract).errors
    assert {(f.item, f.rule) for f in found} == {("ConsMechanismMH", "An attended contact needs its mechanism")}
    assert found[0].source == mx.Source("appointment", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")


def test_a_face_to_face_contact_needs_its_location_but_a_call_does_not() -> None:
    assert (
        errors(build(contacts=(contact(location=""),)))
        == [("MHS201CareContact", "ActLocTypeCode", "A face to face contact needs its location")] * 2
    )
    assert errors(build(contacts=(contact(mechanism="02", location=""),))) == []


def test_a_contact_outside_the_month_is_an_error() -> None:
    late = contact(starts_at=dt.datetime(2025, 2, 1, 9, 0))
    assert ("MHS201CareContact", "CareContDate", "The contact is not in the month") in errors(build(contacts=(late,)))


def test_a_contact_before_the_referral_was_received_is_an_error() -> None:
    early = dataclasses.replace(episode(), referral_received_at=dt.datetime(2025, 1, 20, 9, 0))
    found = errors(build(episodes=(early,)))
    assert ("MHS201CareContact", "CareContDate", "The contact is before the referral was received") in found


def test_a_discharge_before_the_referral_and_a_contact_after_the_discharge_are_errors() -> None:
    ended = episode(discharged_on=dt.date(2025, 1, 10))
    assert ("MHS201CareContact", "CareContDate", "The contact is after the discharge") in errors(
        build(episodes=(ended,))
    )
    backwards = episode(discharged_on=dt.date(2024, 11, 1))
    assert ("MHS101Referral", "ServDischDate", "The discharge is before the referral was received") in errors(
        build(episodes=(backwards,), contacts=())
    )


def test_a_discharge_after_the_month_is_an_error() -> None:
    later = episode(discharged_on=dt.date(2025, 2, 2))
    assert ("MHS101Referral", "ServDischDate", "Discharged after the month ends") in errors(
        build(episodes=(later,), contacts=())
    )


def test_a_contact_that_was_not_attended_with_a_care_activity_is_an_error() -> None:
    extract = build(contacts=(contact(attendance="3"),))
    contact_id = extract.tables["MHS201CareContact"][0]["CareContactId"]
    extract.tables["MHS202CareActivity"].append(
        {"CareActId": "X1", "CareContactId": contact_id, "CareProfLocalId": "", "ClinContactDurOfCareAct": "60"}
    )
    assert ("MHS202CareActivity", "CareContactId", "A contact that was not attended has no care activity") in errors(
        extract
    )


def test_a_row_that_refers_to_nothing_and_a_record_twice_are_errors() -> None:
    extract = build()
    extract.tables["MHS201CareContact"].append(dict(extract.tables["MHS201CareContact"][0], ServiceRequestId="NOPE"))
    found = errors(extract)
    assert ("MHS201CareContact", "ServiceRequestId", "NOPE is not in the table it refers to") in found
    assert ("MHS201CareContact", "CareContactId", "The same record is in the table more than once") in found


def test_an_attendance_status_outside_the_list_is_an_error() -> None:
    assert ("MHS201CareContact", "AttendStatus", "'0' is not an attendance status code") in errors(
        build(contacts=(contact(attendance="0"),))
    )


def test_a_team_type_and_provider_code_of_the_wrong_shape_are_errors() -> None:
    extract = build(
        submission=dataclasses.replace(build().submission, provider_code="not a code", team_type="perinatal")
    )
    found = {(table, item) for table, item, _ in errors(extract)}
    assert ("MHS000Header", "OrgIDProvider") in found
    assert ("MHS102ServiceTypeReferredTo", "ServTeamTypeRefToMH") in found


def test_findings_come_errors_first_in_the_order_of_the_tables() -> None:
    extract = build(
        episodes=(episode(dataclasses.replace(BABY, nhs_number="9434765918"), MUM),),
        contacts=(contact(mechanism=""),),
    )
    tables = [(f.severity, f.table) for f in rules.validate(extract).findings]
    assert tables[:3] == [("error", "MHS001MPI"), ("error", "MHS201CareContact"), ("error", "MHS201CareContact")]
    assert {severity for severity, _ in tables[3:]} == {"warning"}


@pytest.mark.parametrize("module", ["mhsds_extract.py", "mhsds_rules.py"])
def test_the_builder_and_the_rules_stay_pure(module: str) -> None:
    """DESIGN.md: pure cores import no Django (tests/test_conventions.py's PURE_MODULES should
    list them too)."""
    import ast
    from pathlib import Path

    path = Path(rules.__file__).parent / module
    imported = [
        name
        for node in ast.walk(ast.parse(path.read_text()))
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in getattr(node, "names", [])]
            if isinstance(node, ast.Import)
            else []
        )
    ]
    assert not [name for name in imported if name.startswith("django")]
