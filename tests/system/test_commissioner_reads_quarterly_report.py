"""An ICB commissioner opens Reports, chooses the last complete quarter and their organisation's
report, reads a chart and its table with small numbers hidden, opens the printable report and
downloads the Excel file, which carries the same suppression. Every page passes axe as it is."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.periods import last_complete_quarter
from attune.organisations.tests.world import World
from attune.reports.tests.factories import at, referral

Check = Callable[[Page, str], None]
Shoot = Callable[[Page, str], Path]


def test_commissioner_reads_the_quarterly_report_and_downloads_excel(
    page: Page, world: World, commissioner: User, auth, checkpoint: Check, screenshot: Shoot, tmp_path: Path
) -> None:
    # Given referrals in the last complete quarter: 3 from other primary care to the hub (a small
    # number), 24 from GPs and health visitors to the satellite
    quarter = last_complete_quarter(timezone.localdate())
    for n in range(3):
        referral(world.hub, at(quarter.start + dt.timedelta(days=10 + n)), source="A3")
    for n in range(24):
        referral(world.satellite, at(quarter.start + dt.timedelta(days=n)), source="A1" if n % 2 else "A2")

    # When the ICB commissioner signs in and opens Reports
    auth.sign_in(page, commissioner)
    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    checkpoint(page, "reports")

    # And chooses the quarter and their organisation's report
    page.get_by_label("Period").select_option(quarter.key)
    page.get_by_role("button", name="Show reports").click()
    expect(page.get_by_role("heading", name=f"Reports for {quarter.label}", exact=False)).to_be_visible()
    page.get_by_role("link", name="Example ICB").click()

    # Then they see a chart and its table, with the hub's 3 hidden
    expect(page.get_by_role("heading", name="Example ICB", level=1)).to_be_visible()
    expect(page.get_by_text("Everything Example ICB funds or commissions").first).to_be_visible()
    expect(page.get_by_text("Small numbers are hidden on this page")).to_be_visible()
    expect(page.locator("svg.attune-chart[role=img]").first).to_be_visible()
    sources = page.locator(".app-report-table", has=page.get_by_text("Referrals received by source", exact=True))
    expect(sources.get_by_role("row", name="Other primary care *")).to_be_visible()
    expect(sources.get_by_text("* means the figure is hidden to protect privacy")).to_be_visible()
    checkpoint(page, "report")

    # When they open the printable report
    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", name="Quarterly report for Example ICB", level=1)).to_be_visible()
    expect(page.get_by_text("counts from 1 to 7 are shown as *").first).to_be_visible()
    checkpoint(page, "print")
    page.emulate_media(media="print")
    screenshot(page, "print-media")
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Back to the report").click()

    # And download the Excel file
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Excel").click()
    download = downloading.value
    assert download.suggested_filename == f"attune-example-icb-{quarter.key.lower()}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames[0] == "About"
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "*" in values
    assert AuditEvent.objects.filter(action="reports.exported", detail__format="xlsx").count() == 1
    assert AuditEvent.objects.filter(action="reports.printed").count() == 1
