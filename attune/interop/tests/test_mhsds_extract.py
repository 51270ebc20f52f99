"""The pure MHSDS builder: facts in, the month's tables out, with no database."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

from attune.interop import mhsds_extract as mx

JAN = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def submission(**changes: object) -> mx.Submission:
    values: dict[str, object] = {
        "provider_code": "RXL",
        "commissioner_code": "QE1",
        "team_local_id": "TEAM0000000000000001",
        "team_type": "C02",
        "month_start": JAN[0],
        "month_end": JAN[1],
        "created_at": dt.datetime(2025, 2, 3, 9, 30),
    }
    values.update(changes)
    return mx.Submission(**values)  # type: ignore[arg-type]


BABY = mx.Person(
    local_id="INF00000000000000001",
    kind="I",
    family_id="fam-1",
    nhs_number="9434765919",
    nhs_number_status="01",
    birth_date=dt.date(2024, 9, 1),
    postcode="FY1 1AA",
    ethnic_category="A",
)
MUM = mx.Person(
    local_id="CAR00000000000000001",
    kind="C",
    family_id="fam-1",
    nhs_number="9434765870",
    nhs_number_status="01",
    birth_date=dt.date(1995, 5, 17),
    postcode="FY1 1AA",
    ethnic_category="B",
)
UNBORN = mx.Person(
    local_id="INF00000000000000002",
    kind="I",
    family_id="fam-1",
    nhs_number="",
    nhs_number_status="07",
    birth_date=None,
    postcode="FY1 1AA",
    ethnic_category="99",
    born=False,
)


def episode(*people: mx.Person, discharged_on: dt.date | None = None) -> mx.Episode:
    return mx.Episode(
        episode_id="ep-1",
        referral_reference="PIR-ACDE-FGHJ",
        referral_received_at=dt.datetime(2024, 11, 4, 10, 15),
        source_of_referral="A2",
        discharged_on=discharged_on,
        people=people or (BABY, MUM),
    )


def contact(
    attendance: str = "5", attended: tuple[str, ...] = (BABY.local_id, MUM.local_id), **changes: object
) -> mx.Contact:
    values: dict[str, object] = {
        "appointment_id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "episode_id": "ep-1",
        "starts_at": dt.datetime(2025, 1, 14, 10, 0),
        "minutes": 60,
        "attendance": attendance,
        "mechanism": "01",
        "location": "A01",
        "professional_id": "PRO00000000000000001",
        "professional_role": "therapist",
        "attended": attended,
    }
    values.update(changes)
    return mx.Contact(**values)  # type: ignore[arg-type]


def build(**facts: object) -> mx.Extract:
    values: dict[str, object] = {"submission": submission(), "episodes": (episode(),), "contacts": (contact(),)}
    values.update(facts)
    return mx.build(mx.Facts(**values))  # type: ignore[arg-type]


def test_every_table_is_built_with_the_items_named_as_the_specification_names_them() -> None:
    extract = build()
    assert list(extract.tables) == list(mx.TABLES)
    assert extract.tables["MHS000Header"] == [
        {
            "DatSetVer": "6.0",
            "OrgIDProvider": "RXL",
            "OrgIDSubmit": "RXL",
            "PrimSystemInUse": "Attune",
            "ReportingPeriodStartDate": "2025-01-01",
            "ReportingPeriodEndDate": "2025-01-31",
            "DateTimeDatSetCreate": "2025-02-03T09:30:00",
        }
    ]
    for table, rows in extract.tables.items():
        for row in rows:
            assert tuple(row) == mx.COLUMNS[table]


def test_each_baby_and_carer_is_a_patient_with_a_service_request_of_their_own() -> None:
    extract = build()
    assert [r["LocalPatientId"] for r in extract.tables["MHS001MPI"]] == [BABY.local_id, MUM.local_id]
    referrals = extract.tables["MHS101Referral"]
    assert [(r["ServiceRequestId"], r["LocalPatientId"]) for r in referrals] == [
        ("PIR-ACDE-FGHJ-I1", BABY.local_id),
        ("PIR-ACDE-FGHJ-C1", MUM.local_id),
    ]
    assert referrals[0]["ReferralRequestReceivedDate"] == "2024-11-04"
    assert referrals[0]["ReferralRequestReceivedTime"] == "10:15:00"
    assert referrals[0]["SourceOfReferralMH"] == "A2"
    assert referrals[0]["OrgIDComm"] == "QE1"
    assert [r["ServTeamTypeRefToMH"] for r in extract.tables["MHS102ServiceTypeReferredTo"]] == ["C02", "C02"]
    assert extract.tables["MHS001MPI"][1]["NHSNumber"] == "9434765870"
    assert extract.tables["MHS001MPI"][1]["PersonBirthDate"] == "1995-05-17"


def test_an_unborn_baby_is_left_out_and_the_report_says_so() -> None:
    extract = build(episodes=(episode(BABY, MUM, UNBORN),))
    assert UNBORN.local_id not in {r["LocalPatientId"] for r in extract.tables["MHS001MPI"]}
    assert any("1 unborn baby is not submitted" in note for note in extract.notes)


def test_an_attended_contact_is_a_care_contact_and_activity_for_each_person_who_came() -> None:
    extract = build(contacts=(contact(attended=(MUM.local_id,)),))
    [care] = extract.tables["MHS201CareContact"]
    assert care["ServiceRequestId"] == "PIR-ACDE-FGHJ-C1"
    assert care["CareContactId"] == "0F1E2D3C4B5A6978C1"
    assert (care["CareContDate"], care["CareContTime"], care["ClinContDurOfCareCont"]) == (
        "2025-01-14",
        "10:00:00",
        "60",
    )
    assert (care["ConsMechanismMH"], care["ActLocTypeCode"], care["AttendStatus"]) == ("01", "A01", "5")
    [activity] = extract.tables["MHS202CareActivity"]
    assert activity == {
        "CareActId": "0F1E2D3C4B5A6978C1A",
        "CareContactId": "0F1E2D3C4B5A6978C1",
        "CareProfLocalId": "PRO00000000000000001",
        "ClinContactDurOfCareAct": "60",
    }
    assert extract.tables["MHS901StaffDetails"] == [
        {"CareProfLocalId": "PRO00000000000000001", "CareProfStaffGpMH": ""}
    ]


def test_a_missed_contact_has_no_care_activity() -> None:
    extract = build(contacts=(contact(attendance="3"),))
    assert [r["AttendStatus"] for r in extract.tables["MHS201CareContact"]] == ["3", "3"]
    assert extract.tables["MHS202CareActivity"] == []
    assert extract.tables["MHS901StaffDetails"] == []


def test_the_trust_maps_each_role_to_its_staff_group_code() -> None:
    extract = build(staff_groups={"therapist": "07"})
    assert extract.tables["MHS901StaffDetails"][0]["CareProfStaffGpMH"] == "07"


def test_a_measure_with_a_snomed_code_is_a_coded_scored_assessment_and_one_without_is_counted() -> None:
    def measure(instrument: str, total: str | None) -> mx.Measure:
        return mx.Measure(
            administration_id=f"adm-{instrument}",
            episode_id="ep-1",
            instrument=instrument,
            person_id=MUM.local_id,
            professional_id="PRO00000000000000001",
            total=Decimal(total) if total is not None else None,
            completed_on=dt.date(2025, 1, 20),
        )

    extract = build(measures=(measure("EPDS", "14.00"), measure("CORE10", "12.50"), measure("PBQ", "20")))
    assert extract.tables["MHS606CodedScoreAssessmentRefer"] == [
        {
            "ServiceRequestId": "PIR-ACDE-FGHJ-C1",
            "CareProfLocalId": "PRO00000000000000001",
            "CodedAssToolType": "450320001",
            "PersScore": "14",
            "AssToolCompTimestamp": "2025-01-20T00:00:00",
        },
        {
            "ServiceRequestId": "PIR-ACDE-FGHJ-C1",
            "CareProfLocalId": "PRO00000000000000001",
            "CodedAssToolType": "718583008",
            "PersScore": "12.5",
            "AssToolCompTimestamp": "2025-01-20T00:00:00",
        },
    ]
    assert any(note.startswith("1 PBQ score is not submitted") for note in extract.notes)


def test_consultation_and_training_given_is_counted_not_submitted() -> None:
    extract = build(team_activities=3)
    assert extract.tables["MHS204IndirectActivity"] == []
    assert any(note.startswith("3 consultation and training sessions") for note in extract.notes)


def test_the_count_per_table_and_the_families_in_it() -> None:
    extract = build()
    assert dict(extract.counts())["MHS201CareContact"] == 2
    assert extract.family_ids() == {"fam-1"}


def test_the_zip_holds_one_csv_per_table_named_for_it_with_the_items_as_headings() -> None:
    extract = build()
    with zipfile.ZipFile(io.BytesIO(mx.to_zip(extract))) as archive:
        names = archive.namelist()
        assert names == [f"MHSDS_RXL_2025-01/{table}.csv" for table in mx.TABLES]
        rows = list(csv.reader(io.StringIO(archive.read("MHSDS_RXL_2025-01/MHS201CareContact.csv").decode())))
    assert rows[0] == list(mx.COLUMNS["MHS201CareContact"])
    assert len(rows) == 3


def test_a_cell_that_would_open_as_a_formula_is_quoted() -> None:
    text = mx.to_csv("MHS001MPI", [{**dict.fromkeys(mx.COLUMNS["MHS001MPI"], ""), "Postcode": "=HYPERLINK(1)"}])
    assert "'=HYPERLINK(1)" in text
