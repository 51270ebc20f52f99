"""Issue 16, done when: a coordinator answering a health visitor's call finds a family by a
misspelt name and by NHS number, and opens its record and its referral; the trust's information
governance lead then finds the family, sees the coordinator's searches and every page she opened
for it, and downloads the access report for a subject access request. Every page passes axe."""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World
from attune.referrals.tests.factories import ReferralFactory

Check = Callable[[Page, str], None]


def test_ig_lead_sees_who_saw_a_family(
    new_page: Callable[[], Page],
    world: World,
    coordinator: User,
    ig_lead: User,
    auth,
    checkpoint: Check,
    tmp_path: Path,
) -> None:
    # Given the Ashworths were referred to the hub team
    family = FamilyFactory(team=world.hub, postcode="FY1 4AB")
    CarerFactory(family=family, given_name="Chloe", family_name="Ashworth", is_main_contact=True)
    InfantFactory(
        family=family,
        given_name="Ava",
        family_name="Ashworth",
        nhs_number="9434765919",
        date_of_birth=dt.date(2025, 3, 3),
    )
    referral = ReferralFactory(family=family, team=world.hub)

    # When the coordinator, on the phone to a health visitor, searches for the family by a misspelt name
    hers = new_page()
    auth.sign_in(hers, coordinator)
    hers.get_by_role("search").get_by_label("Search for a family").fill("Chloe Ashwroth")
    hers.get_by_role("search").get_by_role("button").click()
    expect(hers).to_have_url(re.compile(r"/search\?q="))
    result = hers.get_by_role("link", name=re.compile("Ashworth"))
    expect(result).to_have_count(1)
    checkpoint(hers, "coordinator-search-by-name")
    # And opens the family's record
    result.click()
    expect(hers).to_have_url(re.compile(rf"/families/{family.pk}$"))
    checkpoint(hers, "coordinator-family-record")
    # And searches again by the NHS number she is given, with spaces
    hers.get_by_role("search").get_by_label("Search for a family").fill("943 476 5919")
    hers.get_by_role("search").get_by_role("button").click()
    expect(hers.get_by_role("main")).to_contain_text("NHS number")
    checkpoint(hers, "coordinator-search-by-nhs-number")
    hers.get_by_role("link", name=re.compile("Ashworth")).click()
    # And opens the referral from the family's record
    hers.get_by_role("link", name=referral.reference).click()
    expect(hers.get_by_role("main")).to_contain_text(referral.reference)
    checkpoint(hers, "coordinator-referral")

    # When the trust's information governance lead opens the audit log and finds the family
    ig = new_page()
    auth.sign_in(ig, ig_lead)
    ig.get_by_role("banner").get_by_role("link", name="Audit log").click()
    expect(ig.get_by_role("heading", level=1)).to_have_text("Audit log")
    checkpoint(ig, "audit-log")
    ig.get_by_role("link", name="Find a family or a member of staff").click()
    expect(ig.get_by_role("heading", level=1)).to_have_text("Find a family or a member of staff")
    checkpoint(ig, "find")
    ig.get_by_label("Find a family", exact=True).fill("Ashworth")
    ig.get_by_role("button", name="Find the family").click()
    found = ig.get_by_role("link", name=re.compile("^Family of Chloe Ashworth"))
    expect(found).to_have_count(1)
    expect(ig.get_by_role("main")).to_contain_text("Ava Ashworth, born 3 March 2025, NHS number 943 476 5919")
    checkpoint(ig, "find-family")
    found.click()

    # Then she sees the coordinator's two searches and every page she opened for the family
    expect(ig.get_by_role("heading", level=1)).to_have_text("Who has seen this record")
    expect(ig.get_by_role("main")).to_contain_text("Family of Chloe Ashworth")
    accesses = ig.get_by_role("table", name=re.compile("^Accesses from"))
    by_her = accesses.get_by_role("row").filter(has=ig.get_by_role("link", name="Cora Coordinator"))
    expect(by_her.filter(has_text="Search for ‘Chloe Ashwroth’")).to_have_count(1)
    expect(by_her.filter(has_text="Search for ‘943 476 5919’")).to_have_count(1)
    expect(by_her.filter(has_text="Viewed family record")).to_have_count(2)
    referral_read = by_her.filter(has_text="Viewed referral").filter(has_text=referral.reference)
    expect(referral_read).to_have_count(1)
    expect(referral_read.get_by_role("cell").nth(2)).to_have_text("Coordinator")
    expect(referral_read.get_by_role("cell").nth(3)).to_have_text("Example hub team")
    expect(referral_read.get_by_role("cell").nth(5)).to_have_text("127.0.0.1")
    checkpoint(ig, "who-has-seen-the-family")

    # When she downloads the access report
    with ig.expect_download() as waiting:
        ig.get_by_role("link", name=re.compile("Download the access report")).click()
    download = waiting.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    # Then it holds the same accesses, and the download is itself in the audit log
    assert saved.name.startswith("access-report-")
    assert saved.suffix == ".csv"
    lines = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert ["Family", "Family of Chloe Ashworth"] in lines
    rows = [line for line in lines if len(line) == 8 and line[1] == "Cora Coordinator"]
    whats = sorted(line[4] for line in rows)
    assert whats.count("Viewed family record") == 2
    assert "Viewed referral" in whats
    assert sum(1 for line in rows if line[5].startswith("Search for")) == 2
    exported = AuditEvent.objects.get(action="audit.family_access_exported")
    assert exported.actor == ig_lead
    assert exported.family_id == family.pk
