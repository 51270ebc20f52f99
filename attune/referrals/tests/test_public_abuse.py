"""The public forms are open to anyone, so they protect themselves: a hidden input that only
software fills in, limits per address on answers posted and referrals sent, and pages that need
no sign-in but are marked so one by one."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from attune.core.models import AuditEvent, Outcome
from attune.families.models import Family
from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.tests.test_public_flow import (
    PRO,
    SELF,
    fill_in,
    page_text,
    professional_answers,
    send,
    title,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


# The honeypot --------------------------------------------------------------------------------


def test_the_hidden_input_is_hidden_from_people(client: Client, world: World) -> None:
    html = client.get(f"{PRO}/postcode").content.decode()
    assert '<div class="nhsuk-u-visually-hidden" aria-hidden="true">' in html
    assert '<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">' in html
    assert "style=" not in html


def test_a_filled_in_hidden_input_looks_sent_but_nothing_is_kept(client: Client, world: World) -> None:
    answers = professional_answers()
    fill_in(client, PRO, answers)
    response = client.post(f"{PRO}/check", {"website": "https://cheap-pills.example"})
    assert response["Location"] == f"{PRO}/sent"
    page = client.get(f"{PRO}/sent")
    assert page.status_code == 200
    assert title(page).startswith("Referral sent")
    assert "Your reference number PIR-" in page_text(page)
    assert (Referral.objects.count(), Family.objects.count(), Message.objects.count()) == (0, 0, 0)
    event = AuditEvent.objects.get(action="referral.spam_refused")
    assert event.outcome == Outcome.DENIED
    assert event.ip_address == "127.0.0.1"
    assert event.detail == {"form": "professional", "page": "check"}
    assert not AuditEvent.objects.filter(action="referral.received").exists()
    # Whatever was typed is dropped too.
    assert "wizard:professional" not in client.session


def test_a_filled_in_hidden_input_on_any_page_stops_the_referral(client: Client, world: World) -> None:
    response = client.post(f"{SELF}/postcode", {"postcode": "FY1 1AA", "website": "x"})
    assert response["Location"] == f"{SELF}/sent"
    assert AuditEvent.objects.get(action="referral.spam_refused").detail == {"form": "self", "page": "postcode"}
    assert client.get(f"{SELF}/born")["Location"] == f"{SELF}/postcode"


# Rate limits ---------------------------------------------------------------------------------


def test_too_many_answers_from_one_address_are_refused(client: Client, world: World, settings: Any) -> None:
    settings.REFERRAL_STEP_RATE = "3/10m"
    for _ in range(3):
        assert client.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}).status_code == 302
    response = client.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"})
    assert response.status_code == 429
    assert title(response).startswith("Too many referrals from this address")
    html = response.content.decode()
    assert "<h1>Too many referrals from this address</h1>" in html
    assert "Traceback" not in html
    assert 'class="nhsuk-header' in html
    # Pages can still be read, and another address is not affected.
    assert client.get(f"{PRO}/postcode").status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}).status_code == 302


def test_the_default_limit_allows_a_whole_referral_and_then_some(client: Client, world: World) -> None:
    for _ in range(3):
        fill_in(client, PRO, professional_answers())
    assert client.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}).status_code == 302


def test_the_default_limits_let_a_busy_team_refer_but_stop_a_script() -> None:
    """A health visiting team may share one network address: the defaults allow about 30
    referrals an hour from it (a referral is about 18 pages), the tests above prove the limits
    bite with smaller values."""
    from attune.config.settings import base

    assert base.REFERRAL_STEP_RATE == "600/10m"
    assert base.REFERRAL_SUBMIT_RATE == "30/h"


def test_too_many_referrals_from_one_address_are_refused(client: Client, world: World, settings: Any) -> None:
    settings.REFERRAL_SUBMIT_RATE = "2/h"
    for _ in range(2):
        assert send(client, PRO, professional_answers())["Location"] == f"{PRO}/sent"
    response = send(client, PRO, professional_answers())
    assert response.status_code == 429
    assert "Too many referrals from this address" in page_text(response)
    assert Referral.objects.count() == 2


def test_the_submit_limit_counts_self_referrals_too(client: Client, world: World, settings: Any) -> None:
    settings.REFERRAL_SUBMIT_RATE = "3/h"
    for _ in range(3):
        assert send(client, SELF, {**professional_answers(), **_self()})["Location"] == f"{SELF}/sent"
    assert send(client, SELF, {**professional_answers(), **_self()}).status_code == 429
    assert Referral.objects.count() == 3


def _self() -> dict[str, Any]:
    from attune.referrals.tests.test_public_flow import self_answers

    return self_answers()


def test_addresses_behind_a_proxy_are_told_apart(world: World, settings: Any) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.REFERRAL_STEP_RATE = "1/10m"
    first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert first.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}).status_code == 302
    assert second.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}).status_code == 302
    assert first.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}).status_code == 429


# No sign-in needed ---------------------------------------------------------------------------


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        else:
            yield namespace, entry


def _public_patterns() -> list[URLPattern]:
    return [pattern for namespace, pattern in _patterns(get_resolver()) if namespace == "refer"]


def test_every_public_page_is_marked_as_needing_no_sign_in() -> None:
    patterns = _public_patterns()
    assert len(patterns) > 40
    for pattern in patterns:
        assert getattr(pattern.callback, "login_required", True) is False, pattern


def test_a_signed_in_member_of_staff_can_use_the_forms_too(world: World, practitioner: Any, signed_in: Any) -> None:
    client = signed_in(practitioner)
    assert client.get("/refer").status_code == 200
    assert send(client, PRO, professional_answers())["Location"] == f"{PRO}/sent"
    assert Referral.objects.count() == 1


def test_every_public_page_answers_strangers_with_the_security_headers(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers())  # so the pages answer rather than redirect
    urls = sorted(("/" + str(pattern.pattern) for pattern in _public_patterns()), key=lambda url: url.count("/") < 3)
    shown = 0
    for url in urls:  # starting a form again (which clears the answers) comes last
        response = client.get(url)
        assert response.status_code in (200, 302), url
        shown += response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert response["X-Frame-Options"] == "DENY", url
    # The start page, the 14 pages of the professional form that apply and its check page, and
    # the first page of the self-referral form.
    assert shown == 17


@pytest.mark.parametrize(
    ("rate", "words"),
    [("3/10m", "Try again in 10 minutes."), ("3/h", "Try again in an hour."), ("3/2h", "Try again in 2 hours.")],
)
def test_the_too_many_page_says_how_long_to_wait_from_the_limit_reached(
    rate: str, words: str, client: Client, world: World, settings: Any
) -> None:
    settings.REFERRAL_STEP_RATE = rate
    for _ in range(3):
        client.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"})
    text = page_text(client.post(f"{PRO}/postcode", {"postcode": "BB1 7DJ"}))
    assert words in text
    assert "Your answers so far are kept for an hour after you last used the form." in text


def test_the_too_many_page_after_sending_says_the_sending_limits_wait(
    client: Client, world: World, settings: Any
) -> None:
    settings.REFERRAL_SUBMIT_RATE = "1/30m"
    assert send(client, PRO, professional_answers())["Location"] == f"{PRO}/sent"
    text = page_text(send(client, PRO, professional_answers()))
    assert "Try again in 30 minutes." in text
