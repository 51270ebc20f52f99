"""The set-up and reset link pages, "forgot your password", and the administrator's
"Send a password reset link" button, through the views and the database."""

import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from attune.accounts import services
from attune.accounts.log_filters import RedactAccountLinkTokens
from attune.accounts.models import AccountLink, LinkPurpose, User, UserSession
from attune.accounts.tests.factories import PASSWORD, UserFactory
from attune.accounts.tests.helpers import SET_UP, actions, enter_password, is_signed_in
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Outcome
from attune.notifications.models import Message

ADMIN = Actor.system("test")
NEW = "a brand new long passphrase"
FORGOT = "/sign-in/forgot"
UNUSABLE = "This link has expired or has already been used"
SENT = "If that address has an account, we have sent a link to reset the password. It works for 60 minutes."
SignIn = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newcomer(db: None) -> User:
    """A new account with no password yet, as an administrator makes it."""
    return User.objects.create_user(email="sam@trust.example", full_name="Sam Newcomer")


def _choose(client: Client, path: str, new: str = NEW, confirm: str | None = None) -> object:
    return client.post(path, {"new_password": new, "confirm_password": new if confirm is None else confirm})


# Set up ---------------------------------------------------------------------------------------


def test_a_set_up_link_sets_a_password_then_leads_to_two_factor_enrolment(client: Client, newcomer: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=newcomer, purpose=LinkPurpose.SET_UP)
    page = client.get(f"/account/set-up/{token}")
    assert page.status_code == 200
    assert "Choose a password" in page.content.decode()

    response = client.post(f"/account/set-up/{token}", {"new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in"
    assert "next you will set up your authenticator app" in client.get("/sign-in").content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW)
    assert AccountLink.objects.get().used_at is not None

    signed = enter_password(client, newcomer.email, NEW)
    assert signed["Location"] == SET_UP
    assert "account.password_set_by_link" in actions(object_id=str(newcomer.pk))


def test_the_passwords_must_match_and_pass_the_validators(client: Client, newcomer: User) -> None:
    token = services.issue_account_link(actor=ADMIN, user=newcomer, purpose=LinkPurpose.SET_UP)
    mismatch = _choose(client, f"/account/set-up/{token}", confirm="a different long passphrase")
    assert mismatch.status_code == 200
    assert "The passwords do not match" in mismatch.content.decode()
    short = _choose(client, f"/account/set-up/{token}", new="short")
    assert "This password is too short" in short.content.decode() or "at least" in short.content.decode()
    empty = client.post(f"/account/set-up/{token}", {})
    assert "Enter a new password" in empty.content.decode()
    assert AccountLink.objects.get().used_at is None
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


# Reset ----------------------------------------------------------------------------------------


def test_a_reset_ends_every_other_session(client: Client, another_client: SignIn, person: User) -> None:
    elsewhere = another_client(person)
    assert is_signed_in(elsewhere)
    token = services.issue_account_link(actor=ADMIN, user=person, purpose=LinkPurpose.RESET)
    response = _choose(client, f"/account/reset/{token}")
    assert response["Location"] == "/sign-in"  # type: ignore[index]
    assert not is_signed_in(elsewhere)
    assert not UserSession.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="account.password_set_by_link")
    assert event.detail["sessions_ended"] == 1
    assert "signed out everywhere" in client.get("/sign-in").content.decode()


@pytest.mark.parametrize("purpose", [LinkPurpose.SET_UP, LinkPurpose.RESET])
@pytest.mark.parametrize("how", ["unknown", "used", "expired", "replaced"])
def test_an_unusable_link_gets_one_plain_page_audited_without_the_token(
    client: Client, person: User, purpose: LinkPurpose, how: str
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = services.issue_account_link(actor=ADMIN, user=person, purpose=purpose)
    if how == "unknown":
        token = "not-a-real-token-at-all-0123456789abcdef"
    elif how == "used":
        services.use_account_link(actor=ADMIN, token=token, purpose=purpose, new_password=NEW)
    elif how == "replaced":
        services.issue_account_link(actor=ADMIN, user=person, purpose=purpose)
    path = f"/account/{'set-up' if purpose == LinkPurpose.SET_UP else 'reset'}/{token}"
    later = start + (timedelta(days=8) if how == "expired" else timedelta(minutes=1))
    with time_machine.travel(later, tick=False):
        for response in (client.get(path), _choose(client, path, new="yet another passphrase here")):
            assert response.status_code == 410  # type: ignore[attr-defined]
            text = response.content.decode()  # type: ignore[attr-defined]
            assert UNUSABLE in text
            assert ("/sign-in/forgot" in text) == (purpose == LinkPurpose.RESET)
    person.refresh_from_db()
    assert not person.check_password("yet another passphrase here")
    refused = AuditEvent.objects.filter(action="auth.account_link_refused")
    assert refused.count() == 2
    assert all(event.outcome == Outcome.DENIED and token not in str(event.detail) for event in refused)


def test_the_token_never_reaches_a_log_line(client: Client, caplog: pytest.LogCaptureFixture, db: None) -> None:
    token = "Zt0k3n-secret-value_abcdefghijklmnopqrstuvwxyz0"
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "%s: %s", ("Gone", f"/account/reset/{token}"), None
    )
    assert RedactAccountLinkTokens().filter(record)
    assert record.getMessage() == "Gone: /account/reset/[token]"
    # And through the configured handler: what Django logs for the 410 is redacted.
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactAccountLinkTokens) for f in h.filters)
    )
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/account/set-up/{token}")
    assert caplog.records
    for logged in caplog.records:
        for flt in handler.filters:
            flt.filter(logged)  # type: ignore[union-attr]
        assert token not in logged.getMessage()


def test_a_signed_in_person_using_a_link_for_themselves_is_signed_out_cleanly(signed_in: SignIn, person: User) -> None:
    client = signed_in(person)
    token = services.issue_account_link(actor=ADMIN, user=person, purpose=LinkPurpose.RESET)
    response = _choose(client, f"/account/reset/{token}")
    assert response["Location"] == "/sign-in"  # type: ignore[index]
    assert not is_signed_in(client)
    assert client.get("/sign-in").status_code == 200


# Forgot your password --------------------------------------------------------------------------


def test_the_sign_in_page_links_to_forgot_your_password(client: Client, person: User) -> None:
    page = client.get("/sign-in").content.decode()
    assert 'href="/sign-in/forgot"' in page
    assert "Ask your system administrator to reset it" not in page


@pytest.mark.parametrize("email", ["Pip@Trust.example", "nobody@trust.example", "gone@trust.example"])
def test_forgot_answers_the_same_whoever_asks(client: Client, db: None, email: str) -> None:
    UserFactory(email="pip@trust.example")
    UserFactory(email="gone@trust.example", is_active=False)
    form = client.get(FORGOT).content.decode()
    assert "ask your system administrator" in form
    response = client.post(FORGOT, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/forgot/sent"
    assert SENT in client.get(response["Location"]).content.decode()


def test_forgot_queues_one_message_only_for_a_known_active_account(client: Client, db: None) -> None:
    pip = UserFactory(email="pip@trust.example")
    UserFactory(email="gone@trust.example", is_active=False)
    for email in ("nobody@trust.example", "gone@trust.example", " PIP@trust.example "):
        client.post(FORGOT, {"email": email})
    message = Message.objects.get()
    assert message.to == "pip@trust.example"
    assert message.subject == "Reset your Attune password"
    assert "60 minutes" in message.body
    link = AccountLink.objects.get()
    assert (link.user, link.purpose, link.created_by) == (pip, LinkPurpose.RESET, pip)
    matched = [
        (e.detail["account_matched"], e.detail["account_disabled"])
        for e in AuditEvent.objects.filter(action="auth.reset_requested").order_by("id")
    ]
    assert matched == [(False, False), (True, True), (True, False)]


def test_the_emailed_link_resets_the_password(client: Client, person: User) -> None:
    client.post(FORGOT, {"email": person.email})
    body = Message.objects.get().body
    path = next(word for word in body.split() if "/account/reset/" in word).split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    _choose(client, path)
    assert enter_password(client, person.email, NEW)["Location"] == "/sign-in/security-code"
    assert enter_password(Client(), person.email, PASSWORD).status_code == 200  # old one refused


def test_forgot_needs_an_email_address_and_keeps_what_was_typed(client: Client, db: None) -> None:
    assert "Enter your email address" in client.post(FORGOT, {"email": ""}).content.decode()
    bad = client.post(FORGOT, {"email": "not an address"}).content.decode()
    assert "Enter an email address in the correct format" in bad
    assert 'value="not an address"' in bad
    assert not Message.objects.exists()


@override_settings(PASSWORD_RESET_EMAIL_RATE="2/h", PASSWORD_RESET_ADDRESS_RATE="100/h")
def test_forgot_is_limited_per_email_address(client: Client, person: User) -> None:
    for _ in range(2):
        assert client.post(FORGOT, {"email": person.email}).status_code == 302
    refused = client.post(FORGOT, {"email": person.email.upper()})
    assert refused.status_code == 429
    assert "Wait 60 minutes, then try again" in refused.content.decode()
    assert Message.objects.count() == 2
    assert client.post(FORGOT, {"email": "someone.else@trust.example"}).status_code == 302
    assert actions(action="auth.reset_limited") == ["auth.reset_limited"]


@override_settings(PASSWORD_RESET_EMAIL_RATE="100/h", PASSWORD_RESET_ADDRESS_RATE="3/10m")
def test_forgot_is_limited_per_client_address(client: Client, db: None) -> None:
    for n in range(3):
        assert client.post(FORGOT, {"email": f"guess{n}@trust.example"}).status_code == 302
    refused = client.post(FORGOT, {"email": "guess9@trust.example"})
    assert refused.status_code == 429
    assert "Wait 10 minutes" in refused.content.decode()


# The administrator's button ---------------------------------------------------------------------


def test_an_administrator_sends_a_reset_link_from_a_persons_page(
    signed_in: SignIn, system_admin: User, practitioner: User
) -> None:
    client = signed_in(system_admin)
    page = client.get(f"/staff/{practitioner.pk}").content.decode()
    assert "Send a password reset link" in page
    response = client.post(f"/staff/{practitioner.pk}/send-reset-link", follow=True)
    assert f"A password reset link has been sent to {practitioner.email}." in response.content.decode()
    message = Message.objects.get()
    assert message.to == practitioner.email
    link = AccountLink.objects.get()
    assert (link.user, link.created_by, link.purpose) == (practitioner, system_admin, LinkPurpose.RESET)
    assert client.get(f"/staff/{practitioner.pk}/send-reset-link").status_code == 405


def test_only_an_administrator_of_their_organisation_can_send_one(
    signed_in: SignIn, another_client: SignIn, system_admin: User, team_lead: User, practitioner: User, outsider: User
) -> None:
    admin = signed_in(system_admin)
    assert admin.post(f"/staff/{outsider.pk}/send-reset-link").status_code == 404
    lead = another_client(team_lead)
    assert lead.post(f"/staff/{practitioner.pk}/send-reset-link").status_code == 403
    assert not Message.objects.exists()
