"""Is this the same person, or the same family? Plain Python (rapidfuzz for name similarity).

A match by NHS number is certain. Otherwise three kinds of evidence are weighed: a similar name,
a matching date (of birth, or a due date within two weeks, or a birth near the due date given
before), and the same postcode (or postcode sector). All three make a strong match; two make a
possible one, shown to a coordinator to decide. Nothing is merged without a person deciding.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from rapidfuzz.distance import JaroWinkler

DUE_DATE_WINDOW_DAYS = 14
# A baby referred before birth may be born up to about six weeks either side of the due date.
BIRTH_NEAR_DUE_DATE_DAYS = 42
FAMILY_NAME_SIMILARITY = 0.9
GIVEN_NAME_SIMILARITY = 0.85


class Strength(IntEnum):
    NONE = 0
    POSSIBLE = 1
    STRONG = 2
    CERTAIN = 3

    @property
    def label(self) -> str:
        return {0: "No match", 1: "Possible match", 2: "Strong match", 3: "Same NHS number"}[self.value]


@dataclass(frozen=True)
class PersonDetails:
    given_name: str = ""
    family_name: str = ""
    nhs_number: str = ""
    date_of_birth: date | None = None
    due_date: date | None = None
    postcode: str = ""


@dataclass(frozen=True)
class Match:
    strength: Strength
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _fold(name: str) -> str:
    """Lower case, accents and punctuation gone: 'Zoë O'Neill-Smith' -> 'zoe oneillsmith'."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if ch.isalnum() or ch.isspace())
    return " ".join(letters.lower().split())


def similar_names(a: PersonDetails, b: PersonDetails) -> bool:
    family_a, family_b = _fold(a.family_name), _fold(b.family_name)
    if not family_a or not family_b:
        return False
    if JaroWinkler.normalized_similarity(family_a, family_b) < FAMILY_NAME_SIMILARITY:
        return False
    given_a, given_b = _fold(a.given_name), _fold(b.given_name)
    if not given_a or not given_b:
        # An unborn baby often has no first name yet: the family name has to carry it.
        return True
    return JaroWinkler.normalized_similarity(given_a, given_b) >= GIVEN_NAME_SIMILARITY


def _days_apart(a: date, b: date) -> int:
    return abs((a - b).days)


def matching_dates(a: PersonDetails, b: PersonDetails) -> str:
    """Why the dates agree, or '' if they do not."""
    if a.date_of_birth and b.date_of_birth:
        if a.date_of_birth == b.date_of_birth:
            return "Same date of birth"
        swapped = (a.date_of_birth.day, a.date_of_birth.month) == (b.date_of_birth.month, b.date_of_birth.day)
        if swapped and a.date_of_birth.year == b.date_of_birth.year:
            return "Date of birth with day and month swapped"
        return ""
    if a.due_date and b.due_date and _days_apart(a.due_date, b.due_date) <= DUE_DATE_WINDOW_DAYS:
        return "Due dates within two weeks"
    for born, due in ((a.date_of_birth, b.due_date), (b.date_of_birth, a.due_date)):
        if born and due and _days_apart(born, due) <= BIRTH_NEAR_DUE_DATE_DAYS:
            return "Born near the due date given before"
    return ""


def _postcode_compact(value: str) -> str:
    return "".join(value.split()).upper()


def matching_postcode(a: PersonDetails, b: PersonDetails) -> str:
    pa, pb = _postcode_compact(a.postcode), _postcode_compact(b.postcode)
    if not pa or not pb:
        return ""
    if pa == pb:
        return "Same postcode"
    if len(pa) >= 5 and len(pb) >= 5 and pa[:-2] == pb[:-2]:
        return "Same postcode sector"
    return ""


def compare(a: PersonDetails, b: PersonDetails) -> Match:
    if a.nhs_number and b.nhs_number:
        if a.nhs_number == b.nhs_number:
            return Match(Strength.CERTAIN, ("Same NHS number",))
        # Two different valid NHS numbers are two different people, however alike otherwise.
        return Match(Strength.NONE)
    reasons = []
    if similar_names(a, b):
        reasons.append("Similar name")
    dates = matching_dates(a, b)
    if dates:
        reasons.append(dates)
    postcode = matching_postcode(a, b)
    if postcode:
        reasons.append(postcode)
    if len(reasons) == 3:
        return Match(Strength.STRONG, tuple(reasons))
    if len(reasons) == 2:
        return Match(Strength.POSSIBLE, tuple(reasons))
    return Match(Strength.NONE, tuple(reasons))


def best_match(people: list[PersonDetails], others: list[PersonDetails]) -> Match:
    """The strongest match between anyone in one family and anyone in the other."""
    best = Match(Strength.NONE)
    for person in people:
        for other in others:
            found = compare(person, other)
            if found.strength > best.strength:
                best = found
    return best


def same_person_in_same_family(a: PersonDetails, b: PersonDetails) -> bool:
    """Once two records are known to be one family, is this the same person in both? Less
    evidence is needed than to say two families are one: a similar name, and dates that do not
    disagree (an unnamed unborn baby matches on its due date alone)."""
    if a.nhs_number and b.nhs_number:
        return a.nhs_number == b.nhs_number
    has_dates = (a.date_of_birth or a.due_date) and (b.date_of_birth or b.due_date)
    dates_agree = bool(matching_dates(a, b)) if has_dates else True
    if not (a.given_name or b.given_name) and has_dates:
        return dates_agree and similar_names(a, b) if (a.family_name and b.family_name) else dates_agree
    return similar_names(a, b) and dates_agree
