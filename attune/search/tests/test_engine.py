"""find_families through the database: each kind of search, spelling tolerance, ranking, scope."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from attune.accounts.tests.factories import UserFactory
from attune.core.actors import Actor
from attune.families import services as family_services
from attune.families.codes import Relationship
from attune.families.models import Family
from attune.families.presenters import carer_rows
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, UnbornInfantFactory
from attune.organisations.tests.world import World
from attune.referrals.tests.factories import ReferralFactory
from attune.search import query as queries
from attune.search.engine import find_families

pytestmark = pytest.mark.django_db

NHS_BABY = "9434765919"
NHS_MUM = "9434765870"


def _family(
    team: object, *, given: str = "Chloe", family_name: str = "Ashworth", baby: str = "Ava", **kwargs: object
) -> Family:
    family = FamilyFactory(team=team, postcode=kwargs.pop("postcode", "FY1 1AA"))
    CarerFactory(
        family=family,
        given_name=given,
        family_name=family_name,
        phone=kwargs.pop("phone", "07700 900123"),
        nhs_number=kwargs.pop("carer_nhs", ""),
        date_of_birth=kwargs.pop("carer_born", None),
    )
    InfantFactory(
        family=family,
        given_name=baby,
        family_name=family_name,
        nhs_number=kwargs.pop("baby_nhs", ""),
        date_of_birth=kwargs.pop("born", timezone.localdate() - dt.timedelta(days=200)),
    )
    return family


def _ids(text: str, team_ids: list[uuid.UUID], limit: int = 25) -> list[uuid.UUID]:
    found = find_families(text, team_ids=team_ids, limit=limit)
    assert found.problem == ""
    return found.family_ids


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Ashworth", "Ashwroth"),
        ("Ashworth", "ashworth"),
        ("Ashworth", "ASHWORTH"),
        ("Ashworth", "Ashw"),
        ("O'Neill", "O'Neil"),
        ("O'Neill", "O Neill"),
        ("O'Neill", "ONeill"),
        ("O’Neill", "O'Neill"),
        ("Macdonald", "McDonald"),
        ("McDonald", "Macdonald"),
        ("Smith-Jones", "Smith Jones"),
        ("Smith Jones", "Smith-Jones"),
        ("Smith-Jones", "Jones"),
        ("Smith-Jones", "Smithjones"),
        ("Brontë", "Bronte"),
        ("Bronte", "Brontë"),
        ("Smith", "Smtih"),
        ("Khan", "Kahn"),
        ("Lewis", "Lweis"),
        ("Hill", "Hll"),
        ("Patel", "Ptel"),
    ],
)
def test_a_family_name_is_found_however_it_is_typed(world: World, stored: str, typed: str) -> None:
    family = _family(world.hub, family_name=stored)
    _family(world.hub, given="Sana", family_name="Walsh" if stored == "Khan" else "Khan", baby="Zara")
    assert _ids(typed, [world.hub.pk]) == [family.pk]


def test_an_accented_given_name_and_a_full_name(world: World) -> None:
    family = _family(world.hub, given="Chloë")
    assert _ids("chloe", [world.hub.pk]) == [family.pk]
    assert _ids("Chloe Ashwroth", [world.hub.pk]) == [family.pk]
    assert _ids("Ava Ashworth", [world.hub.pk]) == [family.pk]


def test_every_word_typed_must_match(world: World) -> None:
    _family(world.hub, given="Chloe", family_name="Ashworth")
    assert _ids("Chloe Patel", [world.hub.pk]) == []


@pytest.mark.parametrize(("stored", "typed"), [("Lee", "Leo"), ("Eva", "Ava"), ("Tim", "Tom"), ("Amy", "Ami")])
def test_a_short_name_is_not_taken_for_another(world: World, stored: str, typed: str) -> None:
    _family(world.hub, given=stored, family_name="Ashworth", baby="Isla")
    assert _ids(typed, [world.hub.pk]) == []


def test_the_name_as_typed_ranks_above_a_close_spelling(world: World) -> None:
    close = _family(world.hub, given="Amy", family_name="Ashwort")
    exact = _family(world.hub, given="Amy", family_name="Ashworth")
    older_exact = _family(world.hub, given="Jade", family_name="Ashworth")
    Family.objects.filter(pk=older_exact.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert _ids("Amy Ashworth", [world.hub.pk]) == [exact.pk, close.pk]
    assert _ids("Ashworth", [world.hub.pk])[:2] == [exact.pk, older_exact.pk]


def test_one_person_matching_every_word_comes_first(world: World) -> None:
    # Chloe and Ashworth in the same family but different people, versus one Chloe Ashworth.
    split = FamilyFactory(team=world.hub)
    CarerFactory(family=split, given_name="Chloe", family_name="Brown")
    CarerFactory(family=split, given_name="Liam", family_name="Ashworth", relationship=Relationship.FATHER)
    whole = _family(world.hub, given="Chloe", family_name="Ashworth")
    Family.objects.filter(pk=whole.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert _ids("Chloe Ashworth", [world.hub.pk]) == [whole.pk, split.pk]


@pytest.mark.parametrize("typed", [NHS_BABY, "943 476 5919", "943-476-5919", " 943 4765 919 "])
def test_an_nhs_number_with_or_without_spaces(world: World, typed: str) -> None:
    family = _family(world.hub, baby_nhs=NHS_BABY)
    _family(world.hub, family_name="Khan", baby_nhs="4010232137")
    found = find_families(typed, team_ids=[world.hub.pk])
    assert (found.kind, found.family_ids) == ("nhs_number", [family.pk])


def test_a_carers_nhs_number(world: World) -> None:
    family = _family(world.hub, carer_nhs=NHS_MUM)
    assert _ids("943 476 5870", [world.hub.pk]) == [family.pk]


@pytest.mark.parametrize("typed", ["12/3/2025", "12-03-2025", "12 March 2025", "2025-03-12", "12 3 2025", "12.03.25"])
def test_a_date_of_birth_typed_any_usual_way(world: World, typed: str) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        family = _family(world.hub, born=dt.date(2025, 3, 12))
        _family(world.hub, family_name="Khan", born=dt.date(2025, 12, 3))
        found = find_families(typed, team_ids=[world.hub.pk])
    assert (found.kind, found.family_ids) == ("date", [family.pk])


def test_a_due_date_and_a_carers_date_of_birth(world: World) -> None:
    due = timezone.localdate() + dt.timedelta(days=60)
    expecting = FamilyFactory(team=world.hub)
    UnbornInfantFactory(family=expecting, expected_due_date=due)
    mum = _family(world.hub, carer_born=dt.date(1994, 7, 1))
    assert _ids(due.isoformat(), [world.hub.pk]) == [expecting.pk]
    assert _ids("1 July 1994", [world.hub.pk]) == [mum.pk]


@pytest.mark.parametrize("typed", ["FY1 1AA", "fy11aa", "Fy1  1aa"])
def test_a_postcode_with_or_without_its_space(world: World, typed: str) -> None:
    family = _family(world.hub, postcode="FY1 1AA")
    _family(world.hub, family_name="Khan", postcode="FY1 1AB")
    found = find_families(typed, team_ids=[world.hub.pk])
    assert (found.kind, found.family_ids) == ("postcode", [family.pk])


def test_the_start_of_a_postcode_finds_its_district_only(world: World) -> None:
    fy1 = _family(world.hub, postcode="FY1 1AA")
    fy10 = _family(world.hub, family_name="Khan", postcode="FY10 1AA")
    assert _ids("FY1", [world.hub.pk]) == [fy1.pk]
    assert _ids("FY10", [world.hub.pk]) == [fy10.pk]


@pytest.mark.parametrize(
    "typed", ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "0044 7700 900 123"]
)
def test_a_phone_number_typed_any_usual_way(world: World, typed: str) -> None:
    family = _family(world.hub, phone="07700 900123")
    _family(world.hub, family_name="Khan", phone="07700 900999")
    found = find_families(typed, team_ids=[world.hub.pk])
    assert (found.kind, found.family_ids) == ("phone", [family.pk])


@pytest.mark.parametrize("typed", ["PIR-ACDE-FGHJ", "pir-acde-fghj", "PIRACDEFGHJ", "PIR ACDE FGHJ"])
def test_a_referral_reference(world: World, typed: str) -> None:
    family = _family(world.hub)
    ReferralFactory(family=family, reference="PIR-ACDE-FGHJ")
    ReferralFactory(family=_family(world.hub, family_name="Khan"), reference="PIR-ACDE-FGHK")
    found = find_families(typed, team_ids=[world.hub.pk])
    assert (found.kind, found.family_ids) == ("reference", [family.pk])


def test_a_name_narrowed_by_a_date_of_birth(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        wanted = _family(world.hub, born=dt.date(2025, 3, 12))
        _family(world.hub, born=dt.date(2025, 4, 1))
        found = find_families("Ashworth 12/3/2025", team_ids=[world.hub.pk])
    assert (found.kind, found.family_ids) == ("name", [wanted.pk])


def test_a_name_narrowed_by_a_postcode(world: World) -> None:
    wanted = _family(world.hub, postcode="FY1 1AA")
    _family(world.hub, postcode="FY2 9ZZ")
    assert _ids("Ashworth FY1 1AA", [world.hub.pk]) == [wanted.pk]


def test_only_the_teams_given_are_searched_and_nothing_else_is_counted(world: World) -> None:
    mine = _family(world.hub)
    for _ in range(3):
        _family(world.other_team)
    found = find_families("Ashworth", team_ids=[world.hub.pk], limit=1)
    assert (found.family_ids, found.more) == ([mine.pk], False)
    assert find_families("Ashworth", team_ids=[], limit=1).family_ids == []
    assert len(find_families("Ashworth", team_ids=[world.hub.pk, world.other_team.pk]).family_ids) == 4


def test_at_most_the_limit_and_more_says_there_were_others(world: World) -> None:
    for _ in range(4):
        _family(world.hub)
    found = find_families("Ashworth", team_ids=[world.hub.pk], limit=3)
    assert (len(found.family_ids), found.more) == (3, True)
    found = find_families("07700 900123", team_ids=[world.hub.pk], limit=3)
    assert (len(found.family_ids), found.more) == (3, True)
    found = find_families("Ashworth", team_ids=[world.hub.pk], limit=4)
    assert (len(found.family_ids), found.more) == (4, False)


def test_how_many_matched_in_all_is_counted_past_the_limit(world: World) -> None:
    for _ in range(5):
        _family(world.hub)
    _family(world.satellite)  # another team's family is not counted
    assert find_families("Ashworth", team_ids=[world.hub.pk], limit=2).total == 5
    assert find_families("07700 900123", team_ids=[world.hub.pk], limit=2).total == 5
    assert find_families("Ashworth", team_ids=[world.hub.pk], limit=25).total == 5


def _actor() -> Actor:
    return Actor(user=UserFactory())


def test_a_merged_record_is_not_found_but_the_family_it_joined_is(world: World) -> None:
    kept = _family(world.hub, given="Chloe", family_name="Ashworth")
    merged = _family(world.hub, given="Sana", family_name="Khan", baby="Zara")
    family_services.merge_families(actor=_actor(), kept=kept, merged=merged, reason="Same family")
    # Sana moved to the kept record: she is found there, the merged record nowhere.
    assert _ids("Sana Khan", [world.hub.pk]) == [kept.pk]
    merge = kept.merges_in.get()
    family_services.undo_merge(actor=_actor(), merge=merge)
    assert _ids("Sana Khan", [world.hub.pk]) == [merged.pk]
    assert _ids("Chloe", [world.hub.pk]) == [kept.pk]


def test_a_changed_name_stays_findable_as_a_former_name(world: World) -> None:
    family = _family(world.hub, given="Chloe", family_name="Smith")
    carer = family.carers.get()
    family_services.update_family_details(
        actor=_actor(),
        family=family,
        changes=[family_services.DetailChange(carer, {"family_name": "Ashworth"}, "last name")],
        source="Test",
    )
    carer.refresh_from_db()
    assert carer.former_names == ["Chloe Smith"]
    assert _ids("Chloe Ashworth", [world.hub.pk]) == [family.pk]
    assert _ids("Chloe Smith", [world.hub.pk]) == [family.pk]


def test_details_corrected_are_searchable_at_once(world: World) -> None:
    family = _family(world.hub, phone="07700 900123", postcode="FY1 1AA")
    carer = family.carers.get()
    family_services.update_family_details(
        actor=_actor(),
        family=family,
        changes=[
            family_services.DetailChange(carer, {"phone": "07700 900456"}, "phone number"),
            family_services.DetailChange(family, {"postcode": "fy2 9zz"}, "postcode"),
        ],
        source="Test",
    )
    assert _ids("07700 900456", [world.hub.pk]) == [family.pk]
    assert _ids("07700 900123", [world.hub.pk]) == []
    assert _ids("FY2 9ZZ", [world.hub.pk]) == [family.pk]


def test_a_birth_recorded_is_searchable_by_the_new_name_date_and_number(world: World) -> None:
    family = FamilyFactory(team=world.hub)
    unborn = UnbornInfantFactory(family=family, family_name="Ashworth")
    born = timezone.localdate() - dt.timedelta(days=2)
    family_services.record_birth(
        actor=_actor(),
        infant=unborn,
        date_of_birth=born,
        given_name="Isla",
        family_name="Ashworth",
        nhs_number=NHS_BABY,
    )
    unborn.refresh_from_db()
    assert unborn.former_names == []  # 'Ashworth' is still her name: nothing was lost
    assert _ids("Isla Ashworth", [world.hub.pk]) == [family.pk]
    assert _ids(NHS_BABY, [world.hub.pk]) == [family.pk]
    assert _ids(born.isoformat(), [world.hub.pk]) == [family.pk]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", queries.EMPTY),
        ("   ", queries.EMPTY),
        ("a", queries.TOO_SHORT),
        ("%", queries.TOO_SHORT),
        ("_", queries.TOO_SHORT),
        ("*", queries.TOO_SHORT),
        ("x" * 500, queries.TOO_LONG),
        ("123 456 7890", "123 456 7890 is not a valid NHS number. Check the number and try again"),
    ],
)
def test_bad_input_gets_a_clear_problem_and_no_search(world: World, typed: str, problem: str) -> None:
    _family(world.hub)
    found = find_families(typed, team_ids=[world.hub.pk])
    assert (found.problem, found.family_ids, found.more) == (problem, [], False)


@pytest.mark.parametrize(
    "typed", ["'; drop table families_family; --", "Ash%", "Ash_", "Ash*", "(.*)+[a-z]", "\\", '"Ash"']
)
def test_sql_and_pattern_characters_are_only_ever_text(world: World, typed: str) -> None:
    family = _family(world.hub)
    found = find_families(typed, team_ids=[world.hub.pk])
    assert found.family_ids in ([], [family.pk])
    assert Family.objects.filter(pk=family.pk).exists()
    if typed.startswith(("Ash", '"Ash')):
        assert found.family_ids == [family.pk]


def test_the_family_page_shows_a_former_name(world: World) -> None:
    family = _family(world.hub, given="Chloe", family_name="Smith")
    carer = family.carers.get()
    family_services.update_family_details(
        actor=_actor(),
        family=family,
        changes=[family_services.DetailChange(carer, {"family_name": "Ashworth"}, "last name")],
        source="Test",
    )
    carer.refresh_from_db()
    rows = {row["key"]["text"]: row["value"]["text"] for row in carer_rows(carer) if "text" in row["value"]}
    assert rows["Former names"] == "Chloe Smith"
