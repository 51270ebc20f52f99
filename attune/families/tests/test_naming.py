"""What a family is called: by its born children, and by its main carer while the baby is unborn."""

import datetime as dt

from attune.families.models import Carer, Infant
from attune.families.naming import all_unborn, main_carer_name, title_of

DUE = dt.date(2027, 2, 14)
MUM = Carer(given_name="Jade", family_name="Hughes", is_main_contact=True)
DAD = Carer(given_name="Sam", family_name="Hughes")


def test_a_family_is_named_by_its_born_children() -> None:
    ava = Infant(given_name="Ava", family_name="Hughes", date_of_birth=dt.date(2026, 8, 1))
    assert title_of([ava], [MUM]) == "Family of Ava Hughes"


def test_while_the_baby_is_unborn_the_family_is_named_by_its_main_carer() -> None:
    chosen_name = Infant(given_name="Ava", family_name="Hughes", expected_due_date=DUE)
    assert title_of([chosen_name], [DAD, MUM]) == "Family of Jade Hughes"
    assert title_of([Infant(expected_due_date=DUE)], [DAD]) == "Family of Sam Hughes"


def test_an_unborn_baby_names_the_family_only_when_there_is_no_carer() -> None:
    assert title_of([Infant(given_name="Ava", family_name="Hughes", expected_due_date=DUE)], []) == (
        "Family of Ava Hughes"
    )
    assert title_of([Infant(expected_due_date=DUE)], []) == "Family record"


def test_an_older_born_child_still_names_the_family_when_a_baby_is_expected() -> None:
    leo = Infant(given_name="Leo", family_name="Hughes", date_of_birth=dt.date(2025, 3, 1))
    infants = [leo, Infant(expected_due_date=DUE)]
    assert title_of(infants, [MUM]) == "Family of Leo Hughes"
    assert not all_unborn(infants)
    assert all_unborn([Infant(expected_due_date=DUE)])
    assert not all_unborn([])


def test_the_main_carer_is_the_main_contact_or_else_the_first() -> None:
    assert main_carer_name([DAD, MUM]) == "Jade Hughes"
    assert main_carer_name([DAD]) == "Sam Hughes"
    assert main_carer_name([Carer()]) == ""
    assert main_carer_name([]) == ""
