"""The council's commissioner reads her agreement's return in the demo: Blackburn with Darwen
Council pays the ICB £60,371.25 for the satellite's two recruit-to-train posts from 1 November 2024
to 31 March 2025. She finds the return from her reports, reads the amount, the spend to date and the
satellite's figures with small numbers hidden and no one named, downloads the CSV, and reaches the
same return from the agreement's own page; the extension's return, still running, shows the
satellite's work so far. Every page passes axe as it is."""

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from attune.care.tests.factories import seed_interventions
from attune.nonprod import scenario
from attune.nonprod.tests.demo import load_demo, person

Check = Callable[[Page, str], None]
# A shared count that is shown: 10 or more, rounded to 5 (never nought, never hidden).
ROUNDED = re.compile(r"^[1-9]\d*[05]$")
COUNCIL_TO_ICB = "Blackburn with Darwen Borough Council to NHS Lancashire and South Cumbria Integrated Care Board"


def test_council_commissioner_reads_her_agreement_return(page: Page, auth, checkpoint: Check, tmp_path: Path) -> None:
    # Given the demo (on the interventions the migrations seed, which an earlier journey empties),
    # and Rachel Hartley, commissioner at the council that funds the satellite
    seed_interventions()
    load_demo()
    rachel = person("council_commissioner")
    device = auth.authenticator_app(rachel)

    # When she signs in and opens her reports
    page.goto("/sign-in")
    auth.enter_password(page, rachel.email, scenario.DEMO_PASSWORD)
    page.get_by_label("Security code").fill(auth.code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rachel")
    page.goto("/reports/")

    # Then her council's funding agreements are listed, each with its own return
    expect(page.get_by_role("heading", name="Funding agreements")).to_be_visible()
    first = page.get_by_role("listitem").filter(has_text="£60,371.25, 1 November 2024 to 31 March 2025")
    expect(first).to_be_visible()
    checkpoint(page, "reports index")

    # When she opens the return for the satellite posts
    first.get_by_role("link", name=COUNCIL_TO_ICB).click()

    # Then it covers the agreement's period and the satellite, set by the agreement
    expect(page.get_by_role("heading", name=COUNCIL_TO_ICB, level=1)).to_be_visible()
    expect(page.get_by_text("1 November 2024 to 31 March 2025", exact=True)).to_be_visible()
    expect(page.get_by_text("Blackburn with Darwen satellite team", exact=False).first).to_be_visible()
    expect(page.get_by_text("The funding agreement sets the period")).to_be_visible()
    expect(page.get_by_text("Small numbers are hidden on this page")).to_be_visible()

    # And the amount, the spend to date from the posts' costs, and the posts filled against agreed
    spend = page.get_by_role("table", name="Spend to date against the amount")
    expect(spend.get_by_role("row", name="Amount of the agreement")).to_contain_text("£60,371.25")
    expect(spend.get_by_role("row", name="Spend to date: staff cost of the funded posts")).to_contain_text("£60,371.25")
    posts = page.get_by_role("table", name="Funded posts filled against those agreed")
    # Two posts are a small number: hidden; 302 post-days agreed and filled, rounded to 300.
    expect(posts.get_by_role("row", name="Blackburn with Darwen satellite team").get_by_role("cell")).to_have_text(
        ["*", "*", "300", "300", "100%"]
    )
    # And what the money bought (the satellite's fixed-dated history, nonprod/demo_history.py):
    # referrals, families seen and completed episodes, rounded, never nought
    referred = page.get_by_role("table", name="Referrals received by source")
    expect(referred.get_by_role("row", name="Total").get_by_role("cell").first).to_have_text(ROUNDED)
    seen = page.get_by_role("table", name="Families seen")
    expect(seen.get_by_role("row", name="In the period").get_by_role("cell").first).to_have_text(ROUNDED)
    completed = page.get_by_role("table", name="Episodes completed", exact=True)
    expect(completed.get_by_role("row", name="Total").get_by_role("cell").first).to_have_text(ROUNDED)
    each = page.get_by_role("table", name="Cost per family seen and per completed episode")
    expect(each.get_by_role("row", name="Per family seen").get_by_role("cell").last).to_have_text(
        re.compile(r"^£[\d,]+\.\d\d$")
    )
    # No one who holds the posts is named.
    expect(page.get_by_text("Aisha Begum")).to_have_count(0)
    expect(page.get_by_text("Megan Riley")).to_have_count(0)
    checkpoint(page, "return")

    # When she downloads it as CSV
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of this report (spreadsheet text)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    # Then the file holds the same suppressed figures and the amount
    text = saved.read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename.endswith("2024-11-01-to-2025-03-31.csv")
    assert "Amount of the agreement," in text
    assert "£60,371.25" in text
    assert "Blackburn with Darwen satellite team,*,*,300,300,100%" in text
    assert "Aisha Begum" not in text

    # And the agreement's own page leads to the same return
    page.goto("/funding")
    page.get_by_role("row").filter(has_text="1 November 2024 to 31 March 2025").get_by_role("link").click()
    expect(page.get_by_role("heading", name=COUNCIL_TO_ICB, level=1)).to_be_visible()
    checkpoint(page, "agreement")
    page.get_by_role("link", name="Referrals, outcomes, posts filled and spend to date").click()
    expect(page.get_by_role("heading", name=COUNCIL_TO_ICB, level=1)).to_be_visible()
    expect(page.get_by_text("Funder's return for a funding agreement")).to_be_visible()

    # And the extension's return, still running, has the satellite's work so far, charted and
    # suppressed (the demo's families are seen in the months before today)
    page.goto("/reports/")
    page.get_by_role("listitem").filter(has_text="Extension of the two").get_by_role("link").click()
    expect(page.get_by_text("This period has not ended: the figures run to")).to_be_visible()
    contacts = page.get_by_role("table", name="Contacts", exact=True)
    attended = contacts.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Attended", exact=True))
    expect(attended.get_by_role("cell")).not_to_have_text(["0"])
    expect(page.locator("svg").first).to_be_visible()
    expect(page.get_by_text("Aisha Begum")).to_have_count(0)
    checkpoint(page, "extension return")
