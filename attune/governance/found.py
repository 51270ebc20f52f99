"""What the IG lead's Find page lists: families, with enough about each person to tell two
families of the same name apart, and members of staff with their roles."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode

from attune.accounts.models import User
from attune.core.formatting import date_long, nhs_number
from attune.families.models import Carer, Family, Infant
from attune.families.subjects import family_label

# What kind of search ran, as the page says it ("Searching by NHS number").
KIND_WORDS = {
    "name": "name",
    "nhs_number": "NHS number",
    "date": "date of birth or due date",
    "postcode": "postcode",
    "reference": "referral reference",
    "phone": "phone number",
}


@dataclass(frozen=True)
class FoundFamily:
    href: str
    label: str
    team: str
    people: list[str]


@dataclass(frozen=True)
class FoundPerson:
    name: str
    email: str
    roles: list[str]
    activity_href: str  # '' when they have done nothing yet (their activity page has nothing)
    log_href: str


def _infant(infant: Infant) -> str:
    words = [infant.display_name]
    if infant.date_of_birth:
        words.append(f"born {date_long(infant.date_of_birth)}")
    elif infant.expected_due_date:
        words.append(f"due {date_long(infant.expected_due_date)}")
    if infant.nhs_number:
        words.append(f"NHS number {nhs_number(infant.nhs_number)}")
    return ", ".join(words)


def _carer(carer: Carer) -> str:
    name = carer.full_name or "Name not given"
    words = [f"{name} ({carer.get_relationship_display().lower()})"]
    if carer.date_of_birth:
        words.append(f"born {date_long(carer.date_of_birth)}")
    if carer.nhs_number:
        words.append(f"NHS number {nhs_number(carer.nhs_number)}")
    return ", ".join(words)


def found_family(family: Family) -> FoundFamily:
    carers = list(family.carers.all())
    infants = list(family.infants.all())
    return FoundFamily(
        href=reverse("governance:family_access", args=[family.pk]),
        label=family_label(carers, infants),
        team=family.team.name,
        people=[_carer(carer) for carer in carers] + [_infant(infant) for infant in infants],
    )


def _role(membership: object, today: date) -> str:
    label = str(getattr(membership, "label", ""))
    ends_on = getattr(membership, "ends_on", None)
    if ends_on is not None and ends_on < today:
        return f"{label} (ended {date_long(ends_on)})"
    return label


def found_person(person: User, *, acted: set[str], today: date) -> FoundPerson:
    return FoundPerson(
        name=person.full_name,
        email=person.email,
        roles=[_role(m, today) for m in person.memberships.all()],
        activity_href=reverse("governance:person", args=[person.pk]) if str(person.pk) in acted else "",
        log_href=f"{reverse('governance:events')}?{urlencode({'person': str(person.pk)})}",
    )
