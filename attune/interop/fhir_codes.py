"""The FHIR R4 UK Core names and code lists a shared record uses (domain reference B.2, B.3),
with where each came from. Plain data: no Django, so the bundle builder and the inbound reader
share it and it can be read alone.

Codes marked ``confirmed=False`` were not confirmed in a primary source: they are kept here so
the gap is visible, and are left out of what Attune sends."""

from dataclasses import dataclass

UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"

# Profile canonical URLs (FHIR-R4-UKCORE-STAGING-MAIN, versions as of June 2025; domain B.2).
PROFILES = {
    "Patient": UK_CORE + "UKCore-Patient",
    "RelatedPerson": UK_CORE + "UKCore-RelatedPerson",
    "EpisodeOfCare": UK_CORE + "UKCore-EpisodeOfCare",
    "Encounter": UK_CORE + "UKCore-Encounter",
    "QuestionnaireResponse": UK_CORE + "UKCore-QuestionnaireResponse",
    "Observation": UK_CORE + "UKCore-Observation",
    "Flag": UK_CORE + "UKCore-Flag",
    "Consent": UK_CORE + "UKCore-Consent",
    "ServiceRequest": UK_CORE + "UKCore-ServiceRequest",
}

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
NHS_NUMBER_VERIFICATION = UK_CORE + "Extension-UKCore-NHSNumberVerificationStatus"
NHS_NUMBER_VERIFICATION_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
ETHNIC_CATEGORY = UK_CORE + "Extension-UKCore-EthnicCategory"
ETHNIC_CATEGORY_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"

# The words for each verification status (domain B.2: UKCore-NHSNumberVerificationStatusEngland).
NHS_NUMBER_STATUS_DISPLAY = {
    "01": "Number present and verified",
    "02": "Number present but not traced",
    "03": "Trace required",
    "04": "Trace attempted - No match or multiple match found",
    "05": "Trace needs to be resolved - (NHS Number or patient detail conflict)",
    "06": "Trace in progress",
    "07": "Number not present and trace not required",
    "08": "Trace postponed (baby under six weeks old)",
}

# Ethnic category (England) codes (domain B.3). "99" (not known) is not sent: it says nothing
# was recorded. The code goes without a display: the CodeSystem's own display strings were not
# confirmed, and a display that differs from the CodeSystem's is an error to some validators.
ETHNIC_CATEGORIES = frozenset("ABCDEFGHJKLMNPRSZ")

# HL7 terminology (FHIR R4 core, terminology.hl7.org).
V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"

# A carer's relationship to the baby as v3 RoleCode (MTH, FTH, PRN, GRPRN are in the R4 value
# set); the others travel as words only rather than as a guessed code.
RELATIONSHIP_CODES = {
    "mother": ("MTH", "mother"),
    "father": ("FTH", "father"),
    "parent": ("PRN", "parent"),
    "grandparent": ("GRPRN", "grandparent"),
}

# Encounter.class (v3 ActCode, FHIR R4 value set v3-ActEncounterCode): a home visit is home
# health, a contact at a hub or clinic ambulatory, a video or phone call virtual.
ENCOUNTER_CLASS = {
    "home_visit": ("HH", "home health"),
    "family_hub": ("AMB", "ambulatory"),
    "clinic": ("AMB", "ambulatory"),
    "video": ("VR", "virtual"),
    "phone": ("VR", "virtual"),
}

# What each consent purpose is, in FHIR R4's consent scope (privacy, treatment, research).
CONSENT_SCOPES = {
    "assessment_treatment": ("treatment", "Treatment"),
    "research": ("research", "Research"),
}
PRIVACY_SCOPE = ("patient-privacy", "Privacy Consent")


@dataclass(frozen=True)
class MeasureCode:
    code: str
    display: str
    source: str
    confirmed: bool


# The total score of each measure as LOINC, where known. PHQ-9 and GAD-7 are in HL7's Personal
# Health Records IG value set "observation-scored-assessment-score-codes"
# (build.fhir.org/ig/HL7/personal-health-record-format-ig). The EPDS is not: public sources give
# both 71354-5 (which one FHIR guide calls the form's own code) and 99046-5 for its total, so no
# LOINC code is sent for it until one is confirmed against loinc.org.
MEASURE_CODES = {
    "PHQ9": MeasureCode(
        "44261-6",
        "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        "HL7 PHR IG ValueSet observation-scored-assessment-score-codes",
        confirmed=True,
    ),
    "GAD7": MeasureCode(
        "70274-6",
        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        "HL7 PHR IG ValueSet observation-scored-assessment-score-codes",
        confirmed=True,
    ),
    "EPDS": MeasureCode(
        "71354-5",
        "Edinburgh Postnatal Depression Scale [EPDS]",
        "secondary sources disagree (71354-5 or 99046-5 for the total)",
        confirmed=False,
    ),
}


def measure_coding(instrument: str) -> list[dict[str, str]]:
    """The LOINC coding of a measure's total, only when the code is confirmed."""
    known = MEASURE_CODES.get(instrument)
    if known is None or not known.confirmed:
        return []
    return [{"system": LOINC, "code": known.code, "display": known.display}]
