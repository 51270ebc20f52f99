"""FHIR in and out. A practitioner downloads a family's record for its GP: the page asks who will
receive it, says so when she forgets to choose, and the file is a FHIR Bundle that parses back.
A coordinator takes a health visitor's ServiceRequest into the hub's inbox: a Patient sent by
mistake is refused with a message saying what to send, then the referral arrives. Every page
passes axe as it is."""

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.interop import fhir_export
from attune.organisations.tests.world import World
from attune.referrals.models import Referral

Check = Callable[[Page, str], None]
SAMPLE = Path(__file__).resolve().parents[2] / "attune" / "interop" / "tests" / "samples"


def _request() -> bytes:
    payload: dict[str, Any] = json.loads((SAMPLE / "service_request_contained.json").read_text())
    payload["contained"][0]["birthDate"] = (timezone.localdate() - dt.timedelta(weeks=7)).isoformat()
    return json.dumps(payload).encode()


def test_practitioner_downloads_a_record_and_coordinator_receives_a_referral(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    coordinator: User,
    auth,
    checkpoint: Check,
) -> None:
    # Given a family on the hub's records
    family: Family = FamilyFactory(team=world.hub)
    CarerFactory(family=family, given_name="Amy", family_name="Example", nhs_number="9434765919")
    InfantFactory(family=family, given_name="Ben", family_name="Example")

    # When the practitioner opens the family and follows the link to share it
    auth.sign_in(page, practitioner)
    page.goto(f"/families/{family.pk}")
    expect(page.get_by_role("heading", name="Share this record with another NHS system")).to_be_visible()
    checkpoint(page, "family page")
    page.get_by_role("link", name="Download the record as FHIR").click()
    expect(page.get_by_role("heading", name="Download the record as FHIR", level=1)).to_be_visible()
    checkpoint(page, "export form")

    # And forgets to say who will receive it
    page.get_by_role("button", name="Download the record").click()
    expect(page.get_by_role("alert").get_by_text("Select who will receive this record")).to_be_visible()
    checkpoint(page, "export error")

    # Then choosing the GP downloads a FHIR Bundle that parses back with the FHIR models
    page.get_by_label("Their GP").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the record").click()
    saved = download.value
    assert saved.suggested_filename.startswith("family-record-")
    bundle = json.loads(Path(saved.path()).read_text())
    fhir_export.validate(bundle)
    names = [e["resource"].get("name", [{}])[0].get("given") for e in bundle["entry"] if "name" in e["resource"]]
    assert ["Ben"] in names

    # When the coordinator opens the page to receive a FHIR referral and sends a Patient by mistake
    other = new_page()
    auth.sign_in(other, coordinator)
    other.goto(f"/teams/{world.hub.pk}/referrals/fhir")
    expect(other.get_by_role("heading", name="Receive a referral from a FHIR file", level=1)).to_be_visible()
    checkpoint(other, "upload form")
    upload = other.get_by_label("FHIR ServiceRequest file")
    upload.set_input_files(
        {"name": "patient.json", "mimeType": "application/json", "buffer": b'{"resourceType": "Patient"}'}
    )
    other.get_by_role("button", name="Receive the referral").click()

    # Then the page says what to send instead
    expect(
        other.get_by_role("alert").get_by_text("This is a Patient; send a ServiceRequest (or a Bundle holding one)")
    ).to_be_visible()
    checkpoint(other, "upload error")

    # When she sends the health visitor's ServiceRequest
    other.get_by_label("FHIR ServiceRequest file").set_input_files(
        {"name": "referral.json", "mimeType": "application/fhir+json", "buffer": _request()}
    )
    other.get_by_role("button", name="Receive the referral").click()

    # Then the referral is in the hub's inbox, from the health visitor
    referral = Referral.objects.get(team=world.hub)
    expect(other.get_by_text(f"Referral {referral.reference} received from the FHIR ServiceRequest.")).to_be_visible()
    expect(other.get_by_text("Helen Visitor").first).to_be_visible()
    checkpoint(other, "referral")

    # And both pages reflow on a 320-pixel screen without scrolling sideways
    for viewer, address in ((page, f"/families/{family.pk}/fhir"), (other, f"/teams/{world.hub.pk}/referrals/fhir")):
        viewer.set_viewport_size({"width": 320, "height": 640})
        viewer.goto(address)
        assert viewer.evaluate("() => document.documentElement.scrollWidth") <= 320, address
    checkpoint(other, "upload form at 320px")
