"""A practitioner adds a child protection plan to a family's record: her first try is a PNG
renamed "plan.pdf", and she is told so with everything else she typed kept; then the real PDF,
which she marks as received from children's social care. A colleague in her team opens the
family, finds the document and downloads it (the same bytes, as an attachment, never cached).
A practitioner of another trust's team gets "Page not found" for the document and its download.
Each page passes axe."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.documents.document_models import Document
from attune.documents.tests import document_samples as samples
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_document_shared_in_the_team_and_refused_to_another(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    coordinator: User,
    outsider: User,
    auth: Any,
    checkpoint: Check,
) -> None:
    # Given a family of the hub team
    family = FamilyFactory(team=world.hub)
    CarerFactory(family=family, given_name="Amy", family_name="Example")
    InfantFactory(family=family, given_name="Ben", family_name="Example")

    # When Pat opens the family's record, then its page for adding a document
    auth.sign_in(page, practitioner)
    page.goto(f"/families/{family.pk}")
    expect(page.get_by_role("heading", level=2, name="Documents")).to_be_visible()
    expect(page.get_by_text("No documents or video recordings are kept for this family.")).to_be_visible()
    page.get_by_role("link", name="Add a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a document")
    checkpoint(page, "upload")

    # And fills it in, but chooses a PNG picture that was renamed "plan.pdf"
    page.get_by_label("Title").fill("Child protection plan, initial conference")
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Who is it about?").select_option(label="Ben Example")
    page.get_by_label("Neither: it was made here").check()
    page.locator("input[type=file]").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": samples.png()}
    )
    page.get_by_role("button", name="Add document").click()

    # Then she is told what the file really is and what to do, and nothing else is lost
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text(
        "plan.pdf is a PNG image but its name ends in .pdf. Choose the right file or rename it"
    )
    expect(page.get_by_label("Title")).to_have_value("Child protection plan, initial conference")
    expect(page.get_by_label("Child protection plan", exact=True)).to_be_checked()
    expect(page.get_by_label("Who is it about?")).to_have_value(re.compile(r"^infant:"))
    expect(page.get_by_text("you need to choose the file again")).to_be_visible()
    assert not Document.objects.exists()
    checkpoint(page, "refused")

    # When she chooses the real PDF
    page.locator("input[type=file]").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}
    )
    page.get_by_role("button", name="Add document").click()

    # Then the document's page shows it
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Document added: Child protection plan, initial conference."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Child protection plan, initial conference")
    document = Document.objects.get()
    expect(page).to_have_url(re.compile(rf"/documents/{document.pk}$"))
    checkpoint(page, "document")

    # When she records that it was received from children's social care today
    page.get_by_role("link", name=re.compile("Record that it was sent or received")).click()
    checkpoint(page, "exchange")
    page.get_by_label("Received from").check()
    page.get_by_label("Which agency?").fill("Children's social care")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()

    # Then the document says so
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Received from Children's social care on")
    document.refresh_from_db()
    assert document.direction == "received"

    # When Cora, a coordinator in the same team, opens the family's record
    colleague = new_page()
    auth.sign_in(colleague, coordinator)
    colleague.goto(f"/families/{family.pk}")
    documents = colleague.get_by_role("table", name=re.compile("Documents on this family's record"))
    expect(documents).to_contain_text("Received from Children's social care")
    checkpoint(colleague, "family")

    # And opens the document and downloads it
    documents.get_by_role("link", name="Child protection plan, initial conference").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Child protection plan, initial conference")
    checkpoint(colleague, "colleague-document")
    with colleague.expect_download() as downloading:
        colleague.get_by_role("link", name="Download plan.pdf").click()
    download = downloading.value

    # Then she has the same file, under its name
    assert download.suggested_filename == "plan.pdf"
    assert Path(download.path()).read_bytes() == samples.pdf()
    response = colleague.request.get(f"/documents/{document.pk}/download")
    assert response.status == 200
    assert response.headers["content-disposition"] == 'attachment; filename="plan.pdf"'
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert AuditEvent.objects.filter(action="document.downloaded", actor=coordinator).count() == 2

    # When Otto, of another trust's team, tries the document's page and its download
    stranger = new_page()
    auth.sign_in(stranger, outsider)
    opened = stranger.goto(f"/documents/{document.pk}")

    # Then neither exists for him
    assert opened is not None
    assert opened.status == 404
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(stranger.get_by_role("main")).not_to_contain_text("Child protection plan")
    assert stranger.request.get(f"/documents/{document.pk}/download").status == 404
    assert not AuditEvent.objects.filter(action="document.downloaded", actor=outsider).exists()
    checkpoint(stranger, "not-found")
