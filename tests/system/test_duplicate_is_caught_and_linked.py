"""A new referral for a family the team already knows is caught as a likely duplicate; the
coordinator links it to the existing family record, taking the mother's new phone number from
the referral, sees both there, and undoes the link. Then,
on the known family's record, she records the baby's birth and removes a safeguarding flag that
no longer applies."""

import re
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.families.codes import Relationship
from attune.families.models import Family, FamilyMerge
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.families.tests.factories import CarerFactory, FamilyFactory, SafeguardingFlagFactory, UnbornInfantFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.services import Intake, Referrer, submit_referral

Check = Callable[[Page, str], None]


def known_family(world: World) -> Family:
    """A family the satellite team already knows: mum Jade Hughes, a baby due on 14 February."""
    family: Family = FamilyFactory(
        team=world.satellite, address_line_1="1 Mill Lane", postcode="BB1 7DJ", local_authority=world.satellite_area
    )
    UnbornInfantFactory(family=family, family_name="Hughes", expected_due_date=date(2027, 2, 14))
    CarerFactory(family=family, given_name="Jade", family_name="Hughes", email="jade@example.org")
    SafeguardingFlagFactory(family=family, kind="child_in_need", detail="Social worker: Sam Khan")
    return family


def new_referral(world: World) -> Referral:
    """The midwife refers the same mother again, spelling her name differently."""
    return submit_referral(
        intake=Intake(
            kind="professional",
            source="A4",
            referrer=Referrer(
                name="Priya Shah", role="Midwife", organisation="Example Maternity", email="p@example.nhs.uk"
            ),
            family=NewFamily(
                team=world.satellite,
                infants=[NewInfant(family_name="Hughes", expected_due_date=date(2027, 2, 12))],
                carers=[
                    NewCarer(
                        given_name="Jayde",
                        family_name="Hughes",
                        relationship=Relationship.MOTHER,
                        email="jade@example.org",
                        phone="07700 900777",  # her new number (the team has 07700 900123)
                        contact_preference="email",
                    )
                ],
                address_line_1="1 Mill Lane",
                town="Blackburn",
                postcode="BB1 7DJ",
                local_authority=world.satellite_area,
            ),
            reason="Very anxious in pregnancy after a previous loss.",
            consent_given=True,
            stresses=["loss", "parental_mental_health"],
        )
    )


def test_duplicate_is_caught_and_linked_then_undone(page: Page, world: World, auth, checkpoint: Check) -> None:
    # Given a family the satellite team already knows, and a new referral for the same baby
    existing = known_family(world)
    referral = new_referral(world)
    coordinator: User = UserFactory(full_name="Sally Coordinator")
    MembershipFactory(user=coordinator, team=world.satellite, role=Role.COORDINATOR)

    # When the coordinator opens the new referral from the inbox
    auth.sign_in(page, coordinator)
    page.goto(f"/teams/{world.satellite.pk}/referrals")
    page.get_by_role("link", name=referral.reference).click()

    # Then the referral page shows the known family as a strong match, and why
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {referral.reference}")
    duplicates = page.locator(".nhsuk-card").filter(has_text="This is the same family")
    expect(duplicates).to_have_count(1)
    expect(duplicates).to_contain_text("Strong match")
    for reason in ("Similar name", "Due dates within two weeks", "Same postcode"):
        expect(duplicates.get_by_role("listitem").filter(has_text=reason)).to_have_count(1)
    checkpoint(page, "referral-with-match")

    # When she says it is the same family
    duplicates.get_by_role("link", name=re.compile("This is the same family")).click()

    # Then she sees both records side by side, what will move, and the known family's safeguarding
    expect(page.get_by_role("heading", level=1)).to_have_text("Is this the same family?")
    expect(page.locator("[data-safeguarding-banner]")).to_contain_text("Child in need plan: Social worker: Sam Khan")
    moving = page.get_by_role("list", name="What will move to the family already known")
    expect(moving.get_by_role("listitem")).to_have_text([f"Referral {referral.reference}"])
    expect(page.get_by_text("Jayde Hughes is already on the record as Jade Hughes")).to_be_visible()
    # And what the referral says differently, beside what the record holds
    differences = page.get_by_role("table", name="Details that differ between the family record and this referral")
    phone_row = differences.get_by_role("row").filter(has_text="Phone number")
    expect(phone_row.get_by_role("cell")).to_have_text(["Jade Hughes", "Phone number", "07700 900123", "07700 900777"])
    expect(page.get_by_label("Keep 07700 900123 (on the family record)")).to_be_checked()
    checkpoint(page, "confirm-link")

    # When she takes the new phone number from the referral and confirms without saying why
    page.get_by_label("Use 07700 900777 (from this referral)").check()
    page.get_by_role("button", name="Link to this family").click()

    # Then she is asked why, nothing is linked yet, and her choice is kept
    expect(page).to_have_title(re.compile(r"^Error: Link"))
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text("Enter why these are the same family")
    expect(page.get_by_label("Use 07700 900777 (from this referral)")).to_be_checked()
    assert not FamilyMerge.objects.exists()
    checkpoint(page, "confirm-without-reason")

    # When she gives the reason
    page.get_by_label("Why are these the same family?").fill("Same mother and address; midwife confirmed by phone")
    page.get_by_role("button", name="Link to this family").click()

    # Then she is on the known family's record, which now holds the referral and the new phone
    # number, with a way to undo
    expect(page).to_have_url(re.compile(rf"/families/{existing.pk}$"))
    expect(page.get_by_text("Linked to the Hughes family; phone number updated.")).to_be_visible()
    expect(page.get_by_text("07700 900777")).to_be_visible()
    expect(page.get_by_text("07700 900123")).to_have_count(0)
    banner = page.locator(".nhsuk-notification-banner--success").filter(has_text="The records are linked")
    expect(banner).to_contain_text("The records are linked")
    expect(page.locator("[data-safeguarding-banner]")).to_contain_text("Child in need plan")
    referrals = page.get_by_role("table", name="Referrals for this family, newest first")
    expect(referrals.get_by_role("link", name=referral.reference)).to_be_visible()
    checkpoint(page, "family-after-link")
    referral.refresh_from_db()
    assert referral.family_id == existing.pk
    assert existing.carers.get().phone == "07700 900777"

    # When she decides it was a mistake and undoes it
    banner.get_by_role("link", name=re.compile("Undo")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Undo linking these records")
    checkpoint(page, "confirm-undo")
    page.get_by_role("button", name="Undo linking").click()

    # Then the referral is back on its own family record
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("The merge is undone")
    expect(
        page.get_by_role("table", name="Referrals for this family, newest first").get_by_role(
            "link", name=referral.reference
        )
    ).to_be_visible()
    checkpoint(page, "family-after-undo")
    referral.refresh_from_db()
    assert referral.family_id != existing.pk

    # And the known family's record shows the link as undone
    page.goto(f"/families/{existing.pk}")
    expect(page.get_by_role("table", name="Family records merged into this one")).to_contain_text("Undone")
    expect(page.get_by_role("table", name="Referrals for this family, newest first")).to_have_count(0)
    checkpoint(page, "known-family-after-undo")

    # When the baby is born and she records the birth, first with a date in the future
    page.get_by_role("link", name=re.compile("Record the birth")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the birth")
    expect(page.locator("[data-safeguarding-banner]")).to_contain_text("Child in need plan")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_label("First name").fill("Ava")
    page.get_by_role("button", name="Record the birth").click()

    # Then she is told the date cannot be in the future, with what she typed kept
    expect(page).to_have_title(re.compile(r"^Error: Record the birth"))
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text(
        "Date of birth must be today or in the past"
    )
    expect(page.get_by_label("First name")).to_have_value("Ava")
    expect(page.get_by_label("Last name")).to_have_value("Hughes")
    checkpoint(page, "birth-in-the-future")

    # When she gives the real date and the baby's NHS number
    born = timezone.localdate() - timedelta(days=2)
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_role("button", name="Record the birth").click()

    # Then the same baby on the record is born, named, with the number shown 3-3-4
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Birth recorded: Ava Hughes")
    expect(page.get_by_role("heading", level=3, name="Ava Hughes")).to_be_visible()
    expect(page.get_by_text("943 476 5919 (Number present but not traced)")).to_be_visible()
    checkpoint(page, "born")
    assert existing.infants.count() == 1

    # When she removes the safeguarding flag without saying why
    page.get_by_role("link", name="Remove child in need plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove a safeguarding flag")
    page.get_by_role("button", name="Remove flag").click()

    # Then she must give the reason
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text(
        "Enter why this safeguarding flag no longer applies"
    )
    checkpoint(page, "remove-flag-without-reason")

    # When she gives it
    page.get_by_label("Why does this safeguarding flag no longer apply?").fill("Child in need plan closed on review")
    page.get_by_role("button", name="Remove flag").click()

    # Then the banner has gone, and the flag is kept as removed, with who and why
    expect(page.locator("[data-safeguarding-banner]")).to_have_count(0)
    removed = page.get_by_role("table", name="Safeguarding flags removed")
    expect(removed).to_contain_text("Child in need plan closed on review")
    expect(removed).to_contain_text("Sally Coordinator")
    checkpoint(page, "flag-removed")
