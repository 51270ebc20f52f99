"""Finding families that may be the same as a new one, among those the reader may see."""

from datetime import date

import pytest

from attune.families.duplicates import candidates_for
from attune.families.matching import Strength, best_match
from attune.families.models import Family
from attune.families.people import carers_of, infants_of
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, UnbornInfantFactory
from attune.organisations.models import Team
from attune.organisations.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

DUE = date(2027, 1, 21)


@pytest.fixture
def team() -> Team:
    return TeamFactory()


def _family(team: Team, postcode: str, **infant: object) -> Family:
    family = FamilyFactory(team=team, postcode=postcode)
    if infant.get("date_of_birth") is None and "expected_due_date" in infant:
        UnbornInfantFactory(family=family, **infant)
    else:
        InfantFactory(family=family, **infant)
    return family


def _found(family: Family, among: object = None) -> list[tuple[Family, Strength]]:
    pool = Family.objects.all() if among is None else among
    return [(c.family, c.match.strength) for c in candidates_for(family, pool)]  # type: ignore[arg-type]


def test_the_same_nhs_number_is_found_whatever_else_differs(team: Team) -> None:
    new = _family(team, "FY1 1AA", given_name="Lacey", family_name="Cartwright", nhs_number="9990000026")
    known = _family(team, "BB2 6JD", given_name="Lacey-Mae", family_name="Lister", nhs_number="9990000026")
    assert _found(new) == [(known, Strength.CERTAIN)]


def test_a_parent_with_the_same_nhs_number_is_found(team: Team) -> None:
    new = _family(team, "FY1 1AA", given_name="Noah", family_name="Riley")
    CarerFactory(family=new, given_name="Bethany", family_name="Riley", nhs_number="9990000034")
    known = _family(team, "BB1 8DS", given_name="Ava", family_name="Holt", date_of_birth=date(2024, 1, 1))
    CarerFactory(family=known, given_name="Beth", family_name="Holt", nhs_number="9990000034")
    assert _found(new) == [(known, Strength.CERTAIN)]


def test_an_unborn_baby_is_found_by_name_due_date_and_postcode(team: Team) -> None:
    known = _family(team, "FY4 4QH", family_name="Whittle", expected_due_date=DUE)
    new = _family(team, "FY4 4QH", family_name="Whittel", expected_due_date=date(2027, 1, 28))
    (candidate,) = candidates_for(new, Family.objects.all())
    assert candidate.family == known
    assert candidate.match.strength == Strength.STRONG
    assert candidate.match.reasons == ("Similar name", "Due dates within two weeks", "Same postcode")


def test_a_baby_born_near_the_due_date_given_before_is_found(team: Team) -> None:
    known = _family(team, "FY4 4QH", family_name="Whittle", expected_due_date=DUE)
    new = _family(team, "FY4 4QH", given_name="Mia", family_name="Whittle", date_of_birth=date(2027, 1, 10))
    assert _found(new) == [(known, Strength.STRONG)]


def test_a_family_that_moved_is_a_possible_match(team: Team) -> None:
    known = _family(team, "FY4 4QH", given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20))
    new = _family(team, "BB1 6EA", given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20))
    assert _found(new) == [(known, Strength.POSSIBLE)]


def test_strongest_candidates_come_first(team: Team) -> None:
    possible = _family(team, "BB1 6EA", given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20))
    certain = _family(team, "M1 1AA", given_name="Someone", family_name="Else", nhs_number="9990000026")
    strong = _family(team, "FY4 4QH", given_name="Lacey", family_name="Cartwright", date_of_birth=date(2026, 7, 20))
    new = _family(
        team,
        "FY4 4QH",
        given_name="Lacey",
        family_name="Cartwright",
        date_of_birth=date(2026, 7, 20),
        nhs_number="9990000026",
    )
    # `strong` shares the NHS number's owner's details but has no number: compared on the rest.
    assert _found(new) == [(certain, Strength.CERTAIN), (strong, Strength.STRONG), (possible, Strength.POSSIBLE)]


def test_the_family_itself_is_not_a_candidate(team: Team) -> None:
    alone = _family(team, "FY4 4QH", given_name="Lacey", family_name="Cartwright", nhs_number="9990000026")
    assert _found(alone) == []


def test_a_merged_family_is_not_a_candidate(team: Team) -> None:
    kept = _family(team, "FY4 4QH", family_name="Whittle", expected_due_date=DUE)
    gone = _family(team, "FY4 4QH", family_name="Whittle", expected_due_date=DUE)
    Family.objects.filter(pk=gone.pk).update(merged_into=kept)
    new = _family(team, "FY4 4QH", family_name="Whittel", expected_due_date=DUE)
    assert _found(new) == [(kept, Strength.STRONG)]


def test_only_families_the_reader_may_see_are_searched(team: Team) -> None:
    elsewhere = _family(TeamFactory(), "FY4 4QH", family_name="Whittle", expected_due_date=DUE)
    new = _family(team, "FY4 4QH", family_name="Whittel", expected_due_date=DUE)
    assert _found(new, Family.objects.filter(team=team)) == []
    assert _found(new) == [(elsewhere, Strength.STRONG)]


def test_unrelated_families_are_ignored(team: Team) -> None:
    new = _family(team, "FY4 4QH", family_name="Whittle", expected_due_date=DUE)
    _family(team, "BB3 1BW", given_name="Ava", family_name="Holt", date_of_birth=date(2026, 2, 20))
    _family(team, "FY4 4QH", given_name="Tyler", family_name="Greenwood", date_of_birth=date(2023, 10, 26))  # neighbour
    _family(team, "BB2 4QR", family_name="Walsh", expected_due_date=DUE)  # same due date only
    _family(team, "M1 1AA", family_name="Whittle", expected_due_date=date(2027, 6, 1))  # same name only
    assert _found(new) == []


def test_two_babies_with_different_nhs_numbers_are_not_the_same(team: Team) -> None:
    new = _family(
        team,
        "FY4 4QH",
        given_name="Lacey",
        family_name="Cartwright",
        date_of_birth=date(2026, 7, 20),
        nhs_number="9990000026",
    )
    _family(
        team,
        "FY4 4QH",
        given_name="Lacey",
        family_name="Cartwright",
        date_of_birth=date(2026, 7, 20),
        nhs_number="9990000034",
    )
    assert _found(new) == []


@pytest.mark.parametrize(
    ("known", "new"),
    [
        # The same mum, her surname misspelt, moved within the postcode sector; a new baby.
        (
            {"postcode": "FY4 3RN", "mum": "Cartwright", "born": date(2023, 1, 5)},
            {"postcode": "FY4 3RL", "mum": "Cartwrite", "born": date(2026, 7, 20)},
        ),
        # The same baby, surname misspelt and day and month swapped, after a move.
        (
            {"postcode": "FY4 3RN", "mum": "Cartwright", "born": date(2026, 3, 7), "baby": "Cartwright"},
            {"postcode": "BB1 6EA", "mum": "Lister", "born": date(2026, 7, 3), "baby": "Cartwrite"},
        ),
    ],
)
def test_every_family_the_matching_rules_call_possible_is_found(
    team: Team, known: dict[str, object], new: dict[str, object]
) -> None:
    """The database only narrows the search; it must not drop a family the rules would offer."""
    families = []
    for spec in (known, new):
        family = FamilyFactory(team=team, postcode=spec["postcode"])
        InfantFactory(
            family=family, given_name="Lacey", family_name=spec.get("baby", spec["mum"]), date_of_birth=spec["born"]
        )
        CarerFactory(family=family, given_name="Danielle", family_name=spec["mum"])
        families.append(family)
    first, second = (
        Family.objects.with_people().get(pk=families[0].pk),
        Family.objects.with_people().get(pk=families[1].pk),
    )
    rated = max(
        best_match(infants_of(second), infants_of(first)),
        best_match(carers_of(second), carers_of(first)),
        key=lambda m: m.strength,
    )
    assert rated.strength == Strength.POSSIBLE
    assert _found(second) == [(first, Strength.POSSIBLE)]
