"""Finding families that may be the same as this one, among those the reader may see."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from attune.core.validators import postcode_sector
from attune.families import matching
from attune.families.models import Family, FamilyQuerySet
from attune.families.people import carers_of, infants_of


@dataclass(frozen=True)
class Candidate:
    family: Family
    match: matching.Match


def candidates_for(family: Family, among: FamilyQuerySet) -> list[Candidate]:
    """Strongest first. The database narrows by anything that could match (NHS number, dates,
    postcode, family name); the matching rules then decide."""
    infants, carers = infants_of(family), carers_of(family)
    numbers = [p.nhs_number for p in [*infants, *carers] if p.nhs_number]
    names = {p.family_name.strip().lower() for p in [*infants, *carers] if p.family_name.strip()}
    near = Q()
    for person in [*infants, *carers]:
        for born in _same_or_swapped(person.date_of_birth):
            near |= Q(infants__date_of_birth=born) | Q(carers__date_of_birth=born)
    for person in infants:
        if person.date_of_birth:
            near |= Q(
                infants__expected_due_date__range=_around(person.date_of_birth, matching.BIRTH_NEAR_DUE_DATE_DAYS)
            )
        if person.due_date:
            near |= Q(infants__expected_due_date__range=_around(person.due_date, matching.DUE_DATE_WINDOW_DAYS))
            near |= Q(infants__date_of_birth__range=_around(person.due_date, matching.BIRTH_NEAR_DUE_DATE_DAYS))
    query = near | Q(infants__nhs_number__in=numbers) | Q(carers__nhs_number__in=numbers)
    if family.postcode:
        # The sector ("BB1 7") catches a family that moved down the road or a mistyped unit.
        query |= Q(postcode__startswith=postcode_sector(family.postcode))
    for name in names:
        query |= Q(infants__family_name__iexact=name) | Q(carers__family_name__iexact=name)
    pool = among.current().exclude(pk=family.pk).filter(query).distinct().with_people()
    found = []
    for other in pool:
        match = max(
            matching.best_match(infants, infants_of(other)),
            matching.best_match(carers, carers_of(other)),
            key=lambda m: m.strength,
        )
        if match.strength >= matching.Strength.POSSIBLE:
            found.append(Candidate(other, match))
    return sorted(found, key=lambda c: -c.match.strength)


def _same_or_swapped(born: date | None) -> list[date]:
    """The date, and the date with day and month swapped when that is a real date too."""
    if born is None:
        return []
    found = [born]
    try:
        swapped = born.replace(day=born.month, month=born.day)
    except ValueError:
        return found
    if swapped != born:
        found.append(swapped)
    return found


def _around(day: date, days: int) -> tuple[date, date]:
    return (day - timedelta(days=days), day + timedelta(days=days))
