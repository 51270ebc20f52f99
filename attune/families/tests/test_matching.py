"""Is this the same person? The pure matching rules (no database)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from attune.families.matching import (
    Match,
    PersonDetails,
    Strength,
    best_match,
    compare,
    matching_dates,
    matching_postcode,
    same_person_in_same_family,
    similar_names,
)

LACEY = PersonDetails(given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20), postcode="FY4 3RN")
UNBORN = PersonDetails(family_name="Whittle", due_date=date(2027, 1, 21), postcode="FY4 4QH")

names = st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=1, max_size=12)
postcodes = st.sampled_from(["FY1 1AA", "FY4 4QH", "BB1 7DJ", "BB3 1BW", "M1 1AA", ""])
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))
nhs_numbers = st.sampled_from(["", "9990000026", "9990000034", "9434765919"])
people = st.builds(
    PersonDetails,
    given_name=st.one_of(st.just(""), names),
    family_name=st.one_of(st.just(""), names),
    nhs_number=nhs_numbers,
    date_of_birth=st.one_of(st.none(), dates),
    due_date=st.one_of(st.none(), dates),
    postcode=postcodes,
)


# -- NHS numbers ---------------------------------------------------------------------------------


def test_the_same_nhs_number_is_certain_whatever_else_differs() -> None:
    a = replace(LACEY, nhs_number="9990000026")
    b = PersonDetails(given_name="Someone", family_name="Else", nhs_number="9990000026")
    assert compare(a, b) == Match(Strength.CERTAIN, ("Same NHS number",))
    assert Strength.CERTAIN.label == "Same NHS number"


def test_different_nhs_numbers_are_different_people_however_alike() -> None:
    a, b = replace(LACEY, nhs_number="9990000026"), replace(LACEY, nhs_number="9990000034")
    assert compare(a, b) == Match(Strength.NONE)


def test_one_nhs_number_missing_falls_back_to_the_other_evidence() -> None:
    assert compare(replace(LACEY, nhs_number="9990000026"), LACEY).strength == Strength.STRONG


# -- Names, dates and postcodes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        (("Lacey", "Cartwright"), ("Lacey", "Cartwright"), True),
        (("Lacey", "Cartwright"), ("lacey", "CARTWRIGHT"), True),
        (("Zoë", "O'Neill-Smith"), ("Zoe", "ONeill Smith"), True),  # accents and punctuation folded
        (("Kayleigh", "Whittle"), ("Kayleigh", "Whittel"), True),  # a misspelt surname
        (("Katherine", "Nowak"), ("Katharine", "Nowak"), True),
        (("Lacey", "Cartwright"), ("Lacey", "Carter"), False),
        (("Lacey", "Cartwright"), ("Freddie", "Cartwright"), False),  # a sibling
        (("", "Whittle"), ("", "Whittel"), True),  # an unborn baby has no first name yet
        (("", "Whittle"), ("Mia", "Whittle"), True),
        (("Mia", ""), ("Mia", ""), False),  # a family name is needed
    ],
)
def test_similar_names(a: tuple[str, str], b: tuple[str, str], similar: bool) -> None:
    first = PersonDetails(given_name=a[0], family_name=a[1])
    second = PersonDetails(given_name=b[0], family_name=b[1])
    assert similar_names(first, second) is similar


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (
            PersonDetails(date_of_birth=date(2026, 7, 20)),
            PersonDetails(date_of_birth=date(2026, 7, 20)),
            "Same date of birth",
        ),
        (
            PersonDetails(date_of_birth=date(2026, 3, 7)),
            PersonDetails(date_of_birth=date(2026, 7, 3)),
            "Date of birth with day and month swapped",
        ),
        (PersonDetails(date_of_birth=date(2025, 3, 7)), PersonDetails(date_of_birth=date(2026, 7, 3)), ""),
        (PersonDetails(date_of_birth=date(2026, 7, 20)), PersonDetails(date_of_birth=date(2026, 7, 21)), ""),
        (
            PersonDetails(due_date=date(2027, 1, 21)),
            PersonDetails(due_date=date(2027, 2, 4)),
            "Due dates within two weeks",
        ),
        (PersonDetails(due_date=date(2027, 1, 21)), PersonDetails(due_date=date(2027, 2, 5)), ""),
        (
            PersonDetails(due_date=date(2027, 1, 21)),
            PersonDetails(date_of_birth=date(2027, 3, 4)),
            "Born near the due date given before",
        ),  # 42 days after
        (PersonDetails(due_date=date(2027, 1, 21)), PersonDetails(date_of_birth=date(2027, 3, 5)), ""),
        (
            PersonDetails(date_of_birth=date(2026, 12, 10)),
            PersonDetails(due_date=date(2027, 1, 21)),
            "Born near the due date given before",
        ),  # 42 days early
        (PersonDetails(), PersonDetails(date_of_birth=date(2026, 7, 20)), ""),
    ],
)
def test_matching_dates(a: PersonDetails, b: PersonDetails, reason: str) -> None:
    assert matching_dates(a, b) == reason
    assert matching_dates(b, a) == reason


def test_two_dates_of_birth_that_disagree_are_not_rescued_by_a_due_date() -> None:
    a = PersonDetails(date_of_birth=date(2026, 7, 20), due_date=date(2026, 7, 25))
    b = PersonDetails(date_of_birth=date(2026, 8, 20), due_date=date(2026, 7, 25))
    assert matching_dates(a, b) == ""


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("FY4 4QH", "fy44qh", "Same postcode"),
        ("FY4 4QH", "FY4 4RL", "Same postcode sector"),
        ("FY4 4QH", "FY4 3RN", ""),
        ("FY4 4QH", "", ""),
        ("", "", ""),
    ],
)
def test_matching_postcode(a: str, b: str, reason: str) -> None:
    assert matching_postcode(PersonDetails(postcode=a), PersonDetails(postcode=b)) == reason


# -- Strength ------------------------------------------------------------------------------------------


def test_name_date_and_postcode_together_are_a_strong_match() -> None:
    other = PersonDetails(family_name="Whittel", due_date=date(2027, 1, 21), postcode="FY4 4QH")
    assert compare(UNBORN, other) == Match(
        Strength.STRONG, ("Similar name", "Due dates within two weeks", "Same postcode")
    )


def test_two_kinds_of_evidence_are_a_possible_match() -> None:
    moved = replace(LACEY, postcode="BB1 7DJ")
    assert compare(LACEY, moved) == Match(Strength.POSSIBLE, ("Similar name", "Same date of birth"))


def test_one_kind_of_evidence_is_no_match() -> None:
    neighbour = PersonDetails(given_name="Tyler", family_name="Greenwood", postcode="FY4 3RN")
    assert compare(LACEY, neighbour) == Match(Strength.NONE, ("Same postcode",))


def test_best_match_is_the_strongest_between_any_two_people() -> None:
    sibling = PersonDetails(given_name="Freddie", family_name="Cartwright", date_of_birth=date(2023, 1, 5))
    assert best_match([sibling, LACEY], [LACEY]).strength == Strength.STRONG
    assert best_match([sibling], [LACEY]).strength == Strength.NONE
    assert best_match([], [LACEY]) == Match(Strength.NONE)


def test_strengths_are_ordered() -> None:
    assert Strength.NONE < Strength.POSSIBLE < Strength.STRONG < Strength.CERTAIN
    assert [s.label for s in Strength] == ["No match", "Possible match", "Strong match", "Same NHS number"]


# -- The same person within one family (used by a merge) -------------------------------------------------


def test_same_person_in_same_family() -> None:
    assert same_person_in_same_family(LACEY, replace(LACEY, postcode="BB1 7DJ"))
    assert not same_person_in_same_family(LACEY, replace(LACEY, given_name="Freddie"))
    assert not same_person_in_same_family(LACEY, replace(LACEY, date_of_birth=date(2024, 1, 1)))
    # Different NHS numbers are different people; the same number is the same person.
    assert not same_person_in_same_family(
        replace(LACEY, nhs_number="9990000026"), replace(LACEY, nhs_number="9990000034")
    )
    assert same_person_in_same_family(
        replace(LACEY, nhs_number="9990000026"), PersonDetails(given_name="X", nhs_number="9990000026")
    )


def test_an_unnamed_unborn_baby_is_the_same_by_its_due_date() -> None:
    assert same_person_in_same_family(
        PersonDetails(due_date=date(2027, 1, 21)), PersonDetails(due_date=date(2027, 1, 25))
    )
    assert not same_person_in_same_family(
        PersonDetails(due_date=date(2027, 1, 21)), PersonDetails(due_date=date(2027, 4, 25))
    )
    assert same_person_in_same_family(UNBORN, replace(UNBORN, family_name="Whittel"))
    assert not same_person_in_same_family(UNBORN, replace(UNBORN, family_name="Naylor"))


# -- Properties --------------------------------------------------------------------------------------------


@given(people, people)
def test_compare_is_symmetric(a: PersonDetails, b: PersonDetails) -> None:
    assert compare(a, b).strength == compare(b, a).strength
    assert set(compare(a, b).reasons) == set(compare(b, a).reasons)


@given(people)
def test_an_identical_person_with_enough_detail_always_matches(person: PersonDetails) -> None:
    if person.nhs_number:
        assert compare(person, person).strength == Strength.CERTAIN
        return
    has_date = person.date_of_birth is not None or person.due_date is not None
    assume(person.family_name and has_date and person.postcode)
    assert compare(person, person).strength == Strength.STRONG


@given(people, people)
def test_different_nhs_numbers_never_match(a: PersonDetails, b: PersonDetails) -> None:
    assume(a.nhs_number and b.nhs_number and a.nhs_number != b.nhs_number)
    assert compare(a, b).strength == Strength.NONE
    assert not same_person_in_same_family(a, b)


# Built rather than filtered from `people`, so the test never runs out of examples under load.
unborn = st.builds(PersonDetails, family_name=names, due_date=dates, postcode=postcodes)


@given(unborn, st.integers(min_value=0, max_value=14))
def test_due_dates_a_fortnight_apart_still_agree(person: PersonDetails, shift: int) -> None:
    assert person.due_date is not None
    later = replace(person, due_date=person.due_date + timedelta(days=shift))
    assert matching_dates(person, later) == "Due dates within two weeks"
