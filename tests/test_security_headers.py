"""Every URL Attune serves carries the security headers, signed in or not (S7, ASVS v5.0.0-3.4.x,
14.3.2). The list of URLs comes from the URL configuration itself, so a new page is checked the
day it is added."""

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Appointment, Goal, InterpreterBooking, Room
from attune.care.tests.factories import AppointmentFactory, NoteFactory, open_episode
from attune.commissioning.tests.factories import agreement as funding_agreement
from attune.core.testing.actors import acting
from attune.documents import document_services, recording_services
from attune.documents.tests import document_samples
from attune.families import safeguarding
from attune.families.consent import record_consent
from attune.families.models import Family, FamilyAlert, FamilyMerge
from attune.families.tests.factories import (
    CarerFactory,
    FamilyFactory,
    InfantFactory,
    SafeguardingFlagFactory,
    UnbornInfantFactory,
)
from attune.interop.import_models import ImportRun
from attune.interop.tests.api_support import issue as issue_api_token
from attune.organisations.models import Membership, Site
from attune.organisations.roles import ORGANISATION_ROLES, TEAM_ROLES
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.outcomes.links import send_link
from attune.outcomes.services import record_administration
from attune.outcomes.tests.entry_helpers import answers
from attune.referrals.tests.factories import ReferralFactory
from attune.supervision.models import SupervisionAction
from attune.supervision.tests.factories import given_session
from attune.workforce.tests.factories import plan

SAMPLE_VIDEO = Path(__file__).resolve().parents[1] / "attune" / "documents" / "tests" / "samples" / "session.mp4"


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or ""


def _concrete(pattern: str, values: dict[str, str]) -> str:
    path = pattern
    for converter in ("<uuid:", "<str:", "<slug:"):
        while converter in path:
            start = path.index(converter)
            end = path.index(">", start)
            name = path[start + len(converter) : end]
            path = path[:start] + values[name] + path[end + 1 :]
    return "/" + path


@pytest.fixture
def everyone(world: World) -> User:
    """A person holding every role, so every page answers rather than refuses."""
    person = MembershipFactory(role="practitioner", team=world.hub).user
    for role in TEAM_ROLES:
        MembershipFactory(user=person, role=role, team=world.hub)
    for role in ORGANISATION_ROLES:
        MembershipFactory(user=person, role=role, team=None, organisation=world.trust)
    return person


@pytest.fixture
def records(world: World, practitioner: User) -> dict[str, str]:
    """A real object for every kind of URL parameter, so each page answers rather than 404s."""
    referral = ReferralFactory(family=FamilyFactory(team=world.hub))
    family = referral.family
    infant = InfantFactory(family=family)
    flag = SafeguardingFlagFactory(family=family)
    merged = FamilyFactory(team=world.hub, merged_into=family)
    merge = FamilyMerge.objects.create(kept=family, merged=merged, merged_by=practitioner, reason="Same family")
    episode = open_episode(world.hub, practitioner)
    appointment = AppointmentFactory(episode=episode, practitioner=practitioner)
    note = NoteFactory(appointment=appointment)
    goal = Goal.objects.create(episode=episode, carer=episode.carers.get(), description="Enjoy bath time together")
    measure = record_administration(
        actor=None,
        episode=episode,
        instrument="PHQ9",
        answers=answers("PHQ9", {9: 1}),
        time_point="assessment",
        completed_on=timezone.localdate(),
        source="staff",
        carer=episode.carers.get(),
    )
    alert = FamilyAlert.objects.get(about_id=str(measure.pk))
    link, address = send_link(
        actor=acting(practitioner),
        episode=episode,
        carer=episode.carers.get(),
        instruments=["PHQ9"],
        time_point="review",
        site_url="http://testserver",
    )
    session = given_session(practitioner, [practitioner], timezone.localdate(), episodes=[episode])
    action = SupervisionAction.objects.create(
        session=session, description="Book a joint visit", owner=practitioner, due_on=timezone.localdate()
    )
    training = plan(practitioner, world.hub, practitioner)
    agreement = funding_agreement(world.icb, world.trust, [world.hub])
    site = Site.objects.create(team=world.hub, name="Central family hub", kind="family_hub")
    room = Room.objects.create(site=site, name="Garden room")
    membership = Membership.objects.filter(user=practitioner).first()
    assert membership is not None
    the_record = _the_whole_record(family, appointment, practitioner)
    return {
        **the_record,
        **_data_in_and_out(world, practitioner),
        "team_id": str(world.hub.pk),
        "user_id": str(practitioner.pk),
        "object_type": "organisations.team",
        "object_id": str(world.hub.pk),
        "action": "end-sessions",
        "family_id": str(family.pk),
        "referral_id": str(referral.pk),
        "flag_id": str(flag.pk),
        "infant_id": str(infant.pk),
        "merge_id": str(merge.pk),
        "decision": "accept",
        "episode_id": str(episode.pk),
        "appointment_id": str(appointment.pk),
        "note_id": str(note.pk),
        "goal_id": str(goal.pk),
        "instrument": "phq9",
        "administration_id": str(measure.pk),
        "alert_id": str(alert.pk),
        "link_id": str(link.pk),
        "token": address.rstrip("/").rsplit("/", 1)[-1],
        "session_id": str(session.pk),
        "action_id": str(action.pk),
        "plan_id": str(training.pk),
        "agreement_id": str(agreement.pk),
        "organisation_id": str(world.trust.pk),
        "area_id": str(world.hub_area.pk),
        "service_id": str(world.hub.service_id),
        "site_id": str(site.pk),
        "room_id": str(room.pk),
        "membership_id": str(membership.pk),
    }


def _the_whole_record(family: Family, appointment: Appointment, practitioner: User) -> dict[str, str]:
    """A consent, an interpreter booking, a document and a recording (issue 19)."""
    carer = CarerFactory(family=family, parental_responsibility="yes")
    actor = acting(practitioner)
    given = record_consent(
        actor=actor, family=family, person=carer, purpose="contact_text", decision="given", how="spoken"
    )
    booking = InterpreterBooking.objects.create(
        appointment=appointment,
        language="Polish",
        provider="Lancashire Interpreting Service",
        professional_confirmed=True,
        booked_at=timezone.now(),
        booked_by=practitioner,
    )
    pdf = document_samples.pdf()
    document = document_services.upload_document(
        actor=actor,
        family=family,
        title="Letter from the GP",
        category="letter",
        content=io.BytesIO(pdf),
        name="letter.pdf",
        size=len(pdf),
    )
    session_carer = appointment.episode.carers.get()
    record_consent(
        actor=actor,
        family=appointment.episode.family,
        person=session_carer,
        purpose="video_recording",
        decision="given",
        how="spoken",
    )
    recording = recording_services.upload_recording(
        actor=actor,
        appointment=appointment,
        infants=[],
        carers=[session_carer],
        upload=recording_services.Upload(
            file=SimpleUploadedFile("session.mp4", SAMPLE_VIDEO.read_bytes()), name="session.mp4"
        ),
    )
    unborn = UnbornInfantFactory(family=family)
    referral = safeguarding.make_safeguarding_referral(
        actor=actor, family=family, infant=unborn, concern="Concern", referred_on=timezone.localdate()
    )
    meeting = safeguarding.schedule_safeguarding_meeting(
        actor=actor, referral=referral, kind="strategy", starts_at=timezone.now() + dt.timedelta(days=7)
    )
    return {
        "safeguarding_referral_id": str(referral.pk),
        "meeting_id": str(meeting.pk),
        "person_id": str(carer.pk),
        "consent_id": str(given.pk),
        "carer_id": str(carer.pk),
        "booking_id": str(booking.pk),
        "document_id": str(document.pk),
        "recording_id": str(recording.pk),
    }


def _data_in_and_out(world: World, practitioner: User) -> dict[str, str]:
    """A caseload import with problems to show and a token for another system (issue 20)."""
    run = ImportRun.objects.create(
        team=world.hub,
        uploaded_by=practitioner,
        file_name="caseload.xlsx",
        file_type="xlsx",
        sha256="0" * 64,
        state="has_problems",
    )
    admin = MembershipFactory(role="system_admin", team=None, organisation=world.trust).user
    api_client, _ = issue_api_token(admin, [world.hub])
    return {"run_id": str(run.pk), "client_id": str(api_client.pk)}


def _urls(values: dict[str, str]) -> list[str]:
    return [_concrete(pattern, values) for pattern, _ in _patterns(get_resolver())]


def _assert_secure(response, url: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, url
    assert "no-store" in response["Cache-Control"], url
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp, url
    assert "unsafe-inline" not in csp, url
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in csp, (url, directive)
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url


def test_every_url_is_checked(world: World, records: dict[str, str]) -> None:
    urls = _urls(records)
    assert "/" in urls
    assert f"/teams/{world.hub.pk}" in urls
    assert len(urls) >= 15


def test_every_signed_in_response_has_the_headers(
    world: World, records: dict[str, str], everyone: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(everyone)
    statuses = {}
    for url in _urls(records):
        if url == "/sign-out":
            continue  # checked last: it ends the session the others need
        response = client.get(url)
        statuses[url] = response.status_code
        _assert_secure(response, url)
    # The crawl really saw pages, not a wall of redirects to sign-in.
    assert statuses["/"] == 200
    assert statuses[f"/teams/{world.hub.pk}"] == 200
    assert statuses["/audit"] == 200
    assert statuses[f"/referrals/{records['referral_id']}"] == 200
    assert statuses[f"/families/{records['family_id']}"] == 200
    _assert_secure(client.post("/sign-out"), "/sign-out")


def test_every_anonymous_response_has_the_headers(client: Client, records: dict[str, str]) -> None:
    for url in _urls(records):
        _assert_secure(client.get(url), url)


def test_unknown_pages_have_the_headers(client: Client, db: None) -> None:
    _assert_secure(client.get("/no-such-page"), "/no-such-page")
