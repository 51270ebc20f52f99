"""Code lists for the care pathway (domain reference B.4)."""

from django.db import models


class Attendance(models.TextChoices):
    """ATTENDED OR DID NOT ATTEND, NHS Data Dictionary (domain B.4):
    https://archive.datadictionary.nhs.uk/DD%20Release%20June%202026/data_elements/attended_or_did_not_attend_code.html
    "0, not applicable: appointment in the future" is the absence of a code here."""

    ATTENDED = "5", "Attended"
    LATE_SEEN = "6", "Arrived late but was seen"
    LATE_NOT_SEEN = "7", "Arrived late and could not be seen"
    CANCELLED_BY_FAMILY = "2", "Cancelled by the family"
    DID_NOT_ATTEND = "3", "Did not attend (no warning given)"
    CANCELLED_BY_SERVICE = "4", "Cancelled or postponed by the service"


ATTENDED = frozenset({Attendance.ATTENDED, Attendance.LATE_SEEN})
# Counted as missed for the "two in a row" review. Code 7 is a local policy choice (domain B.4):
# NHS analyses often count it with did-not-attend.
MISSED = frozenset({Attendance.DID_NOT_ATTEND, Attendance.LATE_NOT_SEEN})


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    FAMILY_HUB = "family_hub", "At a family hub"
    CLINIC = "clinic", "At a clinic"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"


# Kinds that happen at one of the team's sites, in a room that can be booked.
AT_A_SITE = frozenset({ContactKind.FAMILY_HUB, ContactKind.CLINIC})


class WorkerRole(models.TextChoices):
    LEAD = "lead", "Lead practitioner"
    CO_WORKER = "co_worker", "Co-worker"


class DischargeReason(models.TextChoices):
    COMPLETED = "completed", "Work completed"
    DISENGAGED = "disengaged", "Family disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    TRANSFERRED = "transferred", "Transferred to another service"
    OTHER_SERVICE = "other_service", "Another service is more suitable"


# What the Mental Health Services Data Set (MHSDS) asks of each care contact and Attune did not
# hold before (issue 20; the sources are in ADR 0022). -----------------------------------------


class ConsultationMechanism(models.TextChoices):
    """CONSULTATION MECHANISM (MENTAL HEALTH), NHS Data Dictionary:
    https://archive.datadictionary.nhs.uk/DD%20Release%20June%202026/data_elements/consultation_mechanism_mental_health.html
    National perinatal access counts only attended contacts face to face (01) or by video (11)
    (domain reference G.1), so every contact must say which."""

    FACE_TO_FACE = "01", "Face to face"
    TELEPHONE = "02", "Telephone"
    TALK_TYPE = "04", "Talk type for a person unable to speak"
    EMAIL = "05", "Email"
    TEXT_MESSAGE = "09", "Text message"
    INSTANT_MESSAGING = "10", "Instant messaging"
    VIDEO = "11", "Video consultation"
    MESSAGE_BOARD = "12", "Message board"
    CHAT_ROOM = "13", "Chat room"
    OTHER = "98", "Other"


class ActivityLocationType(models.TextChoices):
    """ACTIVITY LOCATION TYPE CODE, NHS Data Dictionary: the places a parent-infant team sees
    families, out of the national list
    (https://archive.datadictionary.nhs.uk/DD%20Release%20August%202024/data_elements/activity_location_type_code.html).
    A family hub has no code of its own: K01, the Sure Start children's centre it grew from, is
    the nearest."""

    PATIENTS_HOME = "A01", "The family's home"
    CARERS_HOME = "A02", "A carer's home"
    OTHER_PATIENT_LOCATION = "A04", "Another place of the family's, such as a temporary address"
    HEALTH_CENTRE = "B01", "Primary care health centre"
    GP_PRACTICE = "C01", "GP practice"
    OUTPATIENT_CLINIC = "E01", "Hospital outpatient clinic"
    DAY_CENTRE = "H01", "Day centre"
    RESOURCE_CENTRE = "J01", "Resource centre"
    CHILDRENS_CENTRE = "K01", "Family hub or children's centre"
    CHILD_DEVELOPMENT_CENTRE = "K02", "Child development centre"
    NURSERY = "L04", "Nursery"
    OTHER_CHILDCARE = "L05", "Other childcare premises"
    PUBLIC_PLACE = "N02", "Other public building or place"
    VOLUNTARY_AGENCY = "N03", "Voluntary or charitable agency premises"
    OTHER = "X01", "Somewhere else"


class ProfessionalRole(models.TextChoices):
    """The role of the professional who held the contact, as MHSDS reports the care
    professional (MHS901StaffDetails). Kept on the contact because a recruit-to-train therapist's
    role changes when she qualifies, and each month's return must say what it was on the day. The
    trust maps these to its national staff-group codes (ATTUNE_MHSDS_STAFF_GROUPS): Attune could
    not confirm that list (ADR 0022)."""

    THERAPIST = "therapist", "Parent-infant therapist"
    TRAINEE = "trainee", "Trainee parent-infant therapist"
    PSYCHOLOGIST = "psychologist", "Clinical psychologist"
    PSYCHOTHERAPIST = "psychotherapist", "Child and adolescent psychotherapist"
    OTHER = "other", "Another professional"


# Where a kind of contact happens and how, before the practitioner says otherwise: a home visit is
# face to face at home, a video call is a video consultation, a phone call a telephone one.
KIND_MECHANISM = {
    ContactKind.HOME_VISIT: ConsultationMechanism.FACE_TO_FACE,
    ContactKind.FAMILY_HUB: ConsultationMechanism.FACE_TO_FACE,
    ContactKind.CLINIC: ConsultationMechanism.FACE_TO_FACE,
    ContactKind.VIDEO: ConsultationMechanism.VIDEO,
    ContactKind.PHONE: ConsultationMechanism.TELEPHONE,
}
# By the kind of site (organisations.SiteKind's values), for contacts at one.
SITE_LOCATION = {
    "family_hub": ActivityLocationType.CHILDRENS_CENTRE,
    "childrens_centre": ActivityLocationType.CHILDRENS_CENTRE,
    "clinic": ActivityLocationType.HEALTH_CENTRE,
    "other": ActivityLocationType.OTHER,
}


def contact_defaults(kind: str, site_kind: str = "") -> tuple[str, str]:
    """The consultation mechanism and activity location type a contact of this kind (at a site
    of this kind) has unless the practitioner records otherwise. A call or video has no location
    of its own: the family is wherever they are."""
    mechanism = KIND_MECHANISM.get(ContactKind(kind), ConsultationMechanism.OTHER).value if kind else ""
    if kind == ContactKind.HOME_VISIT:
        location = ActivityLocationType.PATIENTS_HOME.value
    elif kind in AT_A_SITE:
        fallback = (
            ActivityLocationType.CHILDRENS_CENTRE
            if kind == ContactKind.FAMILY_HUB
            else ActivityLocationType.HEALTH_CENTRE
        )
        location = SITE_LOCATION.get(site_kind, fallback).value
    else:
        location = ""
    return mechanism, location
