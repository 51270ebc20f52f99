"""What the API takes and gives, as typed schemas: django-ninja turns them into the OpenAPI
document at /api/v1/openapi.json and checks every request body against them (a body that does not
fit gets 422 with a message per field, api.py)."""

import datetime as dt
import uuid
from enum import Enum
from typing import Annotated

from ninja import Field, Schema

from attune.families.codes import (
    ContactPreference,
    EthnicCategory,
    ParentalResponsibility,
    Relationship,
    SafeguardingKind,
)
from attune.referrals.codes import PROFESSIONAL_SOURCES, Stress
from attune.referrals.public_forms.questions import REASON_MAX_LENGTH


def _codes(name: str, values: list[str]) -> type[Enum]:
    """An enumeration the OpenAPI document lists value by value (Django's TextChoices carry labels
    and methods the schema has no use for)."""
    return Enum(name, {value: value for value in values}, type=str)  # type: ignore[return-value]


SourceCode = _codes("SourceCode", [source.value for source in PROFESSIONAL_SOURCES])
RelationshipCode = _codes("RelationshipCode", list(Relationship.values))
ResponsibilityCode = _codes("ParentalResponsibilityCode", list(ParentalResponsibility.values))
ContactCode = _codes("ContactPreferenceCode", list(ContactPreference.values))
EthnicCode = _codes("EthnicCategoryCode", list(EthnicCategory.values))
StressCode = _codes("StressCode", list(Stress.values))
SafeguardingCode = _codes("SafeguardingCode", list(SafeguardingKind.values))

Text100 = Annotated[str, Field(max_length=100)]
Text200 = Annotated[str, Field(max_length=200)]


# Answers ---------------------------------------------------------------------------------------


class Problem(Schema):
    field: str = Field(description="Where the problem is, as a dotted path into the body ('baby.date_of_birth')")
    message: str


class Refusal(Schema):
    detail: str = Field(description="What went wrong and what to do about it, in words fit to show a person")


class Invalid(Schema):
    detail: str
    errors: list[Problem]


# Teams -------------------------------------------------------------------------------------------


class TeamOut(Schema):
    id: uuid.UUID
    name: str
    kind: str = Field(description="hub or satellite")
    service: str


# A referral --------------------------------------------------------------------------------------


class ReferrerIn(Schema):
    name: Text200 = Field(description="The professional referring")
    role: SourceCode = Field(  # type: ignore[valid-type]
        description="Their service, as the national source of referral code (A2 health visitor, A4 midwife, A1 GP...)"
    )
    organisation: Text200
    email: str = Field(max_length=254, description="The acknowledgement and the decision are sent here")
    phone: str = Field("", max_length=20)


class BabyIn(Schema):
    given_name: Text100 = Field("", description="Required once the baby is born")
    family_name: Text100 = ""
    date_of_birth: dt.date | None = Field(None, description="For a baby who is born (YYYY-MM-DD)")
    expected_due_date: dt.date | None = Field(None, description="For a baby not yet born (YYYY-MM-DD)")
    nhs_number: str = Field("", max_length=20)
    ethnicity: EthnicCode = Field(EthnicCategory.NOT_KNOWN.value)  # type: ignore[valid-type]


class CarerIn(Schema):
    given_name: Text100
    family_name: Text100
    relationship: RelationshipCode  # type: ignore[valid-type]
    parental_responsibility: ResponsibilityCode = Field(ParentalResponsibility.NOT_KNOWN.value)  # type: ignore[valid-type]
    date_of_birth: dt.date | None = None
    phone: str = Field("", max_length=20)
    phone_is_safe: bool | None = Field(
        None, description="Whether texts and messages to this phone are safe: required with a phone"
    )
    email: str = Field("", max_length=254)
    email_is_safe: bool | None = Field(
        None, description="Whether email to this address is safe: required with an email"
    )
    contact_preference: ContactCode  # type: ignore[valid-type]
    safe_contact_note: str = Field("", max_length=500)
    nhs_number: str = Field("", max_length=20)
    ethnicity: EthnicCode = Field(EthnicCategory.NOT_KNOWN.value)  # type: ignore[valid-type]


class AddressIn(Schema):
    line_1: Text200
    line_2: Text200 = ""
    town: Text100
    postcode: str = Field(max_length=10)


class ReferralIn(Schema):
    referrer: ReferrerIn
    baby: BabyIn
    carers: list[CarerIn] = Field(
        min_length=1, max_length=2, description="The main parent or carer first; at most one more"
    )
    address: AddressIn
    language: Text100 = ""
    interpreter_needed: bool = False
    gp_practice: Text200 = ""
    other_professionals: str = Field("", max_length=2000)
    reason: str = Field(max_length=REASON_MAX_LENGTH, description="Why the family is referred, in the referrer's words")
    stresses: list[StressCode] = Field(default_factory=list, max_length=len(Stress.values))  # type: ignore[valid-type]
    safeguarding: list[SafeguardingCode] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=len(SafeguardingKind.values), description="Safeguarding involvement known"
    )
    family_agreed: bool = Field(description="The family has agreed to this referral: a referral needs it")


class ReferralReceived(Schema):
    reference: str = Field(description="The referral's reference, as the team and the referrer see it")
    team: TeamOut
    received_at: dt.datetime
    status: str
    acknowledgement: str = Field(description="Who is told the referral arrived, and how")


# The waiting list --------------------------------------------------------------------------------


class WaitBand(Schema):
    label: str
    from_weeks: int
    to_weeks: int | None = Field(description="The last whole week in the band; null for the open band")
    families: int


class WaitingOut(Schema):
    team: TeamOut
    counted_at: dt.datetime
    waiting: int = Field(description="Families accepted and waiting for an episode of care")
    urgent: int
    soon: int
    routine: int
    priority_not_set: int
    by_weeks_waited: list[WaitBand] = Field(description="Whole calendar weeks since the referral was received")
    longest_wait_days: int | None = Field(description="Calendar days since the earliest waiting referral was received")


# Report tables -----------------------------------------------------------------------------------


class ColumnOut(Schema):
    key: str
    label: str
    kind: str
    unit: str


class CellOut(Schema):
    text: str = Field(description="As printed: '*' for a suppressed count, '–' for none")
    value: float | None = Field(description="The number shown, or null when withheld or empty")
    withheld: bool


class RowOut(Schema):
    label: str
    cells: list[CellOut]


class TableOut(Schema):
    key: str
    title: str
    description: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut | None
    notes: list[str]


class SectionOut(Schema):
    key: str
    title: str
    tables: list[TableOut]


class PeriodOut(Schema):
    key: str
    label: str
    start: dt.date
    end: dt.date


class ReportOut(Schema):
    team: TeamOut
    period: PeriodOut
    suppressed: bool = Field(description="Always true: figures from 1 to 7 are '*', others rounded to 5")
    suppression: str
    worked_out_at: dt.datetime | None = Field(description="When kept figures were worked out; null for just now")
    notes: list[str]
    sections: list[SectionOut]
