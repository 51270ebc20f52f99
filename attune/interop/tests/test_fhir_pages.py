"""The FHIR pages: downloading a family's record (for whoever may see the family; a stranger gets
404) and receiving a ServiceRequest file into a team's inbox (coordinators and team leads; a
practitioner 403, a stranger 404). Errors show in the error summary, keeping what was typed."""

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import Attendance
from attune.care.tests.factories import AppointmentFactory, open_episode, waiting_referrals
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def family(world: World) -> Family:
    found: Family = FamilyFactory(team=world.hub)
    CarerFactory(family=found, given_name="Amy", family_name="Example")
    InfantFactory(family=found, given_name="Ben", family_name="Example")
    return found


def request_file(**changes: Any) -> SimpleUploadedFile:
    payload: dict[str, Any] = json.loads((SAMPLES / "service_request_contained.json").read_text())
    payload["contained"][0]["birthDate"] = (timezone.localdate() - dt.timedelta(weeks=7)).isoformat()
    payload.update(changes)
    return SimpleUploadedFile("referral.json", json.dumps(payload).encode(), content_type="application/fhir+json")


# Export ---------------------------------------------------------------------------------------


def test_the_family_page_links_to_the_download(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    page = signed_in(practitioner).get(f"/families/{family.pk}")
    assert f'href="/families/{family.pk}/fhir"' in page.content.decode()


def test_a_practitioner_downloads_the_record_for_the_gp(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(practitioner)
    page = client.get(f"/families/{family.pk}/fhir")
    assert page.status_code == 200
    assert "Who will receive this record?" in page.content.decode()
    assert AuditEvent.objects.filter(action="family.viewed", detail__page="fhir_export").exists()
    download = client.post(f"/families/{family.pk}/fhir", {"receiver": "share_gp"})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="family-record-')
    assert "no-store" in download["Cache-Control"]
    bundle = json.loads(download.content)
    assert bundle["resourceType"] == "Bundle"
    event = AuditEvent.objects.get(action="fhir.bundle_exported")
    assert (event.family_id, event.actor) == (family.pk, practitioner)


def test_another_agency_needs_its_name_and_the_choice_is_kept(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(practitioner)
    page = client.post(f"/families/{family.pk}/fhir", {"receiver": "share_other", "agency": " "})
    assert page.status_code == 400
    text = page.content.decode()
    assert "nhsuk-error-summary" in text
    assert "Enter the name of the agency" in text
    assert 'value="share_other" checked' in text
    nothing = client.post(f"/families/{family.pk}/fhir", {})
    assert "Select who will receive this record" in nothing.content.decode()
    assert not AuditEvent.objects.filter(action="fhir.bundle_exported").exists()


def test_a_bundle_that_fails_validation_is_not_sent_and_the_page_says_so(
    family: Family, practitioner: User, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attune.interop import fhir_export

    def refuse(bundle: object) -> None:
        raise fhir_export.InvalidBundle("entry.0.resource.birthDate")

    monkeypatch.setattr(fhir_export, "validate", refuse)
    page = signed_in(practitioner).post(f"/families/{family.pk}/fhir", {"receiver": "share_gp"})
    assert page.status_code == 400
    assert "could not be made into a valid FHIR file, so nothing was downloaded" in page.content.decode()
    assert not AuditEvent.objects.filter(action="fhir.bundle_exported").exists()


def test_a_stranger_to_the_family_gets_404(family: Family, outsider: User, signed_in: SignedIn) -> None:
    client = signed_in(outsider)
    assert client.get(f"/families/{family.pk}/fhir").status_code == 404
    assert client.post(f"/families/{family.pk}/fhir", {"receiver": "share_gp"}).status_code == 404
    assert not AuditEvent.objects.filter(action="fhir.bundle_exported").exists()
    assert AuditEvent.objects.filter(action="access.refused", object_id=str(family.pk)).exists()


def test_a_commissioner_never_downloads_a_family(family: Family, commissioner: User, signed_in: SignedIn) -> None:
    assert signed_in(commissioner).get(f"/families/{family.pk}/fhir").status_code == 404


def test_the_download_takes_the_same_queries_as_the_history_grows(
    world: World, practitioner: User, signed_in: SignedIn
) -> None:
    episode = open_episode(world.hub, practitioner)
    client = signed_in(practitioner)

    def grow(count: int) -> None:
        while episode.appointments.count() < count:
            starts = timezone.now() - dt.timedelta(days=episode.appointments.count() + 1)
            visit = AppointmentFactory(
                episode=episode,
                practitioner=practitioner,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
                attendance=Attendance.ATTENDED,
            )
            visit.attended_carers.set(episode.family.carers.all())

    assert_flat(grow=grow, fetch=lambda: client.post(f"/families/{episode.family_id}/fhir", {"receiver": "share_gp"}))


# Receiving a ServiceRequest -----------------------------------------------------------------


def test_a_coordinator_receives_a_referral_from_a_fhir_file(
    world: World, coordinator: User, signed_in: SignedIn
) -> None:
    client = signed_in(coordinator)
    page = client.get(f"/teams/{world.hub.pk}/referrals/fhir")
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="fhir.upload_viewed", object_id=str(world.hub.pk)).exists()
    sent = client.post(f"/teams/{world.hub.pk}/referrals/fhir", {"file": request_file()})
    referral = Referral.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/referrals/{referral.pk}"
    assert referral.team == world.hub


def test_a_team_lead_may_and_a_practitioner_may_not(
    world: World, team_lead: User, practitioner: User, signed_in: SignedIn
) -> None:
    assert signed_in(team_lead).get(f"/teams/{world.hub.pk}/referrals/fhir").status_code == 200
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/referrals/fhir").status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", outcome="denied").exists()


def test_a_stranger_to_the_team_gets_404(world: World, outsider: User, signed_in: SignedIn) -> None:
    client = signed_in(outsider)
    assert client.get(f"/teams/{world.hub.pk}/referrals/fhir").status_code == 404
    assert client.post(f"/teams/{world.hub.pk}/referrals/fhir", {"file": request_file()}).status_code == 404
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("referral.json", b"{not json"), "The file is not valid JSON"),
        (
            SimpleUploadedFile("patient.json", b'{"resourceType": "Patient"}'),
            "This is a Patient; send a ServiceRequest (or a Bundle holding one)",
        ),
        (request_file(status="draft"), "status is draft: only an active request is a referral"),
        (SimpleUploadedFile("empty.json", b""), "The file is empty"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(
    world: World, coordinator: User, signed_in: SignedIn, upload: SimpleUploadedFile, message: str
) -> None:
    page = signed_in(coordinator).post(f"/teams/{world.hub.pk}/referrals/fhir", {"file": upload})
    assert page.status_code == 400
    text = page.content.decode()
    assert "nhsuk-error-summary" in text
    assert message in text
    assert Referral.objects.count() == 0


def test_the_same_file_twice_points_to_the_referral_already_made(
    world: World, coordinator: User, signed_in: SignedIn
) -> None:
    client = signed_in(coordinator)
    client.post(f"/teams/{world.hub.pk}/referrals/fhir", {"file": request_file()})
    again = client.post(f"/teams/{world.hub.pk}/referrals/fhir", {"file": request_file()})
    referral = Referral.objects.get()
    assert again.status_code == 400
    text = again.content.decode()
    assert f"as referral {referral.reference}. Nothing new was added" in text
    assert f'href="/referrals/{referral.pk}"' in text


def test_the_upload_page_costs_the_same_however_full_the_inbox(
    world: World, coordinator: User, signed_in: SignedIn
) -> None:
    client = signed_in(coordinator)
    grow = growing_in_bulk(
        lambda count: waiting_referrals(world.hub, count), lambda: Referral.objects.filter(team=world.hub).count()
    )
    assert_flat(grow=grow, fetch=lambda: client.get(f"/teams/{world.hub.pk}/referrals/fhir"))
