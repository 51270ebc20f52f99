"""Equity of access: referrals by deprivation decile, ethnicity, the baby's age, the main carer
and stresses, with accepted and seen: known answers."""

import datetime as dt

import pytest
from django.test import override_settings

from attune.accounts.models import User
from attune.families.codes import EthnicCategory, Relationship
from attune.families.tests.factories import InfantFactory
from attune.organisations.tests.world import World
from attune.referrals.workflow import Status
from attune.reports.models import DeprivationRank, PostcodeLsoa
from attune.reports.tests.factories import START, at, column, contact, episode, referral, row, scope, sections, table

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 11, 3)


@pytest.fixture
def lookup() -> None:
    for postcode, lsoa, decile in (("FY1 1AA", "E01990001", 1), ("FY1 2BB", "E01990002", 10)):
        PostcodeLsoa.objects.create(postcode=postcode, lsoa_code=lsoa, vintage="2021")
        DeprivationRank.objects.create(edition="IoD2025", lsoa_code=lsoa, rank=decile * 3000, decile=decile)
    # The same postcode in the 2011 vintage sits in a decile-5 LSOA of IoD2019.
    PostcodeLsoa.objects.create(postcode="FY1 1AA", lsoa_code="E01000005", vintage="2011")
    DeprivationRank.objects.create(edition="IoD2019", lsoa_code="E01000005", rank=15000, decile=5)


def test_referrals_by_decile_with_accepted_and_seen(world: World, practitioner: User, lookup: None) -> None:
    seen = episode(world.hub, practitioner, at(DAY), postcode="FY1 1AA")
    seen.referral.received_at = at(DAY)
    seen.referral.save()
    contact(seen, at(dt.date(2025, 11, 10)))
    referral(world.hub, at(DAY), postcode="FY1 1AA", history=((Status.ACCEPTED, at(DAY)),))
    referral(world.hub, at(DAY), postcode="FY1 2BB")
    referral(world.hub, at(DAY), postcode="")
    referral(world.hub, at(DAY), postcode="ZZ9 9ZZ")
    referral(world.satellite, at(DAY), postcode="FY1 1AA")

    found, notes, _context = sections(scope(world.hub))
    deciles = found["equity"].tables[0]

    assert row(deciles, "1 (most deprived)") == {"referrals": 2, "accepted": 2, "seen": 1}
    assert row(deciles, "10 (least deprived)") == {"referrals": 1, "accepted": 0, "seen": 0}
    assert row(deciles, "5") == {"referrals": 0, "accepted": 0, "seen": 0}
    assert row(deciles, "Not known") == {"referrals": 2, "accepted": 0, "seen": 0}
    assert deciles.total is not None
    assert deciles.total.values == {"referrals": 5, "accepted": 2, "seen": 1}
    assert "1 referral had no postcode, so no deprivation decile." in notes
    assert any(note.startswith("1 referral had a postcode that is not in the deprivation lookup") for note in notes)


def test_the_iod2019_edition_uses_2011_lsoas(world: World, lookup: None) -> None:
    referral(world.hub, at(DAY), postcode="FY1 1AA")
    with override_settings(ATTUNE_DEPRIVATION_EDITION="IoD2019"):
        deciles = table(scope(world.hub), "equity_deprivation")
    assert row(deciles, "5")["referrals"] == 1
    assert "IoD2019" in deciles.description


def test_ethnicity_grouped_to_the_five_broad_groups(world: World) -> None:
    for code in ("A", "C", "H", "N", "F", "R", "Z", "99"):
        referral(world.hub, at(DAY), ethnicity=code)
    assert column(table(scope(world.hub), "equity_ethnicity"), "referrals") == {
        "White": 2,
        "Mixed or multiple ethnic groups": 1,
        "Asian or Asian British": 1,
        "Black or Black British": 1,
        "Other ethnic group": 1,
        "Not stated": 1,
        "Not known": 1,
    }
    assert EthnicCategory.NOT_STATED == "Z"


def test_age_of_the_youngest_baby_when_referred(world: World) -> None:
    received = at(DAY)  # 3 November 2025
    referral(world.hub, received, born=None, due=dt.date(2026, 2, 1))  # unborn
    referral(world.hub, received, born=dt.date(2025, 5, 4))  # 5 months
    referral(world.hub, received, born=dt.date(2025, 5, 3))  # 6 months to the day
    referral(world.hub, received, born=dt.date(2024, 11, 4))  # 11 months
    referral(world.hub, received, born=dt.date(2024, 11, 3))  # 1 year
    referral(world.hub, received, born=dt.date(2023, 6, 1))  # 2 years
    referral(world.hub, received, born=dt.date(2021, 1, 1))  # 4 years
    referral(world.hub, received, born=None, due=None)  # no baby recorded
    older = referral(world.hub, received, born=dt.date(2022, 1, 1))
    # A second, younger baby in the same family decides the band.
    InfantFactory(family=older.family, date_of_birth=dt.date(2025, 10, 1))

    assert column(table(scope(world.hub), "equity_age"), "referrals") == {
        "Unborn": 1,
        "Under 6 months": 2,
        "6 to 11 months": 2,
        "1 year": 1,
        "2 years": 1,
        "3 to 5 years": 1,
        "6 years or older": 0,
        "Not known": 1,
    }


def test_main_carer_and_stresses(world: World) -> None:
    referral(world.hub, at(DAY), relationship=Relationship.FATHER, stresses=("bonding", "poverty"))
    referral(world.hub, at(DAY), stresses=("bonding",))
    referral(world.hub, at(START - dt.timedelta(days=1)), stresses=("bonding",))  # before the period

    carers = table(scope(world.hub), "equity_carer")
    stresses = table(scope(world.hub), "equity_stresses")

    assert row(carers, "Mother")["referrals"] == 1
    assert row(carers, "Father")["referrals"] == 1
    assert row(stresses, "Difficulty bonding or feeling close to the baby")["referrals"] == 2
    assert row(stresses, "Poverty or money worries")["referrals"] == 1
    assert stresses.total is None
    assert all(not c.additive for c in stresses.columns)
