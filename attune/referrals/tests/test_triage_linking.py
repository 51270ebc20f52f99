"""A new referral for a family the team already knows: the referral page shows the possible
match with its reasons; a coordinator links the referral to the existing family (a merge, with
a reason), and can undo it."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.families.models import Family, FamilyMerge
from attune.families.tests.factories import CarerFactory, FamilyFactory, SafeguardingFlagFactory, UnbornInfantFactory
from attune.organisations.models import Team
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.tests.factories import ReferralFactory


def known_family(team: Team, *, carer: str = "Jade", due: date = date(2027, 2, 14)) -> Family:
    family: Family = FamilyFactory(team=team, postcode="FY1 1AA")
    UnbornInfantFactory(family=family, family_name="Hughes", expected_due_date=due)
    CarerFactory(family=family, given_name=carer, family_name="Hughes")
    return family


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def summary_errors(page: str) -> list[tuple[str, str]]:
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary)]


@pytest.fixture
def existing(world: World) -> Family:
    return known_family(world.hub)


@pytest.fixture
def new_referral(world: World) -> Referral:
    # The same mother and baby, referred again: due date a few days apart, a second carer named
    family = known_family(world.hub, due=date(2027, 2, 10))
    CarerFactory(family=family, given_name="Dan", family_name="Hughes", relationship="father", is_main_contact=False)
    SafeguardingFlagFactory(family=family, kind="marac")
    referral: Referral = ReferralFactory(family=family)
    return referral


def test_referral_page_shows_the_possible_duplicate_and_its_reasons(
    signed_in: Callable[[User], Client], coordinator: User, existing: Family, new_referral: Referral, world: World
) -> None:
    known_family(world.other_team)  # another trust's family is never offered

    page = html(signed_in(coordinator).get(f"/referrals/{new_referral.pk}"))

    assert "<h2>Possible duplicates</h2>" in page
    assert page.count("This is the same family") == 1
    assert "Strong match" in page
    assert "<li>Similar name</li><li>Due dates within two weeks</li><li>Same postcode</li>" in page
    assert f'href="/referrals/{new_referral.pk}/link/{existing.pk}"' in page


def test_link_to_the_existing_family_then_undo(
    signed_in: Callable[[User], Client], coordinator: User, existing: Family, new_referral: Referral
) -> None:
    client = signed_in(coordinator)
    new_family = new_referral.family
    url = f"/referrals/{new_referral.pk}/link/{existing.pk}"

    # The confirm page shows both records and what will move
    confirm = html(client.get(url))
    assert "<h1>Is this the same family?</h1>" in confirm
    assert f"Referral {new_referral.reference}" in confirm
    assert "Dan Hughes (father)" in confirm  # not on the existing record, so it moves
    assert "Safeguarding flag: Referred to MARAC (domestic abuse risk)" in confirm
    assert "Jade Hughes is already on the record as Jade Hughes" in confirm
    assert AuditEvent.objects.filter(action="family.viewed", object_id=str(existing.pk)).count() == 1

    # A reason is required
    refused = html(client.post(url, {"reason": ""}))
    assert "<title>Error: Link " in refused
    assert summary_errors(refused) == [("#id_reason", "Enter why these are the same family")]
    assert not FamilyMerge.objects.exists()

    linked = client.post(url, {"reason": "Same mother, same due date give or take; referrer confirmed"})

    assert linked.status_code == 302
    assert linked["Location"] == f"/families/{existing.pk}"
    new_referral.refresh_from_db()
    assert new_referral.family_id == existing.pk
    new_family.refresh_from_db()
    assert new_family.merged_into_id == existing.pk
    merge = FamilyMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (existing, new_family, coordinator)
    event = AuditEvent.objects.get(action="family.merged")
    assert event.object_id == str(existing.pk)
    # The kept family shows the referral, the flag that came with it, and a banner offering Undo
    page = html(client.get(linked["Location"]))
    assert "The records are linked" in page
    assert f'href="/families/{existing.pk}/merges/{merge.pk}/undo"' in page
    assert f'<a href="/referrals/{new_referral.pk}">{new_referral.reference}</a>' in page
    assert "data-safeguarding-banner" in page
    assert "Dan Hughes" in page
    # The banner is shown once
    assert "The records are linked" not in html(client.get(f"/families/{existing.pk}"))

    undone = client.post(f"/families/{existing.pk}/merges/{merge.pk}/undo")

    assert undone["Location"] == f"/families/{new_family.pk}"
    new_referral.refresh_from_db()
    assert new_referral.family_id == new_family.pk
    new_family.refresh_from_db()
    assert new_family.merged_into_id is None
    assert existing.safeguarding_flags.count() == 0
    assert AuditEvent.objects.filter(action="family.merge_undone").count() == 2


def test_linking_to_the_family_it_is_already_on_goes_to_that_family(
    signed_in: Callable[[User], Client], coordinator: User, new_referral: Referral
) -> None:
    response = signed_in(coordinator).get(f"/referrals/{new_referral.pk}/link/{new_referral.family_id}")
    assert response["Location"] == f"/families/{new_referral.family_id}"
    assert not FamilyMerge.objects.exists()


def test_a_family_outside_the_persons_teams_cannot_be_linked(
    signed_in: Callable[[User], Client], coordinator: User, new_referral: Referral, world: World
) -> None:
    elsewhere = known_family(world.other_team)
    response = signed_in(coordinator).post(
        f"/referrals/{new_referral.pk}/link/{elsewhere.pk}", {"reason": "Looks the same"}
    )
    assert response.status_code == 404
    assert not FamilyMerge.objects.exists()


def test_only_families_of_the_referrals_own_team_are_offered_to_someone_in_two_teams(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    # The supervisor works in the hub and the satellite team; the referral is to the satellite
    family = known_family(world.satellite, due=date(2027, 2, 10))
    referral: Referral = ReferralFactory(family=family)
    same_team = known_family(world.satellite)
    hub_family = known_family(world.hub)

    page = html(signed_in(supervisor).get(f"/referrals/{referral.pk}"))

    assert page.count("This is the same family") == 1
    assert f'href="/referrals/{referral.pk}/link/{same_team.pk}"' in page
    assert f"/link/{hub_family.pk}" not in page


def test_a_family_in_another_of_the_persons_teams_cannot_be_linked(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    referral: Referral = ReferralFactory(family=known_family(world.satellite, due=date(2027, 2, 10)))
    hub_family = known_family(world.hub)
    client = signed_in(supervisor)
    url = f"/referrals/{referral.pk}/link/{hub_family.pk}"

    for response in (client.get(url, follow=True), client.post(url, {"reason": "Looks the same"}, follow=True)):
        assert response.redirect_chain == [(f"/referrals/{referral.pk}", 302)]
        assert (
            f"{referral.reference} cannot be linked to that family record. The family record belongs to "
            "Example hub team and the referral was sent to Example satellite team. A referral can only be "
            "linked to a family record in the same team."
        ) in html(response)
    assert not FamilyMerge.objects.exists()
    referral.refresh_from_db()
    assert referral.family.team == world.satellite


def test_an_outsider_cannot_link(
    signed_in: Callable[[User], Client], outsider: User, existing: Family, new_referral: Referral
) -> None:
    response = signed_in(outsider).post(f"/referrals/{new_referral.pk}/link/{existing.pk}", {"reason": "Same"})
    assert response.status_code == 404
    assert not FamilyMerge.objects.exists()
