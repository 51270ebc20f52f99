"""National code lists used on family records (domain reference B.2, B.3)."""

from django.db import models


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ethnic category (England), as in MHSDS and FHIR UK Core.
    https://github.com/NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN (CodeSystem-UKCore-EthnicCategoryEngland)"""

    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: any other Black background"
    CHINESE = "R", "Other ethnic group: Chinese"
    OTHER = "S", "Other ethnic group: any other ethnic group"
    NOT_STATED = "Z", "Not stated (the person chose not to say)"
    NOT_KNOWN = "99", "Not known"


class NhsNumberStatus(models.TextChoices):
    """NHS Number Verification Status (England), FHIR UKCore-NHSNumberVerificationStatusEngland."""

    VERIFIED = "01", "Number present and verified"
    NOT_TRACED = "02", "Number present but not traced"
    TRACE_REQUIRED = "03", "Trace required"
    NO_MATCH = "04", "Trace attempted: no match or multiple match"
    TO_RESOLVE = "05", "Trace needs to be resolved"
    IN_PROGRESS = "06", "Trace in progress"
    NOT_REQUIRED = "07", "Number not present and trace not required"
    POSTPONED_UNDER_SIX_WEEKS = "08", "Trace postponed (baby under six weeks old)"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    PARTNER = "partner", "Mother's or father's partner"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    ADOPTIVE_PARENT = "adoptive_parent", "Adoptive parent"
    KINSHIP_CARER = "kinship_carer", "Other family member caring for the baby"
    OTHER = "other", "Other"


class ParentalResponsibility(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class ContactPreference(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    LETTER = "letter", "Letter"
    NONE = "none", "Do not contact directly"


class SafeguardingKind(models.TextChoices):
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    LOOKED_AFTER = "looked_after", "Looked after child"
    MARAC = "marac", "Referred to MARAC (domestic abuse risk)"
    UNBORN_PRE_BIRTH_PLAN = "pre_birth_plan", "Pre-birth assessment or plan"
    OTHER = "other", "Other safeguarding concern"
