"""The checks an MHSDS extract must pass before the trust submits it: mandatory items, national
code lists, date logic and references between tables. Plain Python (DESIGN.md: pure cores).

Each rule says what it checks, and each finding says in which table and row, which item, and how
to mend it in Attune. An error would have the row rejected or counted wrongly; a warning is an item
the data set asks for that Attune does not hold or the trust must set. Only rules whose source
could be found are errors (ADR 0022 lists them and marks what is not confirmed).
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from attune.interop.mhsds_extract import ATTENDED, RECORD_ID, TABLES, Extract, Row, Source

ERROR, WARNING = "error", "warning"

# CONSULTATION MECHANISM (MENTAL HEALTH), NHS Data Dictionary (June 2026 release).
CONSULTATION_MECHANISMS = frozenset({"01", "02", "04", "05", "09", "10", "11", "12", "13", "98"})
# ACTIVITY LOCATION TYPE CODE, NHS Data Dictionary, as copied into UK Core's
# EncounterLocationTypeEngland code system.
ACTIVITY_LOCATION_TYPES = frozenset(
    [
        "A01",
        "A02",
        "A03",
        "A04",
        "B01",
        "B02",
        "C01",
        "C02",
        "C03",
        "D01",
        "D02",
        "D03",
        "E01",
        "E02",
        "E03",
        "E04",
        "E99",
        "F01",
        "G01",
        "G02",
        "G03",
        "G04",
        "H01",
        "J01",
        "K01",
        "K02",
        "L01",
        "L02",
        "L03",
        "L04",
        "L05",
        "L06",
        "L99",
        "M01",
        "M02",
        "M03",
        "M04",
        "M05",
        "M06",
        "M07",
        "N01",
        "N02",
        "N03",
        "N04",
        "N05",
        "X01",
    ]
)
# ATTENDANCE STATUS (was ATTENDED OR DID NOT ATTEND); 0 "appointment in future" is not submitted.
ATTENDANCE_STATUSES = frozenset({"2", "3", "4", "5", "6", "7"})
# SOURCE OF REFERRAL FOR MENTAL HEALTH (domain reference B.4, secondary).
SOURCES_OF_REFERRAL = frozenset(
    [
        "A1",
        "A2",
        "A3",
        "A4",
        "B1",
        "B2",
        "C1",
        "C2",
        "C3",
        "D1",
        "D2",
        "E1",
        "E2",
        "E3",
        "E4",
        "E5",
        "E6",
        "F1",
        "F2",
        "F3",
        "G1",
        "G2",
        "G3",
        "G4",
        "H1",
        "H2",
        "I1",
        "I2",
        "M1",
        "M2",
        "M3",
        "M4",
        "M5",
        "M6",
        "M7",
        "M8",
        "N1",
        "N2",
        "N4",
        "P1",
        "Q1",
    ]
)
# ETHNIC CATEGORY (domain reference B.3).
ETHNIC_CATEGORIES = frozenset(
    ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"]
)
# NHS NUMBER STATUS INDICATOR CODE.
NHS_NUMBER_STATUSES = frozenset({"01", "02", "03", "04", "05", "06", "07", "08"})
ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
TEAM_TYPE = re.compile(r"^[A-Z][0-9]{2}$")
SNOMED_ID = re.compile(r"^[1-9][0-9]{5,17}$")

# Items without which a row is rejected (the technical output specification's "M"), as far as
# the sources show them (ADR 0022).
MANDATORY: dict[str, tuple[str, ...]] = {
    "MHS000Header": (
        "DatSetVer",
        "OrgIDProvider",
        "OrgIDSubmit",
        "PrimSystemInUse",
        "ReportingPeriodStartDate",
        "ReportingPeriodEndDate",
        "DateTimeDatSetCreate",
    ),
    "MHS001MPI": ("LocalPatientId", "OrgIDLocalPatientId", "PersonBirthDate"),
    "MHS101Referral": ("ServiceRequestId", "LocalPatientId", "ReferralRequestReceivedDate", "SourceOfReferralMH"),
    "MHS102ServiceTypeReferredTo": ("ServiceRequestId", "ServTeamTypeRefToMH"),
    "MHS201CareContact": ("CareContactId", "ServiceRequestId", "CareContDate", "AttendStatus"),
    "MHS202CareActivity": ("CareActId", "CareContactId"),
    "MHS204IndirectActivity": ("ServiceRequestId", "IndirectActDate"),
    "MHS606CodedScoreAssessmentRefer": ("ServiceRequestId", "CodedAssToolType", "PersScore", "AssToolCompTimestamp"),
    "MHS901StaffDetails": ("CareProfLocalId",),
}
# Items the data set asks for ("R") that Attune may not hold: one warning per item, not per row.
REQUIRED: dict[str, tuple[str, ...]] = {
    "MHS001MPI": ("NHSNumber", "Postcode", "Gender"),
    "MHS101Referral": ("OrgIDComm",),
    "MHS901StaffDetails": ("CareProfStaffGpMH",),
}

# How to mend an item in Attune, by item.
MEND: dict[str, str] = {
    "NHSNumber": "Correct the NHS number on the person's record in the family page.",
    "NHSNumberStatus": "Record the NHS number's status on the person's record.",
    "PersonBirthDate": "Record the date of birth on the person's record in the family page.",
    "Postcode": "Record the family's postcode on the family page.",
    "Gender": "Attune does not hold a person's stated gender yet: the trust adds it when it submits.",
    "EthnicCategory": "Record the person's ethnic category on the family page.",
    "SourceOfReferralMH": "Correct the referral's source on the referral page.",
    "ReferralRequestReceivedDate": "Correct the date the referral was received on the referral page.",
    "ServDischDate": "Check the discharge date on the episode page.",
    "ConsMechanismMH": "Record how the contact was held when you record its attendance.",
    "ActLocTypeCode": "Record where you saw the family when you record the contact's attendance.",
    "AttendStatus": "Record what happened at the appointment on its page.",
    "CareContDate": "Check the appointment's date, and that it belongs to this episode.",
    "OrgIDProvider": "A system administrator corrects the trust's ODS code on the set-up pages.",
    "OrgIDComm": "A system administrator corrects the ICB's ODS code on the set-up pages.",
    "ServTeamTypeRefToMH": "The system administrator sets the team type the trust submits (ATTUNE_MHSDS_TEAM_TYPE).",
    "CareProfStaffGpMH": "The system administrator sets the trust's staff-group code for each role "
    "(ATTUNE_MHSDS_STAFF_GROUPS).",
}
DEFAULT_MEND = "Correct the record in Attune and build the extract again."


@dataclass(frozen=True)
class Finding:
    severity: str
    table: str
    row: int  # 1-based, as in the file (after the header line); 0 for a whole-table finding
    record_id: str
    item: str
    rule: str
    mend: str
    source: Source | None = None


@dataclass(frozen=True)
class Validation:
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def passed(self) -> bool:
        return not self.errors


def nhs_number_is_valid(value: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine (NHS Data
    Dictionary, NHS NUMBER); a check digit of 10 means the number is never valid."""
    if len(value) != 10 or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(value[9])


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class _Checker:
    def __init__(self, extract: Extract) -> None:
        self.extract = extract
        self.findings: list[Finding] = []
        header = extract.tables["MHS000Header"][0] if extract.tables["MHS000Header"] else {}
        self.start = _parse_date(header.get("ReportingPeriodStartDate", ""))
        self.end = _parse_date(header.get("ReportingPeriodEndDate", ""))

    def rows(self, table: str) -> Iterator[tuple[int, Row]]:
        yield from enumerate(self.extract.tables[table])

    def add(self, severity: str, table: str, index: int, item: str, rule: str, mend: str = "") -> None:
        row = self.extract.tables[table][index] if index >= 0 else {}
        self.findings.append(
            Finding(
                severity=severity,
                table=table,
                row=index + 1,
                record_id=row.get(RECORD_ID[table], ""),
                item=item,
                rule=rule,
                mend=mend or MEND.get(item, DEFAULT_MEND),
                source=self.extract.sources.get((table, index)),
            )
        )

    def code(self, table: str, item: str, allowed: frozenset[str], what: str) -> None:
        for index, row in self.rows(table):
            value = row.get(item, "")
            if value and value not in allowed:
                self.add(ERROR, table, index, item, f"{value!r} is not {what} code")


def _mandatory(c: _Checker) -> None:
    for table, items in MANDATORY.items():
        for index, row in c.rows(table):
            for item in items:
                if not row.get(item, ""):
                    c.add(ERROR, table, index, item, f"{item} is mandatory")


def _required(c: _Checker) -> None:
    for table, items in REQUIRED.items():
        for item in items:
            missing = sum(1 for _, row in c.rows(table) if not row.get(item, ""))
            if missing:
                rows = len(c.extract.tables[table])
                c.findings.append(
                    Finding(
                        severity=WARNING,
                        table=table,
                        row=0,
                        record_id="",
                        item=item,
                        rule=f"{item} is missing in {missing} of {rows} rows; the data set asks for it",
                        mend=MEND.get(item, DEFAULT_MEND),
                    )
                )


def _code_lists(c: _Checker) -> None:
    c.code("MHS201CareContact", "ConsMechanismMH", CONSULTATION_MECHANISMS, "a consultation mechanism")
    c.code("MHS201CareContact", "ActLocTypeCode", ACTIVITY_LOCATION_TYPES, "an activity location type")
    c.code("MHS201CareContact", "AttendStatus", ATTENDANCE_STATUSES, "an attendance status")
    c.code("MHS101Referral", "SourceOfReferralMH", SOURCES_OF_REFERRAL, "a source of referral for mental health")
    c.code("MHS001MPI", "EthnicCategory", ETHNIC_CATEGORIES, "an ethnic category")
    c.code("MHS001MPI", "NHSNumberStatus", NHS_NUMBER_STATUSES, "an NHS number status indicator")
    for index, row in c.rows("MHS102ServiceTypeReferredTo"):
        value = row.get("ServTeamTypeRefToMH", "")
        if value and not TEAM_TYPE.match(value):
            c.add(
                ERROR, "MHS102ServiceTypeReferredTo", index, "ServTeamTypeRefToMH", f"{value!r} is not a team type code"
            )
    for index, row in c.rows("MHS606CodedScoreAssessmentRefer"):
        if row.get("CodedAssToolType") and not SNOMED_ID.match(row["CodedAssToolType"]):
            c.add(ERROR, "MHS606CodedScoreAssessmentRefer", index, "CodedAssToolType", "Not a SNOMED CT identifier")
    for index, row in c.rows("MHS000Header"):
        for item in ("OrgIDProvider", "OrgIDSubmit"):
            if row.get(item) and not ODS_CODE.match(row[item]):
                c.add(ERROR, "MHS000Header", index, item, f"{row[item]!r} is not an ODS organisation code")


def _nhs_numbers(c: _Checker) -> None:
    for index, row in c.rows("MHS001MPI"):
        number = row.get("NHSNumber", "")
        if number and not nhs_number_is_valid(number):
            c.add(ERROR, "MHS001MPI", index, "NHSNumber", "The NHS number's check digit is wrong")


def _dates(c: _Checker) -> None:
    received: dict[str, dt.date | None] = {}
    discharged: dict[str, dt.date | None] = {}
    for index, row in c.rows("MHS101Referral"):
        request = row["ServiceRequestId"]
        received[request] = start = _parse_date(row.get("ReferralRequestReceivedDate", ""))
        discharged[request] = end = _parse_date(row.get("ServDischDate", ""))
        if start and end and end < start:
            c.add(ERROR, "MHS101Referral", index, "ServDischDate", "The discharge is before the referral was received")
        if start and c.end and start > c.end:
            c.add(ERROR, "MHS101Referral", index, "ReferralRequestReceivedDate", "Received after the month ends")
        if end and c.end and end > c.end:
            c.add(ERROR, "MHS101Referral", index, "ServDischDate", "Discharged after the month ends")
    for index, row in c.rows("MHS001MPI"):
        born = _parse_date(row.get("PersonBirthDate", ""))
        if born and c.end and born > c.end:
            c.add(ERROR, "MHS001MPI", index, "PersonBirthDate", "Born after the month ends")
    for index, row in c.rows("MHS201CareContact"):
        day = _parse_date(row.get("CareContDate", ""))
        if day is None:
            continue
        if c.start and c.end and not c.start <= day <= c.end:
            c.add(ERROR, "MHS201CareContact", index, "CareContDate", "The contact is not in the month")
        request = row.get("ServiceRequestId", "")
        start, end = received.get(request), discharged.get(request)
        if start and day < start:
            c.add(ERROR, "MHS201CareContact", index, "CareContDate", "The contact is before the referral was received")
        if end and day > end:
            c.add(ERROR, "MHS201CareContact", index, "CareContDate", "The contact is after the discharge")
    for index, row in c.rows("MHS606CodedScoreAssessmentRefer"):
        day = _parse_date(row.get("AssToolCompTimestamp", ""))
        if day and c.start and c.end and not c.start <= day <= c.end:
            c.add(ERROR, "MHS606CodedScoreAssessmentRefer", index, "AssToolCompTimestamp", "Not completed in the month")


def _contacts(c: _Checker) -> None:
    """An attended contact says how it was held (national perinatal access counts only face to
    face and video: domain reference G.1), and where when face to face; only an attended contact
    has care activity."""
    statuses: dict[str, str] = {}
    for index, row in c.rows("MHS201CareContact"):
        statuses[row["CareContactId"]] = row.get("AttendStatus", "")
        if row.get("AttendStatus") in ATTENDED:
            if not row.get("ConsMechanismMH"):
                c.add(ERROR, "MHS201CareContact", index, "ConsMechanismMH", "An attended contact needs its mechanism")
            elif row["ConsMechanismMH"] == "01" and not row.get("ActLocTypeCode"):
                c.add(ERROR, "MHS201CareContact", index, "ActLocTypeCode", "A face to face contact needs its location")
        try:
            minutes = int(row.get("ClinContDurOfCareCont") or "0")
        except ValueError:
            minutes = -1
        if minutes < 0:
            c.add(ERROR, "MHS201CareContact", index, "ClinContDurOfCareCont", "Not a number of minutes")
    for index, row in c.rows("MHS202CareActivity"):
        status = statuses.get(row.get("CareContactId", ""))
        if status is not None and status not in ATTENDED:
            c.add(
                ERROR,
                "MHS202CareActivity",
                index,
                "CareContactId",
                "A contact that was not attended has no care activity",
            )


def _references(c: _Checker) -> None:
    """Every row points at a row that exists, and no table names one record twice."""
    people = {row["LocalPatientId"] for _, row in c.rows("MHS001MPI")}
    requests = {row["ServiceRequestId"] for _, row in c.rows("MHS101Referral")}
    contacts = {row["CareContactId"] for _, row in c.rows("MHS201CareContact")}
    staff = {row["CareProfLocalId"] for _, row in c.rows("MHS901StaffDetails")}
    links: list[tuple[str, str, set[str]]] = [
        ("MHS101Referral", "LocalPatientId", people),
        ("MHS102ServiceTypeReferredTo", "ServiceRequestId", requests),
        ("MHS201CareContact", "ServiceRequestId", requests),
        ("MHS202CareActivity", "CareContactId", contacts),
        ("MHS202CareActivity", "CareProfLocalId", staff),
        ("MHS204IndirectActivity", "ServiceRequestId", requests),
        ("MHS606CodedScoreAssessmentRefer", "ServiceRequestId", requests),
    ]
    for table, item, known in links:
        for index, row in c.rows(table):
            if row.get(item) and row[item] not in known:
                c.add(ERROR, table, index, item, f"{row[item]} is not in the table it refers to")
    for table in ("MHS001MPI", "MHS101Referral", "MHS201CareContact", "MHS202CareActivity", "MHS901StaffDetails"):
        counted = Counter(row[RECORD_ID[table]] for _, row in c.rows(table))
        for index, row in c.rows(table):
            if counted[row[RECORD_ID[table]]] > 1:
                c.add(ERROR, table, index, RECORD_ID[table], "The same record is in the table more than once")


RULES: tuple[Callable[[_Checker], None], ...] = (
    _mandatory,
    _required,
    _code_lists,
    _nhs_numbers,
    _dates,
    _contacts,
    _references,
)


def validate(extract: Extract) -> Validation:
    checker = _Checker(extract)
    if not extract.tables["MHS000Header"]:
        checker.findings.append(
            Finding(ERROR, "MHS000Header", 0, "", "OrgIDProvider", "The header is missing", DEFAULT_MEND)
        )
    else:
        for rule in RULES:
            rule(checker)
    order = {name: i for i, name in enumerate(TABLES)}
    findings = sorted(checker.findings, key=lambda f: (f.severity != ERROR, order.get(f.table, 99), f.row, f.item))
    return Validation(findings=findings)
