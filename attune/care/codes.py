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
