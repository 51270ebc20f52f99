"""The parent's pages, through the test client: the date of birth first, one questionnaire a
page with answers kept, check and send, thanks with help when an alert fired; every link that
cannot be used gets a kind page that names nobody; rate limits; the token kept out of the logs."""

import datetime as dt
import logging
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes import links
from attune.outcomes.log_filters import RedactLinkTokens, redact
from attune.outcomes.models import Administration, LicensedWording, QuestionnaireLink
from attune.outcomes.tests.factories_links import send, staff_request


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
    # Names no page could hold by chance (a made-up surname such as "Day" or "Hope" would).
    episode.infants.update(given_name="Zephyrine", family_name="Quillfeather")
    episode.carers.update(given_name="Oriabelle", family_name="Quillfeather")
    return episode


def dob(day: dt.date) -> dict[str, str]:
    return {
        "date_of_birth-day": str(day.day),
        "date_of_birth-month": str(day.month),
        "date_of_birth-year": str(day.year),
    }


def all_answers(code_items: int, position: int = 1, **items: int) -> dict[str, str]:
    return {f"item_{n}": str(items.get(f"item_{n}", position)) for n in range(1, code_items + 1)}


def names_of(episode: Episode) -> list[str]:
    baby = episode.infants.get()
    mum = episode.carers.get()
    return [baby.given_name, baby.family_name, mum.given_name, mum.family_name, episode.team.name]


def confirmed(client: Client, episode: Episode, token: str) -> None:
    response = client.post(f"/q/{token}", dob(episode.infants.get().date_of_birth))
    assert response.status_code == 302, text(response)


def test_a_parent_answers_two_questionnaires_and_sends_them(
    client: Client, episode: Episode, practitioner: User
) -> None:
    link, token = send(episode, practitioner, codes=["PHQ9", "GAD7"])

    start = client.get(f"/q/{token}")
    assert start.status_code == 200
    page = text(start)
    assert "What is your baby's date of birth?" in page
    assert "2 questionnaires" in page
    for name in names_of(episode):
        assert name not in page
    # The questionnaires wait for the date of birth.
    assert client.get(f"/q/{token}/phq9")["Location"] == f"/q/{token}"

    response = client.post(f"/q/{token}", dob(episode.infants.get().date_of_birth))
    assert response["Location"] == f"/q/{token}/phq9"

    page = text(client.get(f"/q/{token}/phq9"))
    assert "Questionnaire 1 of 2" in page
    assert "1. Little interest or pleasure in doing things" in page
    assert "More than half the days" in page

    # A missing answer is named, and the others are kept.
    partial = all_answers(9, 2)
    del partial["item_4"]
    response = client.post(f"/q/{token}/phq9", partial)
    page = text(response)
    assert "There is a problem" in page
    assert "Answer question 4" in page
    assert len(re.findall(r'value="2"\s+checked', response.content.decode())) == 8

    assert client.post(f"/q/{token}/phq9", all_answers(9, 2))["Location"] == f"/q/{token}/gad7"
    back = client.get(f"/q/{token}/gad7")
    assert f'href="/q/{token}/phq9"' in back.content.decode()
    # Going back shows the answers given.
    assert len(re.findall(r'value="2"\s+checked', client.get(f"/q/{token}/phq9").content.decode())) == 9
    assert client.post(f"/q/{token}/gad7", all_answers(7, 1))["Location"] == f"/q/{token}/check"

    check = client.get(f"/q/{token}/check")
    page = text(check)
    assert "Check your answers before sending them" in page
    assert "Patient Health Questionnaire" in page
    assert "More than half the days" in page
    assert "Several days" in page
    assert not Administration.objects.exists()  # nothing stored until sent

    # Changing from the check page comes back to it.
    assert client.post(f"/q/{token}/gad7?from=check", all_answers(7, 0))["Location"] == f"/q/{token}/check"

    sent = client.post(f"/q/{token}/check", follow=True)
    assert sent.redirect_chain == [("/q/thank-you", 302)]
    page = text(sent)
    assert "Thank you" in page
    assert "Your answers have been sent" in page
    assert "18" not in page  # no score
    stored = {a.instrument: float(a.total or 0) for a in Administration.objects.all()}
    assert stored == {"PHQ9": 18.0, "GAD7": 0.0}
    link.refresh_from_db()
    assert link.used_at is not None

    again = client.get(f"/q/{token}")
    assert again.status_code == 410
    assert "This link has already been used" in text(again)
    assert client.post(f"/q/{token}/check").status_code == 410
    assert Administration.objects.count() == 2

    audited = str(list(AuditEvent.objects.values_list("detail", "object_id", "object_type")))
    assert token not in audited


def test_an_alert_brings_help_now_with_no_clinical_detail(client: Client, episode: Episode, practitioner: User) -> None:
    _, token = send(episode, practitioner, codes=["PHQ9"])
    confirmed(client, episode, token)
    client.post(f"/q/{token}/phq9", all_answers(9, 0, item_9=2))

    page = text(client.post(f"/q/{token}/check", follow=True))

    assert FamilyAlert.objects.filter(family=episode.family).exists()
    assert "If you need help now" in page
    assert "116 123" in page
    assert "111" in page
    assert "999" in page
    assert "item 9" not in page.lower()
    assert "risk" not in page.lower()


def test_without_an_alert_the_thanks_is_plain(client: Client, episode: Episode, practitioner: User) -> None:
    _, token = send(episode, practitioner, codes=["GAD7"])
    confirmed(client, episode, token)
    client.post(f"/q/{token}/gad7", all_answers(7, 0))
    page = text(client.post(f"/q/{token}/check", follow=True))
    assert "talk with you about them at your next session" in page
    assert "Thank you for being honest" not in page


def test_a_wrong_date_of_birth_is_refused_and_counted(client: Client, episode: Episode, practitioner: User) -> None:
    link, token = send(episode, practitioner)

    response = client.post(f"/q/{token}", dob(dt.date(2025, 1, 2)))

    page = text(response)
    assert "The date of birth does not match. Check it and try again" in page
    assert 'value="2025"' in response.content.decode()
    link.refresh_from_db()
    assert link.failed_checks == 1
    assert AuditEvent.objects.filter(action="questionnaire_link.check_failed").count() == 1
    assert "Enter your baby's date of birth" in text(client.post(f"/q/{token}", {}))
    assert "must be a real date" in text(
        client.post(f"/q/{token}", dob(dt.date(2025, 1, 2)) | {"date_of_birth-month": "13"})
    )


def test_the_fifth_wrong_date_of_birth_closes_the_link(client: Client, episode: Episode, practitioner: User) -> None:
    _, token = send(episode, practitioner)
    for _ in range(4):
        assert client.post(f"/q/{token}", dob(dt.date(2025, 1, 2))).status_code == 200
    response = client.post(f"/q/{token}", dob(dt.date(2025, 1, 2)))
    assert response.status_code == 410
    assert "This link no longer works" in text(response)
    right = client.post(f"/q/{token}", dob(episode.infants.get().date_of_birth))
    assert "This link no longer works" in text(right)


def _refusal(client: Client, token: str) -> tuple[int, str]:
    response = client.get(f"/q/{token}")
    return response.status_code, text(response)


def test_every_link_that_cannot_be_used_gets_a_kind_page_naming_nobody(
    client: Client, episode: Episode, practitioner: User
) -> None:
    used, used_token = send(episode, practitioner, codes=["GAD7"])
    links.submit(link=used, answers_by_instrument={"GAD7": [0] * 7}, actor=None)
    revoked, revoked_token = send(episode, practitioner)
    links.revoke_link(actor=staff_request(practitioner), link=revoked)
    expired, expired_token = send(episode, practitioner)
    QuestionnaireLink.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - dt.timedelta(days=9), expires_at=timezone.now() - dt.timedelta(days=2)
    )

    pages = {
        "used": _refusal(client, used_token),
        "revoked": _refusal(client, revoked_token),
        "expired": _refusal(client, expired_token),
        "unknown": _refusal(client, "not-a-real-token"),
        "tampered": _refusal(client, revoked_token[:-2] + "xx"),
    }

    assert pages["used"][0] == 410
    assert "This link has already been used" in pages["used"][1]
    assert "This link has expired" in pages["expired"][1]
    assert "Ask your therapist for a new one" in pages["expired"][1]
    assert "This link no longer works" in pages["revoked"][1]
    assert pages["unknown"][0] == pages["tampered"][0] == 404
    assert "This link does not work" in pages["tampered"][1]
    for _status, page in pages.values():
        for name in names_of(episode):
            assert name not in page
        assert "Samaritans" in page
    reasons = list(
        AuditEvent.objects.filter(action="questionnaire_link.refused").values_list("detail__reason", flat=True)
    )
    assert sorted(reasons) == ["expired", "revoked", "unknown", "unknown", "used"]


def test_a_link_to_a_measure_without_its_wording_shows_a_plain_page_not_placeholder_questions(
    client: Client, episode: Episode, practitioner: User
) -> None:
    # A link sent before the rule (today an EPDS without its wording cannot be sent).
    link, token = send(episode, practitioner, codes=["PHQ9"])
    QuestionnaireLink.objects.filter(pk=link.pk).update(instruments=["EPDS", "PHQ9"])
    for path in (f"/q/{token}", f"/q/{token}/epds", f"/q/{token}/check"):
        response = client.get(path)
        page = text(response)
        assert response.status_code == 200, path
        assert "This questionnaire cannot be answered online yet" in page
        assert "Your therapist will give you a printed copy" in page
        assert "Question 1" not in page
        assert "Response 1" not in page
        assert "date of birth" not in page.lower()
    assert client.post(f"/q/{token}", dob(episode.infants.get().date_of_birth)).status_code == 200
    assert not Administration.objects.exists()
    assert AuditEvent.objects.filter(
        action="questionnaire_link.refused", detail__reason="wording_not_loaded", object_id=str(link.pk)
    ).exists()


def test_a_question_left_unanswered_is_named_by_its_wording(
    client: Client, episode: Episode, practitioner: User
) -> None:
    _, token = send(episode, practitioner, codes=["PHQ9"])
    confirmed(client, episode, token)
    answers = all_answers(9, 1)
    del answers["item_3"]
    page = text(client.post(f"/q/{token}/phq9", answers))
    assert "Answer question 3: Trouble falling or staying asleep, or sleeping too much" in page


def test_epds_with_the_services_licensed_wording_shows_it(client: Client, episode: Episode, practitioner: User) -> None:
    LicensedWording.objects.create(
        instrument="EPDS",
        items={str(n): f"Licensed item {n} wording" for n in range(1, 11)},
        options={"1": ["A lot", "Some", "A little", "None"]},
        licence_note="Held by the trust",
        loaded_by="test",
    )
    _, token = send(episode, practitioner, codes=["EPDS"])
    confirmed(client, episode, token)
    page = text(client.get(f"/q/{token}/epds"))
    assert "1. Licensed item 1 wording" in page
    assert "A little" in page
    assert "Use the printed copy" not in page


def test_answers_left_for_an_hour_are_forgotten(
    client: Client, episode: Episode, practitioner: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    _, token = send(episode, practitioner, codes=["PHQ9", "GAD7"])
    confirmed(client, episode, token)
    client.post(f"/q/{token}/phq9", all_answers(9, 1))
    time_machine.shift(dt.timedelta(minutes=61))
    assert client.get(f"/q/{token}/gad7")["Location"] == f"/q/{token}"
    assert "we cleared them" in text(client.get(f"/q/{token}"))


def test_dates_of_birth_posted_are_rate_limited_per_address(
    client: Client, episode: Episode, practitioner: User, settings: Any
) -> None:
    settings.QUESTIONNAIRE_LINK_CHECK_RATE = "2/h"
    _, token = send(episode, practitioner)
    assert client.post(f"/q/{token}", dob(dt.date(2025, 1, 2))).status_code == 200
    assert client.post(f"/q/{token}", dob(dt.date(2025, 1, 2))).status_code == 200
    response = client.post(f"/q/{token}", dob(episode.infants.get().date_of_birth))
    assert response.status_code == 429
    assert "Please wait and try again" in text(response)


def test_every_page_is_rate_limited_per_address(client: Client, settings: Any, db: None) -> None:
    settings.QUESTIONNAIRE_LINK_RATE = "3/h"
    for _ in range(3):
        assert client.get("/q/unknown-token").status_code == 404
    assert client.get("/q/unknown-token").status_code == 429


def test_the_token_never_reaches_a_log_line(caplog: pytest.LogCaptureFixture, client: Client, db: None) -> None:
    token = "Zt0k3n-secret-value_abcdefghijklmnopqrstuvwxyz0"
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "%s: %s", ("Gone", f"/q/{token}/phq9"), None)
    assert RedactLinkTokens().filter(record)
    assert token not in record.getMessage()
    assert record.getMessage() == "Gone: /q/[token]/phq9"
    assert redact(f"GET /q/{token} HTTP/1.1") == "GET /q/[token] HTTP/1.1"
    assert redact("/q/thank-you") == "/q/thank-you"
