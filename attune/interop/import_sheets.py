"""What a caseload spreadsheet holds: its sheets, their columns, and the code lists they use.

The template workbook, the guidance, the dry run and the import all read these entries, so a
column is described once. The code lists come from the code's own TextChoices (and the
instruments' files), never retyped, so the template always offers what Attune accepts."""

from collections.abc import Mapping

from attune.care.codes import Attendance, ContactKind
from attune.families.codes import EthnicCategory, ParentalResponsibility, Relationship
from attune.interop.import_rows import Column, Sheet
from attune.outcomes.instruments import all_instruments
from attune.outcomes.models import TimePoint
from attune.outcomes.services import IMPORT_COLUMNS
from attune.referrals.codes import LevelOfNeed, Priority, ReferralSource

FAMILIES, REFERRALS, EPISODES, APPOINTMENTS, MEASURES = "families", "referrals", "episodes", "appointments", "measures"
# The order they are checked and imported in: each refers only to the ones before it.
KINDS = (FAMILIES, REFERRALS, EPISODES, APPOINTMENTS, MEASURES)

GUIDANCE_SHEET = "Guidance"
CODES_SHEET = "Code lists"

PERSON_BABY, PERSON_CARER = "baby", "carer"
REFERRAL_RECEIVED, REFERRAL_ACCEPTED = "received", "accepted"


SOURCE_NOTE = (
    "Your own reference for the row, as your current system or spreadsheet has it. Attune remembers it: "
    "a row whose source id was imported before is not imported again."
)

SHEETS: Mapping[str, Sheet] = {
    sheet.kind: sheet
    for sheet in (
        Sheet(
            FAMILIES,
            "Families",
            "One row for each baby and each parent or carer. Rows with the same source id are one family.",
            (
                Column("Source id", "source_id", required=True, note=SOURCE_NOTE, example="FAM-0001"),
                Column(
                    "Person",
                    "person",
                    "code",
                    required=True,
                    codes="person",
                    note="baby or carer. Each family needs at least one baby (born or unborn).",
                    example="baby",
                ),
                Column("Given name", "given_name", example="Amara"),
                Column("Family name", "family_name", example="Okafor"),
                Column(
                    "NHS number",
                    "nhs_number",
                    "nhs_number",
                    note="10 digits, spaces allowed. Leave blank if not known.",
                    example="943 476 5919",
                ),
                Column(
                    "Date of birth",
                    "date_of_birth",
                    "date",
                    note="A baby needs a date of birth or, if not born yet, a due date.",
                    example="14/03/2025",
                ),
                Column("Due date", "due_date", "date", note="For a baby not born yet.", example=""),
                Column(
                    "Relationship",
                    "relationship",
                    "code",
                    codes="relationship",
                    note="A carer's relationship to the baby (required for a carer).",
                    example="",
                ),
                Column("Parental responsibility", "parental_responsibility", "code", codes="parental_responsibility"),
                Column("Ethnicity", "ethnicity", "code", codes="ethnicity", note="Leave blank if not known."),
                Column("Phone", "phone", example=""),
                Column("Email", "email", "email", example=""),
                Column(
                    "Main contact",
                    "main_contact",
                    "yes_no",
                    note="yes for the carer Attune contacts first. If no carer says yes, the first carer is.",
                ),
                Column("Address line 1", "address_line_1", note="The family's address: give it once, on any row."),
                Column("Town", "town"),
                Column("Postcode", "postcode", example="FY1 1AA"),
                Column("GP practice", "gp_practice"),
            ),
        ),
        Sheet(
            REFERRALS,
            "Referrals",
            "One row for each open referral: received and not yet triaged, or accepted to the waiting list.",
            (
                Column("Source id", "source_id", required=True, note=SOURCE_NOTE, example="REF-0001"),
                Column(
                    "Family source id",
                    "family",
                    required=True,
                    note="The family's source id on the Families sheet. One referral a family.",
                    example="FAM-0001",
                ),
                Column("Received date", "received_on", "date", required=True, example="02/01/2025"),
                Column(
                    "Source of referral",
                    "source",
                    "code",
                    required=True,
                    codes="referral_source",
                    note="Who referred the family (the national code).",
                    example="A2",
                ),
                Column("Referrer name", "referrer_name", note="Who referred them, if known.", example="Jo Bloggs"),
                Column("Reason", "reason", note="Why they were referred, in the referrer's words."),
                Column(
                    "Status",
                    "status",
                    "code",
                    required=True,
                    codes="referral_status",
                    note="received (waiting for triage) or accepted (on the waiting list or allocated).",
                    example="accepted",
                ),
                Column(
                    "Level of need",
                    "level_of_need",
                    "code",
                    codes="level_of_need",
                    note="Required for an accepted referral.",
                    example="distress",
                ),
                Column(
                    "Priority",
                    "priority",
                    "code",
                    codes="priority",
                    note="Required for an accepted referral.",
                    example="routine",
                ),
            ),
        ),
        Sheet(
            EPISODES,
            "Episodes",
            "One row for each family on a caseload now: the episode of care opened from its accepted referral.",
            (
                Column("Source id", "source_id", required=True, note=SOURCE_NOTE, example="EP-0001"),
                Column(
                    "Referral source id",
                    "referral",
                    required=True,
                    note="The accepted referral's source id on the Referrals sheet.",
                    example="REF-0001",
                ),
                Column(
                    "Practitioner email",
                    "practitioner",
                    "email",
                    required=True,
                    note="The lead practitioner's email address in Attune: a member of the team with a caseload set.",
                    example="pat@example.nhs.uk",
                ),
                Column("Opened date", "opened_on", "date", required=True, example="20/01/2025"),
                Column(
                    "Intervention",
                    "intervention",
                    "code",
                    codes="intervention",
                    note="The intervention's code. Blank means the first on the code list.",
                ),
            ),
        ),
        Sheet(
            APPOINTMENTS,
            "Appointments",
            "One row for each past appointment of an episode, with what happened.",
            (
                Column("Source id", "source_id", required=True, note=SOURCE_NOTE, example="APP-0001"),
                Column("Episode source id", "episode", required=True, example="EP-0001"),
                Column("Date", "date", "date", required=True, example="03/02/2025"),
                Column(
                    "Start time", "start", "time", required=True, note="24-hour clock, like 14:30.", example="10:00"
                ),
                Column("Length in minutes", "minutes", "minutes", note="Blank means 60.", example="60"),
                Column(
                    "Kind",
                    "kind",
                    "code",
                    required=True,
                    codes="contact_kind",
                    note="Home visits, video and phone calls: contacts at a site are booked in Attune.",
                    example="home_visit",
                ),
                Column(
                    "Attendance",
                    "attendance",
                    "code",
                    required=True,
                    codes="attendance",
                    note="The national attendance code.",
                    example="5",
                ),
                Column(
                    "Practitioner email",
                    "practitioner",
                    "email",
                    note="Blank means the episode's practitioner.",
                ),
            ),
        ),
        Sheet(
            MEASURES,
            "Measures",
            "One row for each questionnaire completed in the past (the columns of Attune's measures import).",
            (
                Column("Source id", "source_id", required=True, note=SOURCE_NOTE, example="MEAS-0001"),
                Column("Episode source id", "episode", required=True, example="EP-0001"),
                Column("Instrument", IMPORT_COLUMNS[1], "code", required=True, codes="instrument", example="EPDS"),
                Column(
                    "Carer",
                    IMPORT_COLUMNS[2],
                    note="The carer's given name, for a measure about a carer. Blank means the main contact.",
                ),
                Column(
                    "Baby",
                    IMPORT_COLUMNS[3],
                    note="The baby's given name, for a measure about a baby. Blank means the first baby.",
                ),
                Column(
                    "Time point",
                    IMPORT_COLUMNS[4],
                    "code",
                    required=True,
                    codes="time_point",
                    example="assessment",
                ),
                Column("Completed date", IMPORT_COLUMNS[5], "date", required=True, example="03/02/2025"),
                Column(
                    "Answers",
                    IMPORT_COLUMNS[6],
                    required=True,
                    note="The score of each item in order, separated by spaces; - for an item not answered.",
                    example="1 1 0 1 2 1 0 1 1 0",
                ),
            ),
        ),
    )
}

BY_NAME = {sheet.name.casefold(): sheet for sheet in SHEETS.values()}


def code_lists(interventions: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Every code list a sheet uses: code -> meaning. Interventions are the service's reference
    data (in the database), passed in."""
    return {
        "person": {PERSON_BABY: "A baby or young child, born or not", PERSON_CARER: "A parent or carer"},
        "relationship": dict(Relationship.choices),
        "parental_responsibility": dict(ParentalResponsibility.choices),
        "ethnicity": dict(EthnicCategory.choices),
        "referral_source": dict(ReferralSource.choices),
        "referral_status": {
            REFERRAL_RECEIVED: "Received, waiting for triage",
            REFERRAL_ACCEPTED: "Accepted to the waiting list (or allocated: see Episodes)",
        },
        "level_of_need": dict(LevelOfNeed.choices),
        "priority": dict(Priority.choices),
        "intervention": dict(interventions),
        "contact_kind": {
            code: label
            for code, label in ContactKind.choices
            if code not in (ContactKind.FAMILY_HUB, ContactKind.CLINIC)
        },
        "attendance": dict(Attendance.choices),
        "instrument": {i.code: i.name for i in all_instruments()},
        "time_point": dict(TimePoint.choices),
    }


CODE_LIST_TITLES = {
    "person": "Person",
    "relationship": "Relationship",
    "parental_responsibility": "Parental responsibility",
    "ethnicity": "Ethnicity (NHS ethnic category)",
    "referral_source": "Source of referral (MHSDS)",
    "referral_status": "Referral status",
    "level_of_need": "Level of need",
    "priority": "Priority",
    "intervention": "Intervention",
    "contact_kind": "Kind of appointment",
    "attendance": "Attendance (attended or did not attend)",
    "instrument": "Instrument (outcome measure)",
    "time_point": "Time point",
}
