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


def radio_names(page: str) -> list[str]:
    """The names of the radios asking which detail to keep, each once."""
    return list(dict.fromkeys(re.findall(r'name="((?:family|carer|infant)-[^"]+)" type="radio"', page)))


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]+)" checked', page)


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
    keep = dict.fromkeys(radio_names(confirm), "family")
    assert len(keep) == 3  # the address, the email address and the due date differ
    refused = html(client.post(url, {"reason": "", **keep}))
    assert "<title>Error: Link " in refused
    assert summary_errors(refused) == [("#id_reason", "Enter why these are the same family")]
    assert not FamilyMerge.objects.exists()

    linked = client.post(url, {"reason": "Same mother, same due date give or take; referrer confirmed", **keep})

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


# The referrer's new details: chosen detail by detail -------------------------------------------

NEW_PHONE = "07700 900777"
OLD_PHONE = "07700 900123"


def hughes(team: Team, *, phone: str, email: str = "jade@example.org") -> Family:
    """The Hughes family as one record holds it: only the phone number may differ between two."""
    family: Family = FamilyFactory(team=team, address_line_1="1 Mill Lane", town="Blackpool", postcode="FY1 1AA")
    UnbornInfantFactory(family=family, family_name="Hughes", expected_due_date=date(2027, 2, 14))
    CarerFactory(family=family, given_name="Jade", family_name="Hughes", phone=phone, email=email)
    return family


@pytest.fixture
def known_hughes(world: World) -> Family:
    return hughes(world.hub, phone=OLD_PHONE)


@pytest.fixture
def new_phone_referral(world: World) -> Referral:
    referral: Referral = ReferralFactory(
        family=hughes(world.hub, phone=NEW_PHONE),
        submitted={"form": "professional", "rows": [{"section": "Contact", "label": "Phone", "value": NEW_PHONE}]},
    )
    return referral


def phone_field(family: Family) -> str:
    return f"carer-{family.carers.get().pk}-phone"


def test_the_link_page_shows_what_the_referral_says_differently_beside_the_family_record(
    signed_in: Callable[[User], Client], coordinator: User, known_hughes: Family, new_phone_referral: Referral
) -> None:
    page = html(signed_in(coordinator).get(f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}"))

    assert '<h2 id="differences">What the referral says differently</h2>' in page
    body = page.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    cells = [re.findall(r'<td class="nhsuk-table__cell"> (.*?) </td>', row) for row in body.split("</tr>")]
    assert [c for c in cells if c] == [["Jade Hughes", "Phone number", OLD_PHONE, NEW_PHONE]]
    # Only the phone is asked about (name, email, address and due date are the same), and the
    # family record's value is chosen until the person says otherwise.
    assert radio_names(page) == [phone_field(known_hughes)]
    assert checked(page, phone_field(known_hughes)) == ["family"]
    assert f"Keep {OLD_PHONE} (on the family record)" in page
    assert f"Use {NEW_PHONE} (from this referral)" in page


def test_choosing_the_referrals_phone_updates_the_family_and_the_referral_keeps_it(
    signed_in: Callable[[User], Client], coordinator: User, known_hughes: Family, new_phone_referral: Referral
) -> None:
    client = signed_in(coordinator)
    referred = new_phone_referral.family
    submitted = dict(new_phone_referral.submitted)

    linked = client.post(
        f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}",
        {phone_field(known_hughes): "referral", "reason": "Same mother; the midwife has her new number"},
        follow=True,
    )

    assert linked.redirect_chain == [(f"/families/{known_hughes.pk}", 302)]
    page = html(linked)
    assert "Linked to the Hughes family; phone number updated." in page
    assert NEW_PHONE in page
    assert OLD_PHONE not in page
    # The family record holds the new number; the referral and its own record keep what was given
    assert known_hughes.carers.get().phone == NEW_PHONE
    new_phone_referral.refresh_from_db()
    assert new_phone_referral.family_id == known_hughes.pk
    assert new_phone_referral.submitted == submitted
    assert referred.carers.get().phone == NEW_PHONE
    # The change is in the family's audit history, with who, the old and the new number
    event = AuditEvent.objects.get(action="family.details_updated")
    assert (event.object_id, event.actor) == (str(known_hughes.pk), coordinator)
    carer = known_hughes.carers.get()
    assert event.detail == {
        "source": f"Referral {new_phone_referral.reference}",
        "changes": [
            {
                "record": f"carer:{carer.pk}",
                "who": "Jade Hughes",
                "field": "phone",
                "label": "phone number",
                "old": OLD_PHONE,
                "new": NEW_PHONE,
            }
        ],
    }
    assert AuditEvent.objects.get(action="referral.linked").object_id == str(new_phone_referral.pk)


def test_undoing_the_link_puts_the_familys_old_phone_back(
    signed_in: Callable[[User], Client], coordinator: User, known_hughes: Family, new_phone_referral: Referral
) -> None:
    client = signed_in(coordinator)
    client.post(
        f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}",
        {phone_field(known_hughes): "referral", "reason": "Same mother; the midwife has her new number"},
    )
    merge = FamilyMerge.objects.get()
    undo_url = f"/families/{known_hughes.pk}/merges/{merge.pk}/undo"
    assert "Jade Hughes&#39;s phone number was taken from the other record" in html(client.get(undo_url))

    undone = client.post(undo_url, follow=True)

    assert "Jade Hughes&#39;s phone number went back to what the record held before." in html(undone)
    assert known_hughes.carers.get().phone == OLD_PHONE
    event = AuditEvent.objects.get(action="family.merge_undone", object_id=str(known_hughes.pk))
    assert [change["new"] for change in event.detail["details_restored"]] == [NEW_PHONE]
    assert event.detail["details_changed_since"] == []


def test_undoing_the_link_keeps_a_detail_changed_again_since(
    signed_in: Callable[[User], Client], coordinator: User, known_hughes: Family, new_phone_referral: Referral
) -> None:
    client = signed_in(coordinator)
    client.post(
        f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}",
        {phone_field(known_hughes): "referral", "reason": "Same mother; the midwife has her new number"},
    )
    known_hughes.carers.update(phone="07700 900111")  # corrected again after the link
    merge = FamilyMerge.objects.get()

    client.post(f"/families/{known_hughes.pk}/merges/{merge.pk}/undo")

    assert known_hughes.carers.get().phone == "07700 900111"
    event = AuditEvent.objects.get(action="family.merge_undone", object_id=str(known_hughes.pk))
    assert event.detail["details_restored"] == []
    assert [change["field"] for change in event.detail["details_changed_since"]] == ["phone"]


def test_keeping_the_family_records_phone_changes_nothing_and_the_referral_keeps_its_own(
    signed_in: Callable[[User], Client], coordinator: User, known_hughes: Family, new_phone_referral: Referral
) -> None:
    client = signed_in(coordinator)
    referred = new_phone_referral.family

    linked = client.post(
        f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}",
        {phone_field(known_hughes): "family", "reason": "Same mother"},
        follow=True,
    )

    assert "Linked to the Hughes family. No details on the family record were changed." in html(linked)
    assert known_hughes.carers.get().phone == OLD_PHONE
    assert referred.carers.get().phone == NEW_PHONE
    new_phone_referral.refresh_from_db()
    assert new_phone_referral.family_id == known_hughes.pk
    assert not AuditEvent.objects.filter(action="family.details_updated").exists()


@pytest.mark.parametrize("choice", [None, "07700 900666", ""])
def test_a_missing_or_tampered_choice_is_refused_by_its_field_and_keeps_the_choices_made(
    choice: str | None,
    signed_in: Callable[[User], Client],
    coordinator: User,
    world: World,
    known_hughes: Family,
    new_phone_referral: Referral,
) -> None:
    # The referral also gives an email address the family record lacks
    known_hughes.carers.update(email="")
    carer = new_phone_referral.family.carers.get()
    carer.email = "jade.new@example.org"
    carer.save()
    email = f"carer-{known_hughes.carers.get().pk}-email"
    data = {email: "referral", "reason": "Same mother"}
    if choice is not None:
        data[phone_field(known_hughes)] = choice

    page = html(signed_in(coordinator).post(f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}", data))

    assert "<title>Error: Link " in page
    assert summary_errors(page) == [
        (f"#id_{phone_field(known_hughes)}", "Select which phone number to keep for Jade Hughes")
    ]
    assert checked(page, email) == ["referral"]
    assert "Same mother</textarea>" in page
    assert not FamilyMerge.objects.exists()
    assert known_hughes.carers.get().phone == OLD_PHONE


def test_a_detail_the_family_record_lacks_defaults_to_the_referrals(
    signed_in: Callable[[User], Client], coordinator: User, known_hughes: Family, new_phone_referral: Referral
) -> None:
    known_hughes.carers.update(phone="")
    page = html(signed_in(coordinator).get(f"/referrals/{new_phone_referral.pk}/link/{known_hughes.pk}"))
    assert checked(page, phone_field(known_hughes)) == ["referral"]
    assert "Leave it blank (the family record has none)" in page


def test_the_babys_nhs_number_and_the_household_address_can_be_taken_from_the_referral(
    signed_in: Callable[[User], Client], coordinator: User, world: World, known_hughes: Family
) -> None:
    referred = hughes(world.hub, phone=OLD_PHONE)
    referred.address_line_1, referred.local_authority = "2 Mill Lane", world.hub_area
    referred.save()
    referred.infants.update(nhs_number="9434765919")
    referral: Referral = ReferralFactory(family=referred)
    infant = known_hughes.infants.get()

    client = signed_in(coordinator)
    url = f"/referrals/{referral.pk}/link/{known_hughes.pk}"
    assert radio_names(html(client.get(url))) == ["family-address", f"infant-{infant.pk}-nhs"]
    linked = client.post(url, {"family-address": "referral", f"infant-{infant.pk}-nhs": "referral", "reason": "Same"})

    assert linked.status_code == 302
    assert "Linked to the Hughes family; address and NHS number updated." in html(client.get(linked["Location"]))
    known_hughes.refresh_from_db()
    infant.refresh_from_db()
    assert (known_hughes.address_line_1, known_hughes.local_authority) == ("2 Mill Lane", world.hub_area)
    assert (infant.nhs_number, infant.nhs_number_status) == ("9434765919", "02")
