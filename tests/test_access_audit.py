"""Every page that shows a family's data records who saw it, naming the family (issue 16).

The IG lead answers "who saw this family?" from the audit events that name the family
(`AuditEvent.family_id`), whatever the page was about: a referral, an appointment, a measure.
This test walks the URL configuration: every pattern with a parameter that picks out a family's
data (FAMILY_DATA) must be in PAGES, with an object from the loaded demo to open it as a person
who may see it, or in NOT_PAGES with the reason it shows nothing to read. Each page in PAGES is
opened and must answer 200 and write an event naming its family (and the person, for a page
about one carer or baby). A new page without a read naming the family fails here.

Lists (inbox, waiting list, caseloads, diaries) name families only as rows of the person's own
work and are recorded as a read of the list (ADR 0015, "Access audit names the family").
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from attune.care.models import Appointment, Episode, Goal, Note, NoteStatus
from attune.core.models import AuditEvent
from attune.documents.models import Document, Recording
from attune.families.consent_models import Consent
from attune.families.models import Family, FamilyAlert, FamilyMerge, Infant, SafeguardingFlag
from attune.families.safeguarding_models import SafeguardingMeeting, SafeguardingReferral
from attune.nonprod.tests.demo import load_demo, person
from attune.organisations.tests.world import sign_in_client
from attune.outcomes.models import Administration, QuestionnaireLink
from attune.outcomes.tests.entry_helpers import answers
from attune.referrals.models import Referral
from attune.referrals.workflow import Status
from attune.supervision.models import CaseDiscussion

pytestmark = pytest.mark.django_db

# URL parameters that pick out a family's data: a page with one of them shows a family.
FAMILY_DATA = frozenset(
    {
        "family_id",
        "referral_id",
        "episode_id",
        "appointment_id",
        "administration_id",
        "alert_id",
        "link_id",
        "infant_id",
        "flag_id",
        "merge_id",
        "goal_id",
        "session_id",
        "token",
        "person_id",
        "consent_id",
        "carer_id",
        "booking_id",
        "document_id",
        "recording_id",
        "safeguarding_referral_id",
        "meeting_id",
    }
)

POST_ONLY = "a form's button (POST only): the action it runs writes its own event naming the family"

# Patterns with family data that are not pages to read, each with why.
NOT_PAGES: dict[str, str] = {
    "care:record_attendance": POST_ONLY,
    "care:check_in": POST_ONLY,
    "care:check_out": POST_ONLY,
    "care:note": POST_ONLY,
    "care:add_addendum": POST_ONLY,
    "care:countersign": POST_ONLY,
    "outcomes:alert_review": POST_ONLY,
    "outcomes:revoke_link": POST_ONLY,
    "supervision:return_note": POST_ONLY,
    "supervision:answer_return": POST_ONLY,
    "supervision:complete_action": POST_ONLY,
    # The parent's own questionnaire through their link: no member of staff reads it. Opening
    # the link is recorded (questionnaire_link.opened, naming the family) by outcomes.links.
    "outcomes:parent_start": "the parent's own questionnaire, opened through their link",
    "outcomes:parent_check": "the parent's own questionnaire, opened through their link",
    "outcomes:parent_questionnaire": "the parent's own questionnaire, opened through their link",
    "outcomes:parent_consent": "the parent's own consent decisions, opened through their link",
    "families:safeguarding_birth_told": POST_ONLY,
    "care:confirm_interpreter": POST_ONLY,
    "care:cancel_interpreter": POST_ONLY,
    "documents:recording_stream": (
        "the video's bytes for the recording page's <video>: reached only with the watch token that page "
        "mints, whose recording.watched event names the family (one event per watch, not per range)"
    ),
    "accounts:set_up": "a member of staff's own account set-up link: no family",
    "accounts:reset": "a member of staff's own password reset link: no family",
}


@dataclass
class Page:
    """A page to open: its address, who opens it, and whose data it shows."""

    url: str
    family_id: uuid.UUID
    person_id: uuid.UUID | None = None
    who: str = "team_lead"
    # Other families the page shows beside the one it is about (two records set side by side).
    also: list[uuid.UUID] = field(default_factory=list)
    # A step before the page can be opened (answers typed on the page before a check page).
    before: Callable[[Client], object] | None = None


# Objects from the loaded demo -------------------------------------------------------------------


def _open_episode() -> Episode:
    return Episode.objects.open().filter(goals__isnull=False).select_related("family").order_by("opened_at").first()


def _discharged_episode() -> Episode:
    return Episode.objects.discharged().order_by("opened_at").first()


def _received() -> Referral:
    return Referral.objects.with_status().filter(current_status=Status.RECEIVED.value).order_by("received_at").first()


def _referral(status: Status) -> Referral:
    return Referral.objects.with_status().filter(current_status=status.value).order_by("received_at").first()


def _waiting() -> Referral:
    return (
        Referral.objects.with_status()
        .filter(current_status=Status.ACCEPTED.value, episode__isnull=True)
        .order_by("received_at")
        .first()
    )


def _another_family(referral: Referral) -> Family:
    return (
        Family.objects.current()
        .filter(team_id=referral.team_id)
        .exclude(pk=referral.family_id)
        .order_by("created_at")
        .first()
    )


def _merge() -> FamilyMerge:
    family = _open_episode().family
    other = Family.objects.current().filter(team_id=family.team_id).exclude(pk=family.pk).order_by("created_at").first()
    return FamilyMerge.objects.create(kept=family, merged=other, merged_by=person("team_lead"), reason="Same family")


def _measure() -> Administration:
    return Administration.objects.filter(carer__isnull=False).select_related("episode").order_by("created_at").first()


def _alert() -> FamilyAlert:
    return FamilyAlert.objects.filter(about_type="outcomes.administration").order_by("created_at").first()


def _administration_of(alert: FamilyAlert) -> Administration:
    return Administration.objects.select_related("episode").get(pk=alert.about_id)


def _signed_note() -> Note:
    return (
        Note.objects.filter(status=NoteStatus.SIGNED)
        .select_related("appointment__episode")
        .order_by("created_at")
        .first()
    )


def _typed_answers(episode: Episode, carer_id: uuid.UUID) -> Callable[[Client], object]:
    """Answers typed on the PHQ-9 page, which the check page shows back."""
    today = timezone.localdate()
    data = {f"item_{n}": str(a) for n, a in enumerate(answers("PHQ9"), start=1) if a is not None}
    data |= {
        "completed_on-day": str(today.day),
        "completed_on-month": str(today.month),
        "completed_on-year": str(today.year),
        "time_point": "review",
    }
    return lambda client: client.post(f"/episodes/{episode.pk}/measures/new/phq9?carer={carer_id}", data)


def _the_whole_record() -> dict[str, Callable[[], Page]]:
    """Consent, language, interpreters, documents and recordings, from the demo (issue 19)."""

    def freddie() -> Family:
        return Referral.objects.select_related("family").get(reference="PIR-DEMO-0101").family

    def consent() -> Page:
        found = freddie()
        mum = found.carers.order_by("-is_main_contact", "created_at").first()
        return Page(f"/families/{found.pk}/consent/{mum.pk}", found.pk, person_id=mum.pk)

    def withdraw_consent() -> Page:
        found = freddie()
        given = Consent.objects.filter(family=found, carer__isnull=False, decision="given").order_by("created_at")
        first = given.first()
        return Page(
            f"/families/{found.pk}/consent/{first.carer_id}/{first.pk}/withdraw", found.pk, person_id=first.carer_id
        )

    def carer_language() -> Page:
        found = freddie()
        mum = found.carers.order_by("-is_main_contact", "created_at").first()
        return Page(f"/families/{found.pk}/carers/{mum.pk}/language", found.pk, person_id=mum.pk)

    def interpreter() -> Page:
        found = Appointment.objects.filter(episode__family=freddie()).order_by("starts_at").first()
        return Page(f"/appointments/{found.pk}/interpreter", found.episode.family_id)

    def document(suffix: str) -> Callable[[], Page]:
        def build() -> Page:
            found = Document.objects.filter(removed_at__isnull=True).order_by("created_at").first()
            return Page(f"/documents/{found.pk}{suffix}", found.family_id)

        return build

    def upload_document() -> Page:
        found = freddie()
        return Page(f"/families/{found.pk}/documents/new", found.pk)

    def recording(suffix: str) -> Callable[[], Page]:
        def build() -> Page:
            found = Recording.objects.order_by("created_at").first()
            url = (
                f"/appointments/{found.appointment_id}/recordings/new"
                if suffix == "new"
                else f"/recordings/{found.pk}{suffix}"
            )
            return Page(url, found.family_id, who="practitioner")

        return build

    def safeguarding(suffix: str) -> Callable[[], Page]:
        def build() -> Page:
            found = SafeguardingReferral.objects.order_by("created_at").first()
            url = f"/families/{found.family_id}/safeguarding-referrals/{found.pk}{suffix}"
            return Page(url, found.family_id, person_id=found.infant_id, who="trainee_1")

        return build

    def safeguarding_meeting(suffix: str) -> Callable[[], Page]:
        def build() -> Page:
            meeting = SafeguardingMeeting.objects.select_related("referral").order_by("created_at").first()
            found = meeting.referral
            url = f"/families/{found.family_id}/safeguarding-referrals/{found.pk}/meetings/{meeting.pk}{suffix}"
            return Page(url, found.family_id, person_id=found.infant_id, who="trainee_1")

        return build

    def new_safeguarding_referral() -> Page:
        found = SafeguardingReferral.objects.order_by("created_at").first()
        return Page(f"/families/{found.family_id}/safeguarding-referrals/new", found.family_id, who="trainee_1")

    return {
        "families:safeguarding_referral_new": new_safeguarding_referral,
        "families:safeguarding_referral": safeguarding(""),
        "families:safeguarding_outcome": safeguarding("/outcome"),
        "families:safeguarding_council_reference": safeguarding("/council-reference"),
        "families:safeguarding_meeting_new": safeguarding("/meetings/new"),
        "families:safeguarding_meeting_held": safeguarding_meeting("/held"),
        "families:safeguarding_meeting_move": safeguarding_meeting("/move"),
        "families:safeguarding_meeting_cancel": safeguarding_meeting("/cancel"),
        "families:consent": consent,
        "families:withdraw_consent": withdraw_consent,
        "families:carer_language": carer_language,
        "care:interpreter": interpreter,
        "documents:upload": upload_document,
        "documents:document": document(""),
        "documents:mark_exchanged": document("/exchange"),
        "documents:remove": document("/remove"),
        "documents:download": document("/download"),
        "documents:new_recording": recording("new"),
        "documents:recording": recording(""),
        "documents:erase_recording": recording("/erase"),
        "documents:training_copy": recording("/training-copy"),
    }


def _pages() -> dict[str, Callable[[], Page]]:
    def family() -> Page:
        found = _open_episode().family
        return Page(f"/families/{found.pk}", found.pk)

    def flag(suffix: str) -> Callable[[], Page]:
        def build() -> Page:
            found = SafeguardingFlag.objects.filter(removed_at__isnull=True).order_by("created_at").first()
            url = (
                f"/families/{found.family_id}/flags/new"
                if suffix == "new"
                else (f"/families/{found.family_id}/flags/{found.pk}/remove")
            )
            return Page(url, found.family_id)

        return build

    def birth() -> Page:
        baby = (
            Infant.objects.filter(date_of_birth__isnull=True, family__merged_into__isnull=True)
            .order_by("created_at")
            .first()
        )
        return Page(f"/families/{baby.family_id}/infants/{baby.pk}/birth", baby.family_id, person_id=baby.pk)

    def duplicates() -> Page:
        found = _open_episode().family
        return Page(f"/families/{found.pk}/duplicates", found.pk)

    def undo_merge() -> Page:
        merge = _merge()
        return Page(f"/families/{merge.kept_id}/merges/{merge.pk}/undo", merge.kept_id)

    def referral() -> Page:
        found = _received()
        return Page(f"/referrals/{found.pk}", found.family_id, who="coordinator")

    def decide() -> Page:
        found = _received()
        seen = found.history.order_by("entered_at", "pk").last()
        return Page(f"/referrals/{found.pk}/decide/accept?seen={seen.pk}", found.family_id, who="coordinator")

    def letter() -> Page:
        found = _referral(Status.SIGNPOSTED)
        return Page(f"/referrals/{found.pk}/letter", found.family_id, who="coordinator")

    def link_family() -> Page:
        found = _received()
        other = _another_family(found)
        return Page(f"/referrals/{found.pk}/link/{other.pk}", other.pk, who="coordinator", also=[found.family_id])

    def allocate() -> Page:
        found = _waiting()
        return Page(f"/teams/{found.team_id}/waiting-list/{found.pk}/allocate", found.family_id)

    def episode(suffix: str, *, discharged: bool = False, who: str = "team_lead") -> Callable[[], Page]:
        def build() -> Page:
            found = _discharged_episode() if discharged else _open_episode()
            return Page(f"/episodes/{found.pk}{suffix}", found.family_id, who=who)

        return build

    def rate_goal() -> Page:
        found = Goal.objects.filter(episode=_open_episode()).order_by("created_at").first()
        return Page(f"/episodes/{found.episode_id}/goals/{found.pk}/rate", _open_episode().family_id)

    def appointment() -> Page:
        found = Appointment.objects.filter(episode=_open_episode()).order_by("starts_at").first()
        return Page(f"/appointments/{found.pk}", _open_episode().family_id)

    def enter() -> Page:
        found = _open_episode()
        carer = found.carers.order_by("created_at").first()
        return Page(f"/episodes/{found.pk}/measures/new/phq9?carer={carer.pk}", found.family_id, person_id=carer.pk)

    def check() -> Page:
        found = _open_episode()
        carer = found.carers.order_by("created_at").first()
        return Page(
            f"/episodes/{found.pk}/measures/new/phq9/check?carer={carer.pk}",
            found.family_id,
            person_id=carer.pk,
            before=_typed_answers(found, carer.pk),
        )

    def administration() -> Page:
        found = _measure()
        return Page(f"/measures/{found.pk}", found.episode.family_id, person_id=found.carer_id)

    def alert() -> Page:
        found = _alert()
        measure = _administration_of(found)
        return Page(
            f"/measures/{measure.pk}/alerts/{found.pk}",
            found.family_id,
            person_id=measure.carer_id or measure.infant_id,
        )

    def link_sent() -> Page:
        found = QuestionnaireLink.objects.select_related("episode").order_by("created_at").first()
        return Page(
            f"/episodes/{found.episode_id}/questionnaire-links/{found.pk}/sent",
            found.episode.family_id,
            person_id=found.carer_id,
        )

    def note_review() -> Page:
        found = _signed_note()
        return Page(f"/appointments/{found.appointment_id}/note/review", found.appointment.episode.family_id)

    def session() -> Page:
        found = CaseDiscussion.objects.select_related("episode", "session").order_by("created_at").first()
        return Page(f"/supervision/sessions/{found.session_id}", found.episode.family_id, who="supervisor")

    def family_access(suffix: str) -> Callable[[], Page]:
        def build() -> Page:
            found = _open_episode().family
            return Page(f"/audit/families/{found.pk}{suffix}", found.pk, who="ig_lead")

        return build

    return {
        "families:family": family,
        "families:raise_flag": flag("new"),
        "families:remove_flag": flag("remove"),
        "families:record_birth": birth,
        "families:check_duplicates": duplicates,
        "families:undo_merge": undo_merge,
        "referrals:referral": referral,
        "referrals:decide": decide,
        "referrals:letter": letter,
        "referrals:link_family": link_family,
        "care:allocate": allocate,
        "care:transfer": episode("/transfer"),
        "care:episode": episode(""),
        "care:episode_details": episode("/details"),
        "care:add_goal": episode("/goals/new"),
        "care:rate_goal": rate_goal,
        "care:discharge": episode("/discharge"),
        "care:discharge_letter": episode("/discharge-letter", discharged=True),
        "care:reopen": episode("/reopen", discharged=True),
        "care:book": episode("/appointments/new"),
        "care:appointment": appointment,
        "outcomes:choose": episode("/measures/new"),
        "outcomes:enter": enter,
        "outcomes:check_measure": check,
        "outcomes:administration": administration,
        "outcomes:alert": alert,
        "outcomes:episode_links": episode("/questionnaire-links"),
        "outcomes:send_link": episode("/questionnaire-links/new"),
        "outcomes:link_sent": link_sent,
        "outcomes:progress": episode("/outcomes"),
        "supervision:note": note_review,
        "supervision:session": session,
        # The IG lead's pages about a family are reads of it too.
        "governance:family_access": family_access(""),
        "governance:family_access_report": family_access("/access-report.csv"),
    }


def _data_in_and_out() -> dict[str, Callable[[], Page]]:
    """The page that sends a family's record to another NHS system as FHIR (issue 20): choosing
    who receives it is a read of the family."""

    def fhir_export() -> Page:
        found = Referral.objects.select_related("family").get(reference="PIR-DEMO-0101").family
        return Page(f"/families/{found.pk}/fhir", found.pk)

    return {"interop:fhir_export": fhir_export}


PAGES = {**_pages(), **_the_whole_record(), **_data_in_and_out()}


# The URL configuration ---------------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", entry


def with_family_data() -> set[str]:
    """The names of every URL pattern with a parameter that picks out a family's data."""
    return {name for name, pattern in _patterns(get_resolver()) if set(pattern.pattern.regex.groupindex) & FAMILY_DATA}


def test_every_page_with_family_data_is_checked_or_has_a_reason() -> None:
    found = with_family_data()
    assert len(found) > 30  # the walk really saw the family pages
    unchecked = sorted(found - PAGES.keys() - NOT_PAGES.keys())
    assert unchecked == [], (
        "These pages show a family's data: add each to PAGES (with an object from the demo) and "
        "record a read naming the family (audit.record(..., family_id=...)), or to NOT_PAGES "
        f"with the reason: {unchecked}"
    )
    assert sorted((PAGES.keys() | NOT_PAGES.keys()) - found) == []  # nothing listed that is gone


# The pages, opened in the loaded demo ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, loaded once for this module in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def _events_of(client: Client, url: str, who: str) -> tuple[int, list[AuditEvent]]:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    written = list(AuditEvent.objects.filter(pk__gt=last, actor=person(who)))
    return response.status_code, written


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_records_a_read_naming_the_family(name: str, demo: None, client: Client) -> None:
    page = PAGES[name]()
    sign_in_client(client, person(page.who))
    if page.before is not None:
        page.before(client)
    status, written = _events_of(client, page.url, page.who)
    assert status == 200, f"{name} ({page.url}) answered {status}: choose a demo object it shows"
    named = {event.family_id for event in written}
    assert page.family_id in named, f"{name} wrote no event naming the family it shows: {written}"
    assert set(page.also) <= named, f"{name} shows other families without recording them"
    if page.person_id is not None:
        about = {event.person_id for event in written if event.family_id == page.family_id}
        assert page.person_id in about, f"{name} is about one person and does not name them"


@pytest.mark.parametrize("name", sorted(name for name, why in NOT_PAGES.items() if why == POST_ONLY))
def test_a_button_answers_only_a_post(name: str, demo: None, client: Client) -> None:
    """What NOT_PAGES calls POST only must be so, or a page could hide there unrecorded."""
    pattern = next(p for n, p in _patterns(get_resolver()) if n == name)
    assert pattern.callback is not None
    sign_in_client(client, person("team_lead"))
    url = "/" + str(pattern.pattern)
    for converter in pattern.pattern.converters:
        url = url.replace(f"<uuid:{converter}>", str(uuid.uuid4()))
    assert client.get(url).status_code == 405, name


def test_the_referral_s_read_counts_the_possible_matches_it_shows(demo: None, client: Client) -> None:
    """Families the team already knows that look like this one are shown beside the referral:
    counted in its read, as search results are (ADR 0015)."""
    found = _received()
    other = _another_family(found)
    # Make the other family a strong match: the same baby's NHS number and date of birth.
    baby = found.family.infants.order_by("created_at").first()
    Infant.objects.create(
        family=other,
        given_name=baby.given_name,
        family_name=baby.family_name,
        date_of_birth=baby.date_of_birth,
        expected_due_date=baby.expected_due_date,
        nhs_number=baby.nhs_number,
    )
    status, written = _events_of(sign_in_client(client, person("coordinator")), f"/referrals/{found.pk}", "coordinator")
    assert status == 200
    read = next(event for event in written if event.action == "referral.viewed")
    assert (read.family_id, read.detail) == (found.family_id, {"possible_matches": 1})


def test_actions_on_a_family_name_it_too(demo: None, client: Client) -> None:
    """Who changed a family's data is part of who saw it: the change's own event names it."""
    found = _open_episode()
    carer = found.carers.annotate(goal_count=Count("goals")).order_by("goal_count", "created_at").first()
    client = sign_in_client(client, person("team_lead"))
    response = client.post(f"/episodes/{found.pk}/goals/new", {"carer": str(carer.pk), "description": "Play together"})
    assert response.status_code == 302
    added = AuditEvent.objects.filter(action="goal.added").latest("pk")
    assert (added.family_id, added.person_id) == (found.family_id, carer.pk)
