"""Code lists for referrals (domain reference B.4, A.1, D)."""

from django.db import models


class ReferralSource(models.TextChoices):
    """SOURCE OF REFERRAL FOR MENTAL HEALTH (MHSDS / IAPT alphanumeric codes), the ones a
    parent-infant service receives. https://archive.datadictionary.nhs.uk (domain B.4)"""

    GP = "A1", "GP practice"
    HEALTH_VISITOR = "A2", "Health visitor"
    OTHER_PRIMARY_CARE = "A3", "Other primary care"
    MATERNITY = "A4", "Midwife or maternity service"
    SELF = "B1", "Self-referral"
    CARER_RELATIVE = "B2", "Self-referral by a carer or relative"
    SOCIAL_SERVICES = "C1", "Social worker (local authority)"
    EDUCATION = "C2", "Education service or early years setting"
    HOUSING = "C3", "Housing service"
    PAEDIATRICS_HOSPITAL = "F2", "Hospital paediatrics or neonatal unit"
    PAEDIATRICS_COMMUNITY = "F3", "Community paediatrics"
    VOLUNTARY = "G4", "Voluntary sector organisation"
    OTHER_SECONDARY = "H2", "Other hospital specialty (for example perinatal mental health)"
    OTHER_SERVICE = "M6", "Other service, such as a family hub"


# Professional referrers choose from these (self-referrals are B1 or B2).
PROFESSIONAL_SOURCES = [c for c in ReferralSource if c not in (ReferralSource.SELF, ReferralSource.CARER_RELATIVE)]


class StressGroup(models.TextChoices):
    """PIP UK's four groups of risk factors ("stresses on the parent-child relationship"),
    https://www.pipuk.org.uk/what-we-do/impact-and-evaluation (domain A.0, D)."""

    INFANT = "infant", "The baby"
    PARENT = "parent", "The parent's history and wellbeing"
    INTERACTION = "interaction", "The relationship between parent and baby"
    CIRCUMSTANCES = "circumstances", "The family's circumstances"


class Stress(models.TextChoices):
    PREMATURE = "premature", "Born early or very small"
    NEONATAL_CARE = "neonatal_care", "Spent time in neonatal care"
    ILLNESS_DISABILITY = "illness_disability", "Illness or disability"
    UNSETTLED = "unsettled", "Very unsettled: crying, feeding or sleeping difficulties"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health", "Parental mental health problems"
    BIRTH_TRAUMA = "birth_trauma", "Traumatic pregnancy or birth"
    ACES = "aces", "The parent's own adverse childhood experiences"
    LOSS = "loss", "Bereavement or baby loss"
    SUBSTANCE_USE = "substance_use", "Alcohol or drug use"
    CARE_EXPERIENCED = "care_experienced", "The parent was in care as a child"
    BONDING = "bonding", "Difficulty bonding or feeling close to the baby"
    RELATIONSHIP_CONCERNS = "relationship_concerns", "Worries about how parent and baby are together"
    POVERTY = "poverty", "Poverty or money worries"
    HOUSING = "housing", "Housing problems or homelessness"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    ISOLATION = "isolation", "Isolation or little support"
    YOUNG_PARENT = "young_parent", "Young parent (under 20)"
    MIGRATION = "migration", "Seeking asylum or new to the country"


STRESS_GROUPS: dict[StressGroup, list[Stress]] = {
    StressGroup.INFANT: [Stress.PREMATURE, Stress.NEONATAL_CARE, Stress.ILLNESS_DISABILITY, Stress.UNSETTLED],
    StressGroup.PARENT: [
        Stress.PARENTAL_MENTAL_HEALTH,
        Stress.BIRTH_TRAUMA,
        Stress.ACES,
        Stress.LOSS,
        Stress.SUBSTANCE_USE,
        Stress.CARE_EXPERIENCED,
    ],
    StressGroup.INTERACTION: [Stress.BONDING, Stress.RELATIONSHIP_CONCERNS],
    StressGroup.CIRCUMSTANCES: [
        Stress.POVERTY,
        Stress.HOUSING,
        Stress.DOMESTIC_ABUSE,
        Stress.ISOLATION,
        Stress.YOUNG_PARENT,
        Stress.MIGRATION,
    ],
}


class LevelOfNeed(models.TextChoices):
    """A clinician's judgement on the continuum from the NENC / Parent-Infant Foundation toolkit
    (domain A.1): not a computed score."""

    STRESS = "stress", "Stress: pressures on the relationship, baby not yet distressed"
    DISTRESS = "distress", "Distress: the baby shows distress"
    DISTURBANCE = "disturbance", "Disturbance: the relationship is disturbed"
    DISORDER = "disorder", "Disorder: risk of or signs of an attachment disorder"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"
    ROUTINE = "routine", "Routine"


class DeclineReason(models.TextChoices):
    AGE = "age", "Outside the age range"
    AREA = "area", "Lives outside the area"
    NO_CONSENT = "no_consent", "The family has not agreed to the referral"
    NOT_RELATIONAL = "not_relational", "The need is not about the parent-infant relationship"
    ALREADY_SUPPORTED = "already_supported", "Already supported by another service"
    OTHER = "other", "Another reason"
