"""Linking a referral to a family the team already knows: what the referral says differently
about the same people, so the person linking chooses, detail by detail, what the family record
keeps. The referral's own record stays as the referrer gave it, whatever is chosen.

People are paired as merge_families pairs them (matching.same_person_in_same_family), so the
details compared are those of the people the merge will not copy across. Reads only what the
families hold (prefetched or not); no writes here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from attune.core.formatting import date_long, nhs_number
from attune.families import matching
from attune.families.models import Carer, Family, Infant
from attune.families.people import details

KEEP = "family"
USE = "referral"
NOT_GIVEN = "Not given"

P = TypeVar("P", Carer, Infant)


@dataclass(frozen=True)
class Difference:
    key: str  # the form field's name: unique for each detail of each record
    who: str  # whose detail, as the family record names them
    label: str  # "Phone number"
    kept: str  # what the family record holds, as shown
    given: str  # what the referral says, as shown
    record: Family | Carer | Infant  # on the family record
    values: dict[str, object]  # what choosing the referral's sets on `record`

    @property
    def default(self) -> str:
        """Keep what the family record holds, unless it holds nothing."""
        return USE if self.kept == NOT_GIVEN else KEEP

    @property
    def in_sentence(self) -> str:
        """'phone number', 'NHS number': the label inside a sentence."""
        return self.label if self.label.startswith("NHS") else self.label[:1].lower() + self.label[1:]

    @property
    def question(self) -> str:
        return f"{self.label} for {self.who}"

    @property
    def missing_message(self) -> str:
        return f"Select which {self.in_sentence} to keep for {self.who}"


def _or_not_given(text: str) -> str:
    return text.strip() or NOT_GIVEN


def _address(family: Family) -> str:
    return _or_not_given(family.address)


def _address_key(family: Family) -> tuple[str, ...]:
    parts = (family.address_line_1, family.address_line_2, family.town, family.postcode)
    return tuple(" ".join(part.split()).lower() for part in parts)


def _contact(value: str, safe: bool) -> str:
    if not value.strip():
        return NOT_GIVEN
    return value if safe else f"{value} (not safe to use)"


def _compact(value: str) -> str:
    return "".join(value.split()).lower()


def _day(value: object) -> str:
    return date_long(value) if value else NOT_GIVEN  # type: ignore[arg-type]


def _contact_difference(prefix: str, who: str, kept: Carer, given: Carer, field: str, label: str) -> Difference | None:
    """A phone number or email address the referral gives differently. Whether it is safe to use
    is the referrer's word about that number or inbox, so it comes with it."""
    safe = f"{field}_is_safe"
    new, new_safe = getattr(given, field), getattr(given, safe)
    old, old_safe = getattr(kept, field), getattr(kept, safe)
    if not new.strip() or (_compact(new), new_safe) == (_compact(old), old_safe):
        return None
    return Difference(
        f"{prefix}-{field}",
        who,
        label,
        _contact(old, old_safe),
        _contact(new, new_safe),
        kept,
        {field: new, safe: new_safe},
    )


def _carer_differences(kept: Carer, given: Carer) -> list[Difference]:
    who = kept.full_name or "Parent or carer"
    prefix = f"carer-{kept.pk}"
    found = []
    if given.full_name and given.full_name.strip() != kept.full_name.strip():
        found.append(
            Difference(
                f"{prefix}-name",
                who,
                "Name",
                _or_not_given(kept.full_name),
                given.full_name,
                kept,
                {"given_name": given.given_name, "family_name": given.family_name},
            )
        )
    for field, label in (("phone", "Phone number"), ("email", "Email address")):
        difference = _contact_difference(prefix, who, kept, given, field, label)
        if difference is not None:
            found.append(difference)
    if given.date_of_birth and given.date_of_birth != kept.date_of_birth:
        found.append(
            Difference(
                f"{prefix}-dob",
                who,
                "Date of birth",
                _day(kept.date_of_birth),
                _day(given.date_of_birth),
                kept,
                {"date_of_birth": given.date_of_birth},
            )
        )
    return found


def _infant_differences(kept: Infant, given: Infant) -> list[Difference]:
    who = kept.display_name
    prefix = f"infant-{kept.pk}"
    found = []
    if given.full_name and given.full_name.strip() != kept.full_name.strip():
        found.append(
            Difference(
                f"{prefix}-name",
                who,
                "Name",
                _or_not_given(kept.full_name),
                given.full_name,
                kept,
                {"given_name": given.given_name, "family_name": given.family_name},
            )
        )
    if given.date_of_birth and given.date_of_birth != kept.date_of_birth:
        found.append(
            Difference(
                f"{prefix}-dob",
                who,
                "Date of birth",
                _day(kept.date_of_birth),
                _day(given.date_of_birth),
                kept,
                {"date_of_birth": given.date_of_birth},
            )
        )
    # A due date matters only while the family record's baby is unborn.
    if not kept.is_born and given.expected_due_date and given.expected_due_date != kept.expected_due_date:
        found.append(
            Difference(
                f"{prefix}-due",
                who,
                "Due date",
                _day(kept.expected_due_date),
                _day(given.expected_due_date),
                kept,
                {"expected_due_date": given.expected_due_date},
            )
        )
    if given.nhs_number and given.nhs_number != kept.nhs_number:
        found.append(
            Difference(
                f"{prefix}-nhs",
                who,
                "NHS number",
                nhs_number(kept.nhs_number) if kept.nhs_number else NOT_GIVEN,
                nhs_number(given.nhs_number),
                kept,
                {"nhs_number": given.nhs_number},
            )
        )
    return found


def _household_differences(kept: Family, given: Family) -> list[Difference]:
    if not given.address or _address_key(given) == _address_key(kept):
        return []
    values: dict[str, object] = {
        "address_line_1": given.address_line_1,
        "address_line_2": given.address_line_2,
        "town": given.town,
        "postcode": given.postcode,
    }
    if given.local_authority_id is not None:
        # The council area was found from the referral's postcode, so it goes with the address.
        values["local_authority"] = given.local_authority
    return [Difference("family-address", "the household", "Address", _address(kept), _address(given), kept, values)]


def _pairs(given: list[P], kept: list[P], given_family: Family, kept_family: Family) -> list[tuple[P, P]]:
    """Each person on the referral's record with the same person on the family record, as
    merge_families decides who is already there."""
    pairs = []
    for person in given:
        mine = details(person, given_family)
        same = next(
            (other for other in kept if matching.same_person_in_same_family(mine, details(other, kept_family))), None
        )
        if same is not None:
            pairs.append((same, person))
    return pairs


def differences(*, kept: Family, referred: Family) -> list[Difference]:
    """What the referral's record (`referred`) says differently from the family record (`kept`)
    about the household and the people in both. A detail the referral leaves blank is not a
    difference: there is nothing new to keep."""
    found = _household_differences(kept, referred)
    compare: list[tuple[Callable[..., list[Difference]], list[tuple[Carer, Carer]] | list[tuple[Infant, Infant]]]] = [
        (_carer_differences, _pairs(list(referred.carers.all()), list(kept.carers.all()), referred, kept)),
        (_infant_differences, _pairs(list(referred.infants.all()), list(kept.infants.all()), referred, kept)),
    ]
    for differ, pairs in compare:
        for same, person in pairs:
            found += differ(same, person)
    # Two people on the referral matched to one on the record: the first is asked about.
    seen: set[str] = set()
    unique = []
    for difference in found:
        if difference.key not in seen:
            seen.add(difference.key)
            unique.append(difference)
    return unique


def languages_to_carry(*, kept: Family, referred: Family) -> list[tuple[Carer, Carer]]:
    """Each person on the family record with no language recorded whom the referral (`referred`)
    gives one for, with that person on the referral: linking fills the blank, so the referral's
    interpreter answer reaches the person (issue 19). A language already recorded is kept: the
    team may know better than the referrer, and can change it on the person's language page."""
    return [
        (same, person)
        for same, person in _pairs(list(referred.carers.all()), list(kept.carers.all()), referred, kept)
        if not same.spoken_language
        and not same.interpreter_needed
        and (person.spoken_language or person.interpreter_needed)
    ]
