"""Bridges from family records to the pure matching rules."""

from attune.families.matching import PersonDetails
from attune.families.models import Carer, Family, Infant


def details(person: Infant | Carer, family: Family) -> PersonDetails:
    if isinstance(person, Infant):
        return PersonDetails(
            given_name=person.given_name,
            family_name=person.family_name,
            nhs_number=person.nhs_number,
            date_of_birth=person.date_of_birth,
            due_date=person.expected_due_date,
            postcode=family.postcode,
        )
    return PersonDetails(
        given_name=person.given_name,
        family_name=person.family_name,
        nhs_number=person.nhs_number,
        date_of_birth=person.date_of_birth,
        postcode=family.postcode,
    )


def infants_of(family: Family) -> list[PersonDetails]:
    return [details(infant, family) for infant in family.infants.all()]


def carers_of(family: Family) -> list[PersonDetails]:
    return [details(carer, family) for carer in family.carers.all()]
