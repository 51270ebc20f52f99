"""A team lead brings her caseload in from a spreadsheet: she downloads the template, uploads her
file, which is checked in the background while its page says so, and the dry run lists two
problems by sheet, row and column (a date written month first, an NHS number with a wrong check
digit) and saves nothing; she mends the file, the dry run is clean,
she imports it, watches its progress and reads the result; the families are on her
practitioner's caseload. Every page passes axe as it is."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.models import Episode
from attune.care.tests.factories import seed_interventions
from attune.care.tests.factories_waiting import capacity
from attune.families.models import Family
from attune.interop import import_services
from attune.interop.import_models import ImportRun
from attune.nonprod import import_sample
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_team_lead_imports_a_caseload(page: Page, world: World, auth, checkpoint: Check, tmp_path: Path) -> None:
    # Given a hub team lead, and a practitioner with a caseload set
    seed_interventions()
    lead: User = UserFactory(full_name="Priya Shah")
    MembershipFactory(user=lead, team=world.hub, role=Role.TEAM_LEAD)
    therapist: User = UserFactory(full_name="Pat Okafor", email="pat.okafor@example.nhs.uk")
    MembershipFactory(user=therapist, team=world.hub, role=Role.PRACTITIONER)
    capacity(world.hub, therapist, maximum="20")
    rows = import_sample.sample_rows(
        families=3, practitioners=[therapist.email], today=timezone.localdate(), alert_every=0
    )

    # When she opens the import page and downloads the template
    auth.sign_in(page, lead)
    page.goto("/imports/new")
    expect(page.get_by_role("heading", name="Import a caseload", level=1)).to_be_visible()
    checkpoint(page, "upload page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template workbook").click()
    assert download.value.suggested_filename == "attune-caseload-template.xlsx"

    # And uploads her file, with a date written month first and a mistyped NHS number
    bad = {kind: [dict(row) for row in found] for kind, found in rows.items()}
    bad["families"][0]["date_of_birth"] = "03/13/2025"
    bad["families"][3]["nhs_number"] = "943 476 5918"
    (tmp_path / "caseload.xlsx").write_bytes(import_sample.workbook(bad))
    page.get_by_label("Upload the file").set_input_files(str(tmp_path / "caseload.xlsx"))
    page.get_by_role("button", name="Check the file").click()

    # Then the page says the file is being checked, in the background, while the worker reads it
    expect(page.get_by_role("heading", name="Checking the file")).to_be_visible()
    checkpoint(page, "checking")
    check(ImportRun.objects.get(file_name="caseload.xlsx"), page)

    # And the dry run lists each problem where it is and how to mend it, and saves nothing
    expect(page.get_by_role("heading", name="2 problems in 25 rows")).to_be_visible()
    problems = page.get_by_role("table", name="Each problem, by sheet and row")
    expect(
        problems.get_by_role("row").filter(has_text="Write dates as day/month/year, for example 31/01/2025")
    ).to_contain_text("Date of birth")
    expect(problems.get_by_role("row").filter(has_text="943 476 5918")).to_contain_text("NHS number")
    checkpoint(page, "problems")
    assert Family.objects.count() == 0

    # And the report reflows on a small screen: only its tables scroll, each in its own region
    # (drawn afresh at that size, as a phone would: the header lays itself out as the page loads)
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the report is {width}px wide on a 320px screen"
    checkpoint(page, "problems at 320px")
    page.set_viewport_size({"width": 1024, "height": 768})

    # When she mends the file and uploads it again
    (tmp_path / "caseload-mended.xlsx").write_bytes(import_sample.workbook(rows))
    page.get_by_role("link", name="Upload the mended file").click()
    page.get_by_label("Upload the file").set_input_files(str(tmp_path / "caseload-mended.xlsx"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Checking the file")).to_be_visible()
    check(ImportRun.objects.get(file_name="caseload-mended.xlsx"), page)

    # Then the file is ready, with what it will add
    expect(page.get_by_role("heading", name="The file is ready to import")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Families")).to_contain_text("3")
    checkpoint(page, "ready")

    # When she imports it, the page shows its progress while the worker runs it
    page.get_by_role("button", name="Import the caseload").click()
    expect(page.get_by_role("heading", name="Importing")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    checkpoint(page, "progress")
    run = ImportRun.objects.get(file_name="caseload-mended.xlsx")
    import_services.run_import(run.pk)  # what the worker's task does

    # Then the result page says what was imported
    page.reload()
    expect(page.get_by_role("heading", name="The caseload is imported")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Appointments")).to_contain_text("9")
    checkpoint(page, "result")

    # And the families are on the practitioner's caseload
    page.get_by_role("link", name="See the team's caseloads").click()
    expect(page.get_by_role("row").filter(has_text="Pat Okafor")).to_contain_text("3")
    checkpoint(page, "caseloads")
    assert Episode.objects.open().filter(team=world.hub, workers__practitioner=therapist).count() == 3
    assert Family.objects.filter(team=world.hub, created_at__lt=timezone.now() - dt.timedelta(days=1)).count() == 3


def check(run: ImportRun, page: Page) -> None:
    """What the worker's task does with an uploaded file, then the page as it next asks."""
    import_services.check_run(run.pk)
    page.reload()
