"""How the audit names a family: by the person who would ask to see its record, never by an id."""

import datetime as dt

import pytest

from attune.core import subjects
from attune.families.models import Carer, Infant
from attune.families.subjects import family_label
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

BORN = dt.date(2025, 3, 3)
CHLOE = Carer(given_name="Chloe", family_name="Ashworth", is_main_contact=True)
DAN = Carer(given_name="Dan", family_name="Ashworth")
AVA = Infant(given_name="Ava", family_name="Ashworth", date_of_birth=BORN)


def test_a_family_is_named_by_its_main_carer() -> None:
    assert family_label([DAN, CHLOE], [AVA]) == "Family of Chloe Ashworth"


def test_without_a_main_contact_the_first_carer_names_it() -> None:
    assert family_label([DAN, Carer(given_name="Chloe", family_name="Ashworth")], [AVA]) == "Family of Dan Ashworth"


def test_with_no_carer_named_the_baby_names_it() -> None:
    assert family_label([Carer()], [Infant(expected_due_date=BORN), AVA]) == "Family of Ava Ashworth"
    assert family_label([], [AVA]) == "Family of Ava Ashworth"


def test_a_family_with_no_names_says_so() -> None:
    assert family_label([], [Infant(expected_due_date=BORN)]) == "Family (no names recorded)"
    assert family_label([Carer()], []) == "Family (no names recorded)"


@pytest.mark.django_db
def test_the_family_subject_is_named_and_owned_by_the_provider(world: World) -> None:
    family = FamilyFactory(team=world.hub)
    CarerFactory(family=family, given_name="Chloe", family_name="Ashworth", is_main_contact=True)
    InfantFactory(family=family, given_name="Ava", family_name="Ashworth")
    subject = subjects.resolve("families.family", [str(family.pk), "not-an-id"])[str(family.pk)]
    assert subject.label == "Family of Chloe Ashworth"
    assert subject.kind == "Family"
    assert subject.owners == {str(world.trust.pk)}
    assert str(family.pk)[:8] not in subject.label


def test_every_kind_of_record_about_a_family_has_a_name() -> None:
    """The kinds of record a family's access history shows are each named in words."""
    for object_type in (
        "families.family",
        "families.familyalert",
        "referrals.referral",
        "care.episode",
        "care.appointment",
        "care.note",
        "outcomes.administration",
        "outcomes.questionnairelink",
    ):
        assert object_type in subjects.known_types(), object_type
