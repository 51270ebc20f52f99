"""Issue 16, search: a coordinator answering a health visitor's call finds a family from the box
in the header, by a misspelt name and by an NHS number typed with spaces, and opens its record;
a family with the same name in another team never appears; a search that cannot run says why;
the results page reflows at 320 pixels. Every page passes axe."""

import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.clocks import add_months
from attune.core.models import AuditEvent
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, SafeguardingFlagFactory
from attune.organisations.tests.world import World
from attune.referrals.tests.factories import ReferralFactory

Check = Callable[[Page, str], None]

# Everything whose right edge is past the screen's, as tests/system/test_pages_reflow.py looks.
STICKING_OUT = """() => [...document.body.querySelectorAll("*")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.right > window.innerWidth + 0.5 && box.width > 1 && box.height > 1;
}).map((element) => element.tagName.toLowerCase() + "." + [...element.classList].join("."))"""


def _search_from_header(page: Page, text: str) -> None:
    box = page.get_by_role("search")
    box.get_by_label("Search for a family").fill(text)
    box.get_by_label("Search for a family").press("Enter")


def test_coordinator_finds_a_family_by_misspelt_name_and_nhs_number(
    page: Page, world: World, coordinator: User, auth, checkpoint: Check
) -> None:
    # Given the Ashworths were referred to the hub team, and another family called Ashworth is
    # known to a team in another trust
    today = timezone.localdate()
    family = FamilyFactory(team=world.hub, postcode="FY1 4AB")
    CarerFactory(
        family=family, given_name="Chloë", family_name="Ashworth", date_of_birth=add_months(today, -12 * 27 - 1)
    )
    InfantFactory(family=family, given_name="Ava", family_name="Ashworth", nhs_number="9434765919")
    ReferralFactory(family=family, team=world.hub, reference="PIR-ACDE-FGHJ")
    SafeguardingFlagFactory(family=family, kind="child_protection_plan")
    elsewhere = FamilyFactory(team=world.other_team)
    CarerFactory(family=elsewhere, given_name="Chloe", family_name="Ashworth")

    # When the coordinator, on the phone, types the name as she hears it into the header's box
    auth.sign_in(page, coordinator)
    _search_from_header(page, "chloe ashwroth")

    # Then she sees the one family of her team, with the baby, the mother, where it is and its flag
    expect(page).to_have_url(re.compile(r"/search\?q=chloe"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Searching by name")
    expect(main).to_contain_text("1 family found for ‘chloe ashwroth’")
    results = main.get_by_role("link", name=re.compile("Family of"))
    expect(results).to_have_count(1)
    expect(main).to_contain_text("Chloë Ashworth (mother), 27 years old")
    expect(main).to_contain_text("Referral PIR-ACDE-FGHJ waiting for triage")
    expect(main).to_contain_text("Safeguarding: child protection plan")
    expect(main).not_to_contain_text("Elsewhere team")
    checkpoint(page, "search-by-misspelt-name")

    # When she opens it, she is on the family's record
    results.click()
    expect(page).to_have_url(re.compile(rf"/families/{family.pk}$"))
    checkpoint(page, "family-record")

    # When she searches by the NHS number the health visitor reads out, with spaces
    _search_from_header(page, "943 476 5919")
    expect(page.get_by_role("main")).to_contain_text("Searching by NHS number 943 476 5919")
    checkpoint(page, "search-by-nhs-number")
    page.get_by_role("main").get_by_role("link", name="Family of Ava Ashworth").click()
    expect(page).to_have_url(re.compile(rf"/families/{family.pk}$"))

    # When she types a number with a wrong check digit, the page says so, keeping what she typed
    _search_from_header(page, "943 476 5918")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("943 476 5918 is not a valid NHS number")
    expect(page.get_by_role("main").get_by_label("Search for a family")).to_have_value("943 476 5918")
    checkpoint(page, "search-problem")

    # When she searches for a name no family in her team has, she is told what to try
    page.get_by_role("main").get_by_label("Search for a family").fill("Featherstonehaugh")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("main")).to_contain_text("No families found for ‘Featherstonehaugh’")
    checkpoint(page, "no-families-found")

    # Then every search was audited, with what she looked for
    searches = AuditEvent.objects.filter(action="search.families", actor=coordinator).order_by("occurred_at", "id")
    assert [(e.detail["kind"], e.detail["query"], e.detail["results"]) for e in searches] == [
        ("name", "chloe ashwroth", 1),
        ("nhs_number", "943 476 5919", 1),
        ("", "943 476 5918", 0),
        ("name", "Featherstonehaugh", 0),
    ]

    # And on a 320-pixel screen the results page does not scroll sideways
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/search?q=Ashworth")
    expect(page.get_by_role("main").get_by_role("link", name=re.compile("Family of"))).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert page.evaluate(STICKING_OUT) == []
    checkpoint(page, "search-at-320px")
