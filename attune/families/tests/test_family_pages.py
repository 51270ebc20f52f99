"""Family record pages: the family as one unit of care, the safeguarding banner on every page of
it, flags that cannot be removed without a reason, the birth of an unborn baby on the same record,
possible duplicates on demand, undoing a merge, who may open them and their query counts."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing
from attune.families import services
from attune.families.codes import NhsNumberStatus
from attune.families.models import Family, FamilyMerge, Infant, SafeguardingFlag
from attune.families.tests.factories import (
    CarerFactory,
    FamilyFactory,
    InfantFactory,
    SafeguardingFlagFactory,
    UnbornInfantFactory,
)
from attune.organisations.models import Team
from attune.organisations.tests.world import World
from attune.referrals.services import append_status
from attune.referrals.tests.factories import ReferralFactory

VALID_NHS_NUMBER = "9434765919"


def household(team: Team, **family: Any) -> Family:
    found: Family = FamilyFactory(team=team, **family)
    UnbornInfantFactory(family=found, family_name="Hughes", expected_due_date=date(2027, 2, 14))
    CarerFactory(family=found, given_name="Jade", family_name="Hughes")
    return found


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def summary_errors(page: str) -> list[tuple[str, str]]:
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary)]


@pytest.fixture
def family(world: World) -> Family:
    return household(world.hub)


def test_family_page_shows_the_unit_of_care(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    found = household(world.hub, local_authority=world.hub_area, gp_practice="Park Surgery", interpreter_needed=True)
    InfantFactory(
        family=found,
        given_name="Leo",
        family_name="Hughes",
        date_of_birth=date(2024, 6, 1),
        nhs_number=VALID_NHS_NUMBER,
        nhs_number_status=NhsNumberStatus.VERIFIED,
    )
    referral = ReferralFactory(family=found)

    response = signed_in(coordinator).get(f"/families/{found.pk}")

    assert response.status_code == 200
    page = html(response)
    assert "<h1>Family of Leo Hughes</h1>" in page
    assert "Hughes (unborn)" in page
    assert "Due date" in page
    assert "14 February 2027" in page
    assert "943 476 5919 (Number present and verified)" in page
    assert "Jade Hughes (mother), main contact" in page
    assert "Seaside Council" in page
    assert "Park Surgery" in page
    assert "needs an interpreter" in page
    # Its referrals, with their status, from the referrals app
    assert f'<a href="/referrals/{referral.pk}">{referral.reference}</a>' in page
    assert "Waiting for triage" in page
    assert f'href="/families/{found.pk}/infants/{found.infants.get(date_of_birth__isnull=True).pk}/birth"' in page
    assert f'href="/families/{found.pk}/duplicates">Check for duplicates' in page
    event = AuditEvent.objects.get(action="family.viewed")
    assert (event.actor, event.object_id) == (coordinator, str(found.pk))


def test_safeguarding_banner_shows_on_every_page_of_the_family(
    signed_in: Callable[[User], Client], coordinator: User, family: Family, world: World
) -> None:
    flag = SafeguardingFlagFactory(family=family, kind="marac", detail="Referred 3 November")
    other = household(world.hub)
    merge = services.merge_families(
        actor=_request(coordinator), kept=family, merged=other, reason="Same mother and due date"
    )
    referral = ReferralFactory(family=family)
    ReferralFactory(family=family)  # a second referral: the signposted one below has a letter
    append_status(referral=referral, status="signposted", entered_at=timezone.now())
    referral.signposted_to = "Family hub"
    referral.save()
    unborn = family.infants.get()
    client = signed_in(coordinator)

    pages = [
        f"/families/{family.pk}",
        f"/families/{family.pk}/flags/new",
        f"/families/{family.pk}/flags/{flag.pk}/remove",
        f"/families/{family.pk}/infants/{unborn.pk}/birth",
        f"/families/{family.pk}/duplicates",
        f"/families/{family.pk}/merges/{merge.pk}/undo",
        f"/referrals/{referral.pk}",
        f"/referrals/{referral.pk}/letter",
        f"/referrals/{referral.pk}/link/{FamilyFactory(team=world.hub).pk}",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = html(response)
        assert "data-safeguarding-banner" in page, path
        assert "<strong>Referred to MARAC (domestic abuse risk): Referred 3 November</strong>" in page, path


def _request(user: User) -> Actor:
    return acting(user, ip="127.0.0.1")


def test_no_banner_without_an_active_flag(
    signed_in: Callable[[User], Client], coordinator: User, family: Family
) -> None:
    SafeguardingFlagFactory(family=family, removed_at=timezone.now(), removed_reason="Plan ended")
    assert "data-safeguarding-banner" not in html(signed_in(coordinator).get(f"/families/{family.pk}"))


def test_raise_a_flag(signed_in: Callable[[User], Client], coordinator: User, family: Family) -> None:
    client = signed_in(coordinator)

    missing = client.post(f"/families/{family.pk}/flags/new", {"detail": "Social worker: Sam Khan"})
    page = html(missing)
    assert "<title>Error: Add a safeguarding flag" in page
    assert summary_errors(page) == [("#id_kind", "Select the kind of safeguarding concern")]
    assert "Social worker: Sam Khan</textarea>" in page
    assert not family.safeguarding_flags.exists()

    added = client.post(
        f"/families/{family.pk}/flags/new", {"kind": "child_in_need", "detail": "Social worker: Sam Khan"}
    )

    assert added.status_code == 302
    assert added["Location"] == f"/families/{family.pk}"
    flag = family.safeguarding_flags.get()
    assert (flag.kind, flag.detail, flag.raised_by) == ("child_in_need", "Social worker: Sam Khan", coordinator)
    assert AuditEvent.objects.filter(action="safeguarding.flag_raised", object_id=str(family.pk)).count() == 1
    page = html(client.get(added["Location"]))
    assert "Safeguarding flag added: Child in need plan." in page
    assert "<strong>Child in need plan: Social worker: Sam Khan</strong>" in page


def test_removing_a_flag_needs_a_reason_and_keeps_who_when_and_why(
    signed_in: Callable[[User], Client], coordinator: User, family: Family
) -> None:
    flag = SafeguardingFlagFactory(family=family, kind="child_protection_plan")
    client = signed_in(coordinator)
    url = f"/families/{family.pk}/flags/{flag.pk}/remove"

    refused = client.post(url, {"reason": "  "})

    page = html(refused)
    assert refused.status_code == 200
    assert "<title>Error: Remove a safeguarding flag" in page
    assert summary_errors(page) == [("#id_reason", "Enter why this safeguarding flag no longer applies")]
    flag.refresh_from_db()
    assert flag.removed_at is None

    removed = client.post(url, {"reason": "Plan ended at review on 3 March"})

    assert removed.status_code == 302
    flag.refresh_from_db()
    assert flag.removed_at is not None
    assert (flag.removed_by, flag.removed_reason) == (coordinator, "Plan ended at review on 3 March")
    assert AuditEvent.objects.filter(action="safeguarding.flag_removed", object_id=str(family.pk)).count() == 1
    page = html(client.get(f"/families/{family.pk}"))
    assert "data-safeguarding-banner" not in page
    assert "Safeguarding flags removed" in page
    assert "Plan ended at review on 3 March" in page
    assert "Cora Coordinator" in page

    # Removing it again is refused plainly
    again = html(client.get(url))
    assert summary_errors(again) == [("#flag", "This safeguarding flag has already been removed")]


def test_a_flag_of_another_family_is_not_found(
    signed_in: Callable[[User], Client], coordinator: User, family: Family, world: World
) -> None:
    elsewhere = SafeguardingFlagFactory(family=household(world.hub))
    response = signed_in(coordinator).post(f"/families/{family.pk}/flags/{elsewhere.pk}/remove", {"reason": "x"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.removed_at is None


def test_record_birth_keeps_the_same_infant_record(
    signed_in: Callable[[User], Client], coordinator: User, family: Family
) -> None:
    unborn = family.infants.get()
    referral = ReferralFactory(family=family)
    client = signed_in(coordinator)
    url = f"/families/{family.pk}/infants/{unborn.pk}/birth"
    born = timezone.localdate() - timedelta(days=3)

    response = client.post(
        url,
        {
            "date_of_birth-day": born.day,
            "date_of_birth-month": born.month,
            "date_of_birth-year": born.year,
            "given_name": "Ava",
            "family_name": "Hughes",
            "nhs_number": "943 476 5919",
        },
    )

    assert response.status_code == 302
    assert Infant.objects.filter(family=family).count() == 1
    infant = Infant.objects.get(pk=unborn.pk)  # the same row
    assert (infant.date_of_birth, infant.given_name, infant.nhs_number) == (born, "Ava", VALID_NHS_NUMBER)
    assert infant.expected_due_date == date(2027, 2, 14)
    assert infant.nhs_number_status == NhsNumberStatus.NOT_TRACED
    assert referral.family_id == infant.family_id
    assert AuditEvent.objects.filter(action="infant.birth_recorded", object_id=str(infant.pk)).count() == 1
    page = html(client.get(f"/families/{family.pk}"))
    assert "Birth recorded: Ava Hughes" in page
    assert "943 476 5919 (Number present but not traced)" in page
    assert "Record the birth" not in page


def test_record_birth_errors_keep_what_was_typed(
    signed_in: Callable[[User], Client], coordinator: User, family: Family
) -> None:
    unborn = family.infants.get()
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = f"/families/{family.pk}/infants/{unborn.pk}/birth"

    response = signed_in(coordinator).post(
        url,
        {
            "date_of_birth-day": tomorrow.day,
            "date_of_birth-month": tomorrow.month,
            "date_of_birth-year": tomorrow.year,
            "given_name": "",
            "family_name": "Hughes",
            "nhs_number": "943 476 5918",
        },
    )

    page = html(response)
    assert "<title>Error: Record the birth" in page
    assert summary_errors(page) == [
        ("#id_date_of_birth-day", "Date of birth must be today or in the past"),
        ("#id_given_name", "Enter the baby&#39;s first name"),
        ("#id_nhs_number", "Enter a valid NHS number. Check you have copied it correctly"),
    ]
    assert f'name="date_of_birth-day" type="text" value="{tomorrow.day}"' in page
    assert 'value="943 476 5918"' in page
    unborn.refresh_from_db()
    assert unborn.date_of_birth is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12345", "NHS number must be 10 digits"), ("943476591x", "NHS number must only include numbers")],
)
def test_record_birth_nhs_number_format(
    typed: str, message: str, signed_in: Callable[[User], Client], coordinator: User, family: Family
) -> None:
    today = timezone.localdate()
    response = signed_in(coordinator).post(
        f"/families/{family.pk}/infants/{family.infants.get().pk}/birth",
        {
            "date_of_birth-day": today.day,
            "date_of_birth-month": today.month,
            "date_of_birth-year": today.year,
            "given_name": "Ava",
            "family_name": "Hughes",
            "nhs_number": typed,
        },
    )
    assert summary_errors(html(response)) == [("#id_nhs_number", message)]


def test_duplicates_on_demand(signed_in: Callable[[User], Client], coordinator: User, world: World) -> None:
    family = household(world.hub, postcode="FY1 1AA")
    alike = household(world.hub, postcode="FY1 1AA")
    nearly = household(world.hub, postcode="M1 1AA")  # same names and due date, another postcode
    household(world.other_team, postcode="FY1 1AA")  # another trust's family: never searched
    FamilyFactory(team=world.hub, postcode="FY1 1AA")  # the same postcode alone is no match

    page = html(signed_in(coordinator).get(f"/families/{family.pk}/duplicates"))

    cards = page.split('<div class="nhsuk-card">')[1:]
    assert len(cards) == 2
    assert "Strong match" in cards[0]
    assert f'href="/families/{alike.pk}"' in cards[0]
    assert "<li>Similar name</li><li>Due dates within two weeks</li><li>Same postcode</li>" in cards[0]
    assert "Possible match" in cards[1]
    assert f'href="/families/{nearly.pk}"' in cards[1]
    assert "<li>Similar name</li><li>Due dates within two weeks</li> </ul>" in cards[1]
    assert AuditEvent.objects.get(action="family.duplicates_checked").detail == {"found": 2}


def test_a_merged_record_sends_the_reader_to_the_kept_one(
    signed_in: Callable[[User], Client], coordinator: User, family: Family, world: World
) -> None:
    other = household(world.hub)
    services.merge_families(actor=_request(coordinator), kept=family, merged=other, reason="Same family")
    client = signed_in(coordinator)

    response = client.get(f"/families/{other.pk}")

    assert response.status_code == 302
    assert response["Location"] == f"/families/{family.pk}"
    page = html(client.get(response["Location"]))
    assert "The family record you opened was merged into this one on" in page
    assert "by Cora Coordinator" in page
    # Its form pages send the reader on too
    assert client.get(f"/families/{other.pk}/flags/new")["Location"] == f"/families/{other.pk}"


def test_undo_a_merge_from_the_kept_family(
    signed_in: Callable[[User], Client], coordinator: User, family: Family, world: World
) -> None:
    other = household(world.hub)
    CarerFactory(family=other, given_name="Dan", family_name="Hughes", relationship="father", is_main_contact=False)
    referral = ReferralFactory(family=other)
    merge = services.merge_families(actor=_request(coordinator), kept=family, merged=other, reason="Same family")
    client = signed_in(coordinator)

    page = html(client.get(f"/families/{family.pk}"))
    assert "Family records merged into this one" in page
    assert f'href="/families/{family.pk}/merges/{merge.pk}/undo"' in page
    confirm = html(client.get(f"/families/{family.pk}/merges/{merge.pk}/undo"))
    assert "1 parent or carer and 1 referral moved to this record then." in confirm

    response = client.post(f"/families/{family.pk}/merges/{merge.pk}/undo")

    assert response.status_code == 302
    assert response["Location"] == f"/families/{other.pk}"
    referral.refresh_from_db()
    assert referral.family_id == other.pk
    other.refresh_from_db()
    assert other.merged_into_id is None
    assert FamilyMerge.objects.get().undone_by == coordinator
    assert "The merge is undone. 1 parent or carer and 1 referral moved back to this record." in html(
        client.get(response["Location"])
    )
    # The kept family keeps the merge in its list, marked undone, with no second undo
    page = html(client.get(f"/families/{family.pk}"))
    assert "Undone " in page
    assert f'href="/families/{family.pk}/merges/{merge.pk}/undo"' not in page
    again = html(client.post(f"/families/{family.pk}/merges/{merge.pk}/undo"))
    assert summary_errors(again) == [("#what-moved", "This merge has already been undone")]


@pytest.mark.parametrize(
    ("role", "hub_family", "satellite_family"),
    [
        ("coordinator", 200, 404),
        ("trainee", 404, 200),
        ("supervisor", 200, 200),
        ("outsider", 404, 404),
        ("commissioner", 404, 404),
        ("ig_lead", 404, 404),
    ],
)
def test_who_may_open_a_family(
    role: str,
    hub_family: int,
    satellite_family: int,
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    world: World,
) -> None:
    hub, satellite = household(world.hub), household(world.satellite)
    client = signed_in(request.getfixturevalue(role))
    for found, expected in ((hub, hub_family), (satellite, satellite_family)):
        flag = SafeguardingFlagFactory(family=found)
        infant = found.infants.get()
        for path in ("", "/flags/new", f"/flags/{flag.pk}/remove", f"/infants/{infant.pk}/birth", "/duplicates"):
            response = client.get(f"/families/{found.pk}{path}")
            assert response.status_code == expected, (role, path)
            if expected == 404:
                assert "Jade Hughes" not in html(response)
    if hub_family == 404:
        assert AuditEvent.objects.filter(
            action="access.refused", object_id=str(hub.pk), outcome=Outcome.NOT_FOUND
        ).exists()


def test_outsider_cannot_raise_or_remove_flags(
    signed_in: Callable[[User], Client], outsider: User, family: Family
) -> None:
    flag = SafeguardingFlagFactory(family=family)
    client = signed_in(outsider)
    assert client.post(f"/families/{family.pk}/flags/new", {"kind": "other"}).status_code == 404
    assert client.post(f"/families/{family.pk}/flags/{flag.pk}/remove", {"reason": "x"}).status_code == 404
    assert SafeguardingFlag.objects.count() == 1
    flag.refresh_from_db()
    assert flag.removed_at is None


def test_family_page_query_count_does_not_grow_with_flags_referrals_or_merges(
    signed_in: Callable[[User], Client], coordinator: User, family: Family, world: World
) -> None:
    client = signed_in(coordinator)

    def add() -> None:
        SafeguardingFlagFactory(family=family, raised_by=coordinator)
        SafeguardingFlagFactory(
            family=family, raised_by=coordinator, removed_by=coordinator, removed_at=timezone.now(), removed_reason="x"
        )
        ReferralFactory(family=family)
        other = FamilyFactory(team=world.hub)
        FamilyMerge.objects.create(kept=family, merged=other, merged_by=coordinator, reason="Same", moved={})

    def fetch() -> None:
        response = client.get(f"/families/{family.pk}")
        assert response.status_code == 200

    assert_flat(grow=growing(add, lambda: family.referrals.count()), fetch=fetch)
