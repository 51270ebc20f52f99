"""Consent through the parent's link: a practitioner may ask for it when sending; after the date
of birth the parent sees their decisions (and their baby's, with parental responsibility) in
plain words and gives, refuses or withdraws each; what they change is stored through the
consent actions as given on their own phone, by the link; a link asking only consent is used
once answered."""

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.core.actors import QUESTIONNAIRE_LINK
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.families.codes import ParentalResponsibility
from attune.families.consent import current_consents, record_consent
from attune.families.consent_models import Consent, ConsentDecision, ConsentHow, ConsentPurpose
from attune.organisations.tests.world import World
from attune.outcomes import links
from attune.outcomes.models import QuestionnaireLink
from attune.outcomes.tests.factories_links import SITE, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))
    episode.infants.update(given_name="Zephyrine", family_name="Quillfeather")
    episode.carers.update(
        given_name="Oriabelle", family_name="Quillfeather", parental_responsibility=ParentalResponsibility.YES
    )
    return episode


def _send(episode: Episode, by: User, codes: tuple[str, ...] = ()) -> tuple[QuestionnaireLink, str]:
    link, url = links.send_link(
        actor=acting(by),
        episode=episode,
        carer=episode.carers.get(),
        instruments=list(codes),
        time_point="assessment" if codes else "",
        site_url=SITE,
        asks_consent=True,
    )
    return link, token_of(url)


def _confirm(client: Client, episode: Episode, token: str) -> str:
    born = episode.infants.get().date_of_birth
    assert born is not None
    response = client.post(
        f"/q/{token}",
        {"date_of_birth-day": born.day, "date_of_birth-month": born.month, "date_of_birth-year": born.year},
    )
    assert response.status_code == 302, text(response)
    return str(response["Location"])


def test_a_link_needs_a_questionnaire_or_consent(episode: Episode, practitioner: User) -> None:
    with pytest.raises(links.LinkRefused, match="Select at least one questionnaire, or ask them"):
        links.send_link(
            actor=acting(practitioner),
            episode=episode,
            carer=episode.carers.get(),
            instruments=[],
            time_point="",
            site_url=SITE,
        )
    link, _ = _send(episode, practitioner)
    assert (link.asks_consent, link.instruments, link.time_point) == (True, [], "")
    event = AuditEvent.objects.get(action="questionnaire_link.sent")
    assert event.detail["asks_consent"] is True


def test_the_practitioner_ticks_ask_consent_when_sending(signed_in: Any, practitioner: User, episode: Episode) -> None:
    client = signed_in(practitioner)
    page = client.get(f"/episodes/{episode.pk}/questionnaire-links/new")
    assert "Ask them to give or review their consent" in text(page)
    sent = client.post(
        f"/episodes/{episode.pk}/questionnaire-links/new",
        {"carer": str(episode.carers.get().pk), "asks_consent": "yes"},
    )
    assert sent.status_code == 302, text(sent)
    link = QuestionnaireLink.objects.get()
    assert (link.asks_consent, link.instruments) == (True, [])
    assert "also asked to give or review their consent and their baby's" in text(client.get(sent["Location"]))


def test_the_parent_gives_refuses_and_withdraws_on_their_phone(
    client: Client, episode: Episode, practitioner: User
) -> None:
    mum, baby = episode.carers.get(), episode.infants.get()
    record_consent(
        actor=acting(practitioner),
        family=episode.family,
        person=mum,
        purpose=ConsentPurpose.CONTACT_TEXT,
        decision=ConsentDecision.GIVEN,
        how=ConsentHow.SPOKEN,
    )
    link, token = _send(episode, practitioner)

    assert "check what you have agreed to" in text(client.get(f"/q/{token}"))
    # The consent page waits for the date of birth.
    assert client.get(f"/q/{token}/consent")["Location"] == f"/q/{token}"
    assert _confirm(client, episode, token) == f"/q/{token}/consent"

    page = client.get(f"/q/{token}/consent")
    words = text(page)
    assert "About you" in words
    assert "About your baby" in words
    assert "Can we send you text messages, such as appointment reminders?" in words
    assert "Can we video record your baby in sessions?" in words
    assert "Quillfeather" not in words  # named nowhere, as the questionnaire pages
    body = page.content.decode()
    # What is recorded shows as the answer already chosen.
    assert re.search(rf'name="{mum.pk}__contact_text"[^>]*value="yes"[^>]*checked', body) or re.search(
        rf'value="yes"[^>]*name="{mum.pk}__contact_text"[^>]*checked', body
    )

    done = client.post(
        f"/q/{token}/consent",
        {
            f"{mum.pk}__contact_text": "no",  # withdraws
            f"{mum.pk}__contact_email": "yes",  # gives
            f"{mum.pk}__research": "no",  # refuses
            f"{baby.pk}__video_recording": "yes",  # for the baby, with parental responsibility
        },
    )

    assert done["Location"] == "/q/thank-you"
    assert "Your choices have been saved" in text(client.get("/q/thank-you"))
    current = current_consents([mum, baby])
    text_consent = current[(str(mum.pk), ConsentPurpose.CONTACT_TEXT)]
    assert (text_consent.status, text_consent.withdrawn_how, text_consent.withdrawn_by) == (
        "Withdrawn",
        "own_phone",
        None,
    )
    email = current[(str(mum.pk), ConsentPurpose.CONTACT_EMAIL)]
    assert (email.status, email.how, email.recorded_by) == ("Given", "own_phone", None)
    assert current[(str(mum.pk), ConsentPurpose.RESEARCH)].status == "Refused"
    video = current[(str(baby.pk), ConsentPurpose.VIDEO_RECORDING)]
    assert (video.status, video.given_by) == ("Given", mum)
    assert Consent.objects.count() == 4  # nothing stored for questions left alone
    labels = set(
        AuditEvent.objects.filter(action__in=["consent.recorded", "consent.withdrawn"], actor__isnull=True).values_list(
            "actor_label", flat=True
        )
    )
    assert labels == {QUESTIONNAIRE_LINK}
    link.refresh_from_db()
    assert link.used_at is not None
    assert client.get(f"/q/{token}").status_code == 410


def test_a_parent_without_parental_responsibility_sees_only_their_own(
    client: Client, episode: Episode, practitioner: User
) -> None:
    episode.carers.update(parental_responsibility=ParentalResponsibility.NOT_KNOWN)
    baby = episode.infants.get()
    _, token = _send(episode, practitioner)
    _confirm(client, episode, token)
    words = text(client.get(f"/q/{token}/consent"))
    assert "About you" in words
    assert "About your baby" not in words
    client.post(f"/q/{token}/consent", {f"{baby.pk}__research": "yes"})
    assert not Consent.objects.filter(infant=baby).exists()


def test_consent_comes_before_the_questionnaires_on_the_same_link(
    client: Client, episode: Episode, practitioner: User
) -> None:
    mum = episode.carers.get()
    link, token = _send(episode, practitioner, codes=("PHQ9",))
    assert _confirm(client, episode, token) == f"/q/{token}/consent"
    # The questionnaires' check page waits for the consent page.
    assert client.get(f"/q/{token}/check")["Location"] == f"/q/{token}/consent"

    after = client.post(f"/q/{token}/consent", {f"{mum.pk}__assessment_treatment": "yes"})

    assert after["Location"] == f"/q/{token}/phq9"
    link.refresh_from_db()
    assert link.used_at is None  # used when the answers are sent
    assert current_consents([mum])[(str(mum.pk), ConsentPurpose.ASSESSMENT_TREATMENT)].is_given
    assert f'href="/q/{token}/consent"' in client.get(f"/q/{token}/phq9").content.decode()


def test_a_link_that_does_not_ask_consent_has_no_consent_page(
    client: Client, episode: Episode, practitioner: User
) -> None:
    link, url = links.send_link(
        actor=acting(practitioner),
        episode=episode,
        carer=episode.carers.get(),
        instruments=["PHQ9"],
        time_point="assessment",
        site_url=SITE,
    )
    token = token_of(url)
    assert _confirm(client, episode, token) == f"/q/{token}/phq9"
    assert client.get(f"/q/{token}/consent")["Location"] == f"/q/{token}/phq9"
    with pytest.raises(links.LinkRefused):
        links.record_parent_consent(link=link, answers={}, actor=None)


def test_a_used_link_stores_no_consent(episode: Episode, practitioner: User) -> None:
    link, _ = _send(episode, practitioner)
    links.finish(link=link, actor=None)
    mum = episode.carers.get()
    with pytest.raises(links.LinkError):
        links.record_parent_consent(link=link, answers={(str(mum.pk), "research"): "yes"}, actor=None)
    assert not Consent.objects.exists()
    assert AuditEvent.objects.filter(action="questionnaire_link.refused", detail__page="consent").exists()
