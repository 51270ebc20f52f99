"""Passwords (S5): changed only with the current one, at least 12 characters, not a common one,
and hashed with argon2 in production. Changing it ends every other session."""

import html
from collections.abc import Callable

import pytest
from django.conf import LazySettings
from django.contrib.sessions.models import Session
from django.test import Client

from attune.accounts.models import User, UserSession
from attune.accounts.tests.factories import PASSWORD, UserFactory
from attune.config.settings import base
from attune.core.models import AuditEvent, Outcome

CHANGE = "/account/change-password"
NEW_PASSWORD = "plum orchard lantern ferry"

SignIn = Callable[[User], Client]


def _change(client: Client, current: str, new: str) -> str:
    response = client.post(CHANGE, {"current_password": current, "new_password": new})
    return html.unescape(response.content.decode()) if response.status_code == 200 else ""


@pytest.fixture
def own_client(signed_in: SignIn, practitioner: User) -> Client:
    return signed_in(practitioner)


def test_change_password_page_asks_for_both_passwords(own_client: Client) -> None:
    page = own_client.get(CHANGE).content.decode()
    assert "Current password" in page
    assert "New password" in page


def test_wrong_current_password_is_refused(own_client: Client, practitioner: User) -> None:
    page = _change(own_client, "not my password at all", NEW_PASSWORD)
    assert "Your current password is not correct" in page
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="auth.reauthentication_failed")
    assert event.outcome == Outcome.FAILURE
    assert event.actor == practitioner


def test_new_password_under_twelve_characters_is_refused(own_client: Client, practitioner: User) -> None:
    page = _change(own_client, PASSWORD, "short pass1")
    assert "This password is too short. It must contain at least 12 characters." in page
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)


def test_twelve_characters_is_long_enough(own_client: Client, practitioner: User) -> None:
    response = own_client.post(CHANGE, {"current_password": PASSWORD, "new_password": "kq7 vz2 wm9x"})
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.check_password("kq7 vz2 wm9x")


def test_a_common_password_is_refused(own_client: Client, practitioner: User) -> None:
    page = _change(own_client, PASSWORD, "password1234")
    assert "This password is too common." in page
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)


def test_a_password_like_the_persons_email_is_refused(own_client: Client, practitioner: User) -> None:
    page = _change(own_client, PASSWORD, practitioner.email)
    assert "The password is too similar to the email" in page


def test_a_long_passphrase_is_welcome_but_not_a_huge_one(own_client: Client, practitioner: User) -> None:
    assert "Password must be 256 characters or fewer" in _change(own_client, PASSWORD, "x" * 257)
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)
    response = own_client.post(CHANGE, {"current_password": PASSWORD, "new_password": "a long passphrase " * 14})
    assert response.status_code == 302


def test_passwords_typed_are_never_shown_again(own_client: Client) -> None:
    page = _change(own_client, "my-current-secret-guess", "password1234")
    assert "my-current-secret-guess" not in page
    assert "password1234" not in page


def test_empty_form_says_what_is_missing(own_client: Client) -> None:
    page = _change(own_client, "", "")
    assert "Enter your current password" in page
    assert "Enter a new password" in page
    assert "There is a problem" in page


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    own_client: Client, another_client: SignIn, practitioner: User
) -> None:
    laptop = another_client(practitioner)
    laptop_key = laptop.cookies["sessionid"].value

    response = own_client.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account"

    account = own_client.get("/account")
    assert account.status_code == 200
    assert "Your password has been changed. You were signed out of 1 other session." in html.unescape(
        account.content.decode()
    )
    assert laptop.get("/").status_code == 302
    assert not Session.objects.filter(session_key=laptop_key).exists()

    remaining = UserSession.objects.get(user=practitioner)
    assert remaining.session_key == own_client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=remaining.session_key).exists()

    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.get(action="account.password_changed").detail == {"other_sessions_ended": 1}


def test_changing_the_password_leaves_other_people_signed_in(
    own_client: Client, another_client: SignIn, team_lead: User
) -> None:
    lead = another_client(team_lead)
    own_client.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert lead.get("/").status_code == 200


def test_the_new_password_signs_in_and_the_old_one_does_not(own_client: Client, practitioner: User) -> None:
    own_client.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    old = Client().post("/sign-in", {"email": practitioner.email, "password": PASSWORD})
    assert old.status_code == 200
    new = Client().post("/sign-in", {"email": practitioner.email, "password": NEW_PASSWORD})
    assert new.status_code == 302


def test_production_hasher_is_argon2(settings: LazySettings, db: None) -> None:
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = UserFactory()
    user.set_password(NEW_PASSWORD)
    user.save()
    assert user.password.startswith("argon2")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(settings: LazySettings, db: None) -> None:
    settings.PASSWORD_HASHERS = list(reversed(base.PASSWORD_HASHERS))
    user = UserFactory()
    assert user.password.startswith("pbkdf2_sha256")
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2")
