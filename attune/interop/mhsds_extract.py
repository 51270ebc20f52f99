"""The monthly Mental Health Services Data Set (MHSDS) extract, built from plain facts: no Django,
no database (DESIGN.md: pure cores), so the tables and their rules are tested on their own.

A parent-infant team works with a family, but MHSDS counts people: each baby and carer on an
episode (or on a referral not yet on a caseload) is a patient with a service request of their own (one MHS101Referral row each, named by
the referral's reference and the person), and a contact is a care contact of each person it was
held with. An unborn baby is not a patient yet and is left out. The tables, their items and the
code lists, with their sources and what could not be confirmed, are in ADR 0022.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

DATA_SET_VERSION = "6.0"
SYSTEM_NAME = "Attune"

# Attended on time, or late but seen (ATTENDANCE STATUS 5 and 6, domain reference B.4).
ATTENDED = frozenset({"5", "6"})

# The SNOMED CT concept for each instrument's total score, where one could be found (ADR 0022: all
# secondary sources). A measure without one is not submitted and the report says so.
SNOMED_TOTAL_SCORE = {
    "PHQ9": "720433000",  # Patient health questionnaire 9 score
    "GAD7": "445455005",  # Generalized anxiety disorder 7 item score
    "CORE10": "718583008",  # Clinical Outcomes in Routine Evaluation - 10 clinical score
    "EPDS": "450320001",  # Edinburgh postnatal depression scale score
}

# Each table's columns, named as the MHSDS technical output specification names its items.
COLUMNS: dict[str, tuple[str, ...]] = {
    "MHS000Header": (
        "DatSetVer",
        "OrgIDProvider",
        "OrgIDSubmit",
        "PrimSystemInUse",
        "ReportingPeriodStartDate",
        "ReportingPeriodEndDate",
        "DateTimeDatSetCreate",
    ),
    "MHS001MPI": (
        "LocalPatientId",
        "OrgIDLocalPatientId",
        "NHSNumber",
        "NHSNumberStatus",
        "PersonBirthDate",
        "Postcode",
        "Gender",
        "EthnicCategory",
    ),
    "MHS101Referral": (
        "ServiceRequestId",
        "LocalPatientId",
        "OrgIDComm",
        "ReferralRequestReceivedDate",
        "ReferralRequestReceivedTime",
        "SourceOfReferralMH",
        "ServDischDate",
    ),
    "MHS102ServiceTypeReferredTo": (
        "ServiceRequestId",
        "CareProfTeamLocalId",
        "ServTeamTypeRefToMH",
        "ReferClosureDate",
    ),
    "MHS201CareContact": (
        "CareContactId",
        "ServiceRequestId",
        "CareProfTeamLocalId",
        "CareContDate",
        "CareContTime",
        "ClinContDurOfCareCont",
        "ConsMechanismMH",
        "ActLocTypeCode",
        "AttendStatus",
    ),
    "MHS202CareActivity": ("CareActId", "CareContactId", "CareProfLocalId", "ClinContactDurOfCareAct"),
    "MHS204IndirectActivity": (
        "ServiceRequestId",
        "CareProfLocalId",
        "IndirectActDate",
        "IndirectActTime",
        "DurationIndirectAct",
    ),
    "MHS606CodedScoreAssessmentRefer": (
        "ServiceRequestId",
        "CareProfLocalId",
        "CodedAssToolType",
        "PersScore",
        "AssToolCompTimestamp",
    ),
    "MHS901StaffDetails": ("CareProfLocalId", "CareProfStaffGpMH"),
}
TABLES = tuple(COLUMNS)
# The item that names a row of each table, for the validation report.
RECORD_ID = {
    "MHS000Header": "OrgIDProvider",
    "MHS001MPI": "LocalPatientId",
    "MHS101Referral": "ServiceRequestId",
    "MHS102ServiceTypeReferredTo": "ServiceRequestId",
    "MHS201CareContact": "CareContactId",
    "MHS202CareActivity": "CareActId",
    "MHS204IndirectActivity": "ServiceRequestId",
    "MHS606CodedScoreAssessmentRefer": "ServiceRequestId",
    "MHS901StaffDetails": "CareProfLocalId",
}


# The facts, as the loader reads them from Attune ----------------------------------------------


@dataclass(frozen=True)
class Submission:
    provider_code: str  # the trust's ODS code
    commissioner_code: str  # the ICB's ODS code
    team_local_id: str
    team_type: str  # SERVICE OR TEAM TYPE REFERRED TO (MENTAL HEALTH), a setting (ADR 0022)
    month_start: dt.date
    month_end: dt.date
    created_at: dt.datetime


@dataclass(frozen=True)
class Person:
    """A baby or carer on an episode. `local_id` is stable from month to month."""

    local_id: str
    kind: str  # "I" for a baby (infant), "C" for a carer
    family_id: str
    nhs_number: str
    nhs_number_status: str
    birth_date: dt.date | None
    postcode: str
    ethnic_category: str
    born: bool = True


@dataclass(frozen=True)
class Episode:
    """A service request open in the month, with the people on it: an episode of care with its
    referral, or a referral on no caseload in the month (waiting for triage or for a place on a
    caseload, or closed at triage), which has no `episode_id` but its `referral_id`, and the
    family's people. `discharged_on` is the day the request closed: the discharge, or the
    decision to signpost, decline or withdraw."""

    episode_id: str
    referral_reference: str
    referral_received_at: dt.datetime  # local time
    source_of_referral: str
    discharged_on: dt.date | None
    people: tuple[Person, ...]
    referral_id: str = ""

    @property
    def source(self) -> "Source":
        return Source("episode", self.episode_id) if self.episode_id else Source("referral", self.referral_id)


@dataclass(frozen=True)
class Contact:
    """A contact in the month whose attendance was recorded."""

    appointment_id: str
    episode_id: str
    starts_at: dt.datetime  # local time
    minutes: int
    attendance: str
    mechanism: str
    location: str
    professional_id: str
    professional_role: str
    # The people who came (for an attended contact); for any other, everyone on the episode.
    attended: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    administration_id: str
    episode_id: str
    instrument: str
    person_id: str  # whom it is about: the carer, else the baby
    professional_id: str
    total: Decimal | None
    completed_on: dt.date


@dataclass(frozen=True)
class Facts:
    submission: Submission
    episodes: tuple[Episode, ...]
    contacts: tuple[Contact, ...]
    measures: tuple[Measure, ...] = ()
    # The professional's role (care.codes.ProfessionalRole) to the trust's staff-group code.
    staff_groups: dict[str, str] = field(default_factory=dict)
    # Consultation and training given to other professionals in the month: MHSDS records
    # indirect activity only against a service request, so these are counted, not submitted.
    team_activities: int = 0


# The extract ------------------------------------------------------------------------------


Row = dict[str, str]


@dataclass(frozen=True)
class Source:
    """What in Attune a row came from, so that a finding can say where to mend it."""

    kind: str  # "appointment", "episode", "referral", "family", "administration", "team"
    pk: str


@dataclass
class Extract:
    submission: Submission
    tables: dict[str, list[Row]]
    # By table and row (0-based, in the table's order).
    sources: dict[tuple[str, int], Source] = field(default_factory=dict)
    # The professional's role in Attune, by CareProfLocalId, for the report.
    roles: dict[str, str] = field(default_factory=dict)
    # What Attune holds but did not submit, with why (shown on the report, never an error).
    notes: list[str] = field(default_factory=list)

    def counts(self) -> list[tuple[str, int]]:
        return [(name, len(self.tables[name])) for name in TABLES]

    def family_ids(self) -> set[str]:
        return {s.pk for s in self.sources.values() if s.kind == "family"}


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M:%S")


def _score(total: Decimal | None) -> str:
    if total is None:
        return ""
    return str(int(total)) if total == total.to_integral_value() else str(total.normalize())


def service_request_id(reference: str, person_index: str) -> str:
    """A service request per person on a referral: the referral's reference and who, such as
    PIR-ACDE-FGHJ-C1 for its first carer (MHSDS allows 20 characters)."""
    return f"{reference}-{person_index}"


def _person_indexes(people: Iterable[Person]) -> dict[str, str]:
    """I1, I2 for the babies and C1, C2 for the carers, in the order the episode lists them."""
    found: dict[str, str] = {}
    counts = {"I": 0, "C": 0}
    for person in people:
        letter = "I" if person.kind == "I" else "C"
        counts[letter] += 1
        found[person.local_id] = f"{letter}{counts[letter]}"
    return found


def build(facts: Facts) -> Extract:
    """Every table of the month's extract, in the order of TABLES."""
    sub = facts.submission
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    sources: dict[tuple[str, int], Source] = {}
    notes: list[str] = []

    def add(table: str, row: Row, source: Source | None = None) -> None:
        if source is not None:
            sources[(table, len(tables[table]))] = source
        tables[table].append(row)

    tables["MHS000Header"].append(
        {
            "DatSetVer": DATA_SET_VERSION,
            "OrgIDProvider": sub.provider_code,
            "OrgIDSubmit": sub.provider_code,
            "PrimSystemInUse": SYSTEM_NAME,
            "ReportingPeriodStartDate": _date(sub.month_start),
            "ReportingPeriodEndDate": _date(sub.month_end),
            "DateTimeDatSetCreate": sub.created_at.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    )
    requests: dict[tuple[str, str], str] = {}  # (episode, person) -> ServiceRequestId
    people_seen: dict[str, Person] = {}
    unborn = 0
    for episode in facts.episodes:
        indexes = _person_indexes(episode.people)
        for person in episode.people:
            if not person.born:
                unborn += 1
                continue
            request = service_request_id(episode.referral_reference, indexes[person.local_id])
            requests[(episode.episode_id, person.local_id)] = request
            people_seen.setdefault(person.local_id, person)
            add(
                "MHS101Referral",
                {
                    "ServiceRequestId": request,
                    "LocalPatientId": person.local_id,
                    "OrgIDComm": sub.commissioner_code,
                    "ReferralRequestReceivedDate": _date(episode.referral_received_at.date()),
                    "ReferralRequestReceivedTime": _time(episode.referral_received_at),
                    "SourceOfReferralMH": episode.source_of_referral,
                    "ServDischDate": _date(episode.discharged_on),
                },
                episode.source,
            )
            add(
                "MHS102ServiceTypeReferredTo",
                {
                    "ServiceRequestId": request,
                    "CareProfTeamLocalId": sub.team_local_id,
                    "ServTeamTypeRefToMH": sub.team_type,
                    "ReferClosureDate": _date(episode.discharged_on),
                },
                episode.source,
            )
    for person in people_seen.values():
        add(
            "MHS001MPI",
            {
                "LocalPatientId": person.local_id,
                "OrgIDLocalPatientId": sub.provider_code,
                "NHSNumber": person.nhs_number,
                "NHSNumberStatus": person.nhs_number_status,
                "PersonBirthDate": _date(person.birth_date),
                "Postcode": person.postcode,
                # Attune does not hold a person's stated gender (ADR 0022).
                "Gender": "",
                "EthnicCategory": person.ethnic_category,
            },
            Source("family", person.family_id),
        )
    if unborn:
        notes.append(
            f"{unborn} unborn {'baby is' if unborn == 1 else 'babies are'} not submitted: a baby becomes a "
            "patient in MHSDS once born, with a date of birth."
        )
    professionals: dict[str, str] = {}
    for contact in facts.contacts:
        for person_id in contact.attended:
            found = requests.get((contact.episode_id, person_id))
            if found is None:
                continue
            request = found
            contact_id = f"{contact.appointment_id.replace('-', '')[:16].upper()}{request.rsplit('-', 1)[1]}"
            add(
                "MHS201CareContact",
                {
                    "CareContactId": contact_id,
                    "ServiceRequestId": request,
                    "CareProfTeamLocalId": sub.team_local_id,
                    "CareContDate": _date(contact.starts_at.date()),
                    "CareContTime": _time(contact.starts_at),
                    "ClinContDurOfCareCont": str(contact.minutes),
                    "ConsMechanismMH": contact.mechanism,
                    "ActLocTypeCode": contact.location,
                    "AttendStatus": contact.attendance,
                },
                Source("appointment", contact.appointment_id),
            )
            if contact.attendance in ATTENDED:
                activity_id = f"{contact_id}A"
                add(
                    "MHS202CareActivity",
                    {
                        "CareActId": activity_id,
                        "CareContactId": contact_id,
                        "CareProfLocalId": contact.professional_id,
                        "ClinContactDurOfCareAct": str(contact.minutes),
                    },
                    Source("appointment", contact.appointment_id),
                )
                professionals[contact.professional_id] = contact.professional_role
    without_code: dict[str, int] = {}
    for measure in facts.measures:
        about = requests.get((measure.episode_id, measure.person_id))
        code = SNOMED_TOTAL_SCORE.get(measure.instrument)
        if code is None or about is None or measure.total is None:
            without_code[measure.instrument] = without_code.get(measure.instrument, 0) + 1
            continue
        add(
            "MHS606CodedScoreAssessmentRefer",
            {
                "ServiceRequestId": about,
                "CareProfLocalId": measure.professional_id,
                "CodedAssToolType": code,
                "PersScore": _score(measure.total),
                "AssToolCompTimestamp": f"{measure.completed_on.isoformat()}T00:00:00",
            },
            Source("administration", measure.administration_id),
        )
        if measure.professional_id:
            professionals.setdefault(measure.professional_id, "")
    for instrument, count in sorted(without_code.items()):
        notes.append(
            f"{count} {instrument} {'score is' if count == 1 else 'scores are'} not submitted: "
            "no confirmed SNOMED CT code, no completed total, or about someone not submitted."
        )
    for local_id, role in sorted(professionals.items()):
        add("MHS901StaffDetails", {"CareProfLocalId": local_id, "CareProfStaffGpMH": facts.staff_groups.get(role, "")})
    if facts.team_activities:
        notes.append(
            f"{facts.team_activities} consultation and training "
            f"{'session' if facts.team_activities == 1 else 'sessions'} given to other professionals "
            "are not submitted: MHSDS records indirect activity (MHS204) only against a person's "
            "service request."
        )
    return Extract(submission=sub, tables=tables, sources=sources, notes=notes, roles=professionals)


# The files ----------------------------------------------------------------------------------


def to_csv(table: str, rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS[table]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # A cell that starts like a formula is opened as one by a spreadsheet: quote it out.
        writer.writerow({k: (f"'{v}" if v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()})
    return out.getvalue()


def file_stem(extract: Extract) -> str:
    sub = extract.submission
    return f"MHSDS_{sub.provider_code}_{sub.month_start:%Y-%m}"


def to_zip(extract: Extract) -> bytes:
    """One CSV per table, named for it, in one zip."""
    out = io.BytesIO()
    stem = file_stem(extract)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            info = zipfile.ZipInfo(f"{stem}/{table}.csv", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, to_csv(table, extract.tables[table]))
    return out.getvalue()
