"""The search index kept by the actions, rebuilt by `reindex_search`, and never carried by a merge."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from attune.accounts.tests.factories import UserFactory
from attune.core.actors import Actor
from attune.families import search_index
from attune.families import services as family_services
from attune.families.codes import Relationship
from attune.families.models import SearchEntry, SearchWord
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db


def _keys(family_id: object) -> set[tuple[str, str]]:
    return set(SearchEntry.objects.filter(family_id=family_id).values_list("kind", "value"))


def test_a_family_created_by_the_action_is_indexed_at_once(world: World) -> None:
    family = family_services.create_family(
        new=family_services.NewFamily(
            team=world.hub,
            postcode="fy1 1aa",
            infants=[
                family_services.NewInfant(
                    given_name="Ava",
                    family_name="O'Neill",
                    date_of_birth=dt.date(2025, 3, 12),
                    nhs_number="943 476 5919",
                )
            ],
            carers=[
                family_services.NewCarer(
                    given_name="Chloë", family_name="O'Neill", relationship=Relationship.MOTHER, phone="+44 7700 900123"
                )
            ],
        ),
        source="Test",
    )
    assert _keys(family.pk) == {
        ("postcode", "FY1 1AA"),
        ("name", "ava"),
        ("name", "oneill"),
        ("name", "neill"),
        ("name", "chloe"),
        ("nhs_number", "9434765919"),
        ("date", "2025-03-12"),
        ("phone", "07700900123"),
    }
    assert {"ava", "oneill", "neill", "chloe"} <= set(SearchWord.objects.values_list("word", flat=True))


def test_a_merge_does_not_carry_index_rows_and_both_families_are_reindexed(world: World) -> None:
    kept = FamilyFactory(team=world.hub)
    CarerFactory(family=kept, given_name="Chloe", family_name="Ashworth")
    merged = FamilyFactory(team=world.hub)
    CarerFactory(family=merged, given_name="Liam", family_name="Ashworth", relationship=Relationship.FATHER)
    merge = family_services.merge_families(actor=Actor(user=UserFactory()), kept=kept, merged=merged, reason="Same")
    assert not any("search" in label for label in merge.moved)
    assert ("name", "liam") in _keys(kept.pk)
    assert not any(kind == "name" for kind, _ in _keys(merged.pk))


def test_reindex_search_rebuilds_the_index_and_the_trigram_table(world: World) -> None:
    family = FamilyFactory(team=world.hub)
    InfantFactory(family=family, given_name="Isla", family_name="Haworth")
    expected = _keys(family.pk)
    SearchEntry.objects.all().delete()
    SearchWord.objects.create(word="nobodyhasthisname")
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert "Search index rebuilt" in out.getvalue()
    assert _keys(family.pk) == expected
    assert not SearchWord.objects.filter(word="nobodyhasthisname").exists()
    assert "haworth" in search_index.candidate_words("hawroth")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_trigram_table_holds_every_word_once(world: World) -> None:
    family = FamilyFactory(team=world.hub)
    CarerFactory(family=family, given_name="Chloe", family_name="Ashworth")
    search_index.reindex_family(family.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(DISTINCT rowid) FROM {search_index.FTS_TABLE}")  # noqa: S608
        rows, distinct = cursor.fetchone()
    assert rows == distinct == SearchWord.objects.count()
