"""A referral sent through the API, checked by the rules the public referral form applies (NHS
numbers, the postcode, the baby's age against the team's rules, safe ways to contact each carer,
the family's agreement) and turned into the Intake that submit_referral takes, so it arrives in
the team's inbox, is audited and acknowledged exactly as one sent on the form."""

import datetime as dt
from enum import Enum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from attune.core.validators import is_valid_nhs_number, is_valid_postcode, normalise_nhs_number, normalise_postcode
from attune.families.codes import ContactPreference
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.interop.api_schemas import BabyIn, CarerIn, ReferralIn
from attune.organisations.areas import local_authority_for
from attune.organisations.models import Team
from attune.referrals.codes import ReferralSource
from attune.referrals.eligibility import age_problem
from attune.referrals.models import ReferralKind
from attune.referrals.public_forms.questions import PHONE_ERROR, clean_phone
from attune.referrals.services import Intake, Referrer, rules_for

NHS_NUMBER_ERROR = "Enter a valid NHS number: 10 digits with a correct check digit, like 943 476 5919"
EMAIL_ERROR = "Enter an email address in the correct format, like name@example.com"
FORM = "api"


def code(value: object) -> str:
    """A code from the body: an enumeration member once validated, or its default as given."""
    return str(value.value) if isinstance(value, Enum) else str(value)


class Invalid(Exception):
    """The referral breaks the rules: one message per field, in the body's dotted paths."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class _Checks:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append((field, message))

    def nhs_number(self, field: str, value: str) -> str:
        if value.strip() and not is_valid_nhs_number(value):
            self.add(field, NHS_NUMBER_ERROR)
            return ""
        return normalise_nhs_number(value)

    def phone(self, field: str, value: str) -> str:
        try:
            return clean_phone(value)
        except forms.ValidationError:
            self.add(field, PHONE_ERROR)
            return ""

    def email(self, field: str, value: str, *, required: bool) -> str:
        value = value.strip()
        if not value:
            if required:
                self.add(field, "Enter the referrer's work email address")
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.add(field, EMAIL_ERROR)
        return value

    def text(self, field: str, value: str, message: str) -> str:
        value = value.strip()
        if not value:
            self.add(field, message)
        return value


def _baby(checks: _Checks, baby: BabyIn, team: Team, today: dt.date) -> NewInfant:
    born, due = baby.date_of_birth, baby.expected_due_date
    if born is not None and due is not None:
        checks.add("baby.expected_due_date", "Give the baby's date of birth or due date, not both")
    elif born is None and due is None:
        checks.add("baby.date_of_birth", "Enter the baby's date of birth, or their due date if they are not yet born")
    else:
        problem = age_problem(rules_for(team, today), born=born, due=due, today=today)
        if problem:
            checks.add("baby.date_of_birth" if born is not None else "baby.expected_due_date", problem)
    if born is not None:
        checks.text("baby.given_name", baby.given_name, "Enter the baby's first name")
        checks.text("baby.family_name", baby.family_name, "Enter the baby's last name")
    return NewInfant(
        given_name=baby.given_name.strip(),
        family_name=baby.family_name.strip(),
        date_of_birth=born,
        expected_due_date=due if born is None else None,
        nhs_number=checks.nhs_number("baby.nhs_number", baby.nhs_number),
        ethnicity=code(baby.ethnicity),
    )


def _carer(checks: _Checks, carer: CarerIn, at: str, today: dt.date, *, main: bool) -> NewCarer:
    """The contact rules of the public form's contact page: a phone or inbox is used only with a
    clear answer that it is safe, and the preferred way must be one the team can use safely."""
    given = checks.text(f"{at}.given_name", carer.given_name, "Enter the carer's first name")
    family = checks.text(f"{at}.family_name", carer.family_name, "Enter the carer's last name")
    if carer.date_of_birth is not None and carer.date_of_birth >= today:
        checks.add(f"{at}.date_of_birth", "The carer's date of birth must be in the past")
    phone = checks.phone(f"{at}.phone", carer.phone)
    email = checks.email(f"{at}.email", carer.email, required=False)
    preference = ContactPreference(code(carer.contact_preference))
    if carer.phone.strip() and carer.phone_is_safe is None:
        checks.add(
            f"{at}.phone_is_safe", "Say whether it is safe to send text messages to this phone or leave messages on it"
        )
    if carer.email.strip() and carer.email_is_safe is None:
        checks.add(f"{at}.email_is_safe", "Say whether it is safe to email them")
    if preference != ContactPreference.NONE and not carer.phone.strip() and not carer.email.strip():
        checks.add(
            f"{at}.phone", "Enter a phone number or an email address, or choose 'none' (do not contact directly)"
        )
    elif preference in (ContactPreference.SMS, ContactPreference.PHONE) and not carer.phone.strip():
        checks.add(f"{at}.phone", "Enter a phone number, or choose another way to contact them")
    elif preference == ContactPreference.EMAIL and not carer.email.strip():
        checks.add(f"{at}.email", "Enter an email address, or choose another way to contact them")
    elif preference == ContactPreference.SMS and carer.phone_is_safe is False:
        checks.add(f"{at}.contact_preference", "It is not safe to send text messages to this phone. Choose another way")
    elif preference == ContactPreference.EMAIL and carer.email_is_safe is False:
        checks.add(f"{at}.contact_preference", "It is not safe to email them. Choose another way")
    return NewCarer(
        given_name=given,
        family_name=family,
        relationship=code(carer.relationship),
        parental_responsibility=code(carer.parental_responsibility),
        date_of_birth=carer.date_of_birth,
        phone=phone,
        email=email,
        contact_preference=preference.value,
        phone_is_safe=carer.phone_is_safe is True,
        email_is_safe=carer.email_is_safe is True,
        safe_contact_note=carer.safe_contact_note.strip(),
        nhs_number=checks.nhs_number(f"{at}.nhs_number", carer.nhs_number),
        ethnicity=code(carer.ethnicity),
        is_main_contact=main,
    )


def _rows(payload: ReferralIn, client_name: str) -> list[dict[str, str]]:
    """What the triage page shows as sent, in the shape the public form keeps."""
    baby = payload.baby
    rows = [
        ("Sent by", "System", client_name),
        ("Referrer", "Name", payload.referrer.name),
        ("Referrer", "Organisation", payload.referrer.organisation),
        ("Referrer", "Email", payload.referrer.email),
        ("Baby", "Date of birth", baby.date_of_birth.isoformat() if baby.date_of_birth else "Not born yet"),
    ]
    if baby.expected_due_date and not baby.date_of_birth:
        rows.append(("Baby", "Due date", baby.expected_due_date.isoformat()))
    rows += [
        ("Family", "Postcode", normalise_postcode(payload.address.postcode)),
        ("Family", "Language", payload.language or "Not given"),
        ("Family", "Interpreter needed", "Yes" if payload.interpreter_needed else "No"),
        ("Reason", "Reason", payload.reason.strip()),
    ]
    return [{"section": section, "label": label, "value": value} for section, label, value in rows]


def intake_from(payload: ReferralIn, *, team: Team, client_name: str) -> Intake:
    """The Intake, or Invalid with every problem found (not just the first)."""
    today = timezone.localdate()
    checks = _Checks()
    if not payload.family_agreed:
        checks.add("family_agreed", "A referral needs the family's agreement. Talk to them first, then send it")
    referrer = payload.referrer
    name = checks.text("referrer.name", referrer.name, "Enter the referrer's full name")
    organisation = checks.text("referrer.organisation", referrer.organisation, "Enter the referrer's organisation")
    email = checks.email("referrer.email", referrer.email, required=True)
    phone = checks.phone("referrer.phone", referrer.phone)
    infant = _baby(checks, payload.baby, team, today)
    carers = [_carer(checks, carer, f"carers.{i}", today, main=i == 0) for i, carer in enumerate(payload.carers)]
    address = payload.address
    line_1 = checks.text("address.line_1", address.line_1, "Enter address line 1, typically the building and street")
    town = checks.text("address.town", address.town, "Enter the town or city")
    postcode = normalise_postcode(address.postcode)
    if not is_valid_postcode(postcode):
        checks.add("address.postcode", "Enter a real postcode, like BB1 7DJ")
    reason = checks.text("reason", payload.reason, "Enter why the family is being referred")
    if checks.problems:
        raise Invalid(checks.problems)
    family = NewFamily(
        team=team,
        infants=[infant],
        carers=carers,
        address_line_1=line_1,
        address_line_2=address.line_2.strip(),
        town=town,
        postcode=postcode,
        # The council whose area the postcode is in, as the form finds it; a family just outside
        # the team's area still arrives, and triage shows the eligibility check.
        local_authority=local_authority_for(postcode),
        language=payload.language.strip(),
        interpreter_needed=payload.interpreter_needed,
        gp_practice=payload.gp_practice.strip(),
        safeguarding=[code(kind) for kind in payload.safeguarding],
    )
    submitted: dict[str, Any] = {"form": FORM, "client": client_name, "rows": _rows(payload, client_name)}
    return Intake(
        kind=ReferralKind.PROFESSIONAL,
        source=code(referrer.role),
        referrer=Referrer(
            name=name,
            role=str(ReferralSource(code(referrer.role)).label),
            organisation=organisation,
            email=email,
            phone=phone,
        ),
        family=family,
        reason=reason,
        consent_given=True,
        stresses=list(dict.fromkeys(code(stress) for stress in payload.stresses)),
        safeguarding_known=list(dict.fromkeys(code(kind) for kind in payload.safeguarding)),
        other_professionals=payload.other_professionals.strip(),
        submitted=submitted,
    )
