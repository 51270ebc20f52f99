"""Signing in: the password step, then the authenticator app. Nobody is signed in until both
factors pass (S3); the session key is new once they do (ASVS v5.0.0-7.2.4)."""

import re
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.accounts.tests.factories import PASSWORD
from attune.accounts.tests.helpers import (
    SECURITY_CODE,
    SIGN_IN,
    code_for,
    enter_code,
    enter_password,
    is_signed_in,
)
from attune.core.models import AuditEvent, Outcome


def test_right_password_leads_to_the_security_code_step(client: Client, person: User) -> None:
    response = enter_password(client, person.email)
    assert response.status_code == 302
    assert response["Location"] == SECURITY_CODE
    page = client.get(SECURITY_CODE)
    assert page.status_code == 200
    assert "Security code" in page.content.decode()


def test_the_password_alone_does_not_sign_anyone_in(client: Client, person: User) -> None:
    enter_password(client, person.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/"
    assert "_auth_user_id" not in client.session


def test_right_code_signs_in_and_lands_on_home(client: Client, person: User) -> None:
    enter_password(client, person.email)
    response = enter_code(client, code_for(person.totpdevice_set.get()))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client)
    event = AuditEvent.objects.get(action="auth.signed_in")
    assert event.actor == person
    assert event.detail == {"second_factor": "authenticator_app"}


def test_email_is_matched_whatever_its_case_and_spacing(client: Client, person: User) -> None:
    response = enter_password(client, f"  {person.email.upper()} ")
    assert response.status_code == 302
    assert response["Location"] == SECURITY_CODE


def test_right_code_lands_on_the_safe_next_page(client: Client, person: User) -> None:
    enter_password(client, person.email, next_url="/account")
    response = enter_code(client, code_for(person.totpdevice_set.get()))
    assert response.status_code == 302
    assert response["Location"] == "/account"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "https:/evil.example/"])
def test_an_external_next_is_ignored(client: Client, person: User, next_url: str) -> None:
    enter_password(client, person.email, next_url=next_url)
    response = enter_code(client, code_for(person.totpdevice_set.get()))
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_session_key_changes_at_each_step_of_sign_in(client: Client, person: User) -> None:
    # An attacker plants a session key in the victim's browser before sign-in (session fixation).
    planted = client.session
    planted["planted"] = True
    planted.save()
    planted_key = planted.session_key
    client.cookies["sessionid"] = planted_key

    enter_password(client, person.email)
    after_password = client.cookies["sessionid"].value
    enter_code(client, code_for(person.totpdevice_set.get()))
    after_code = client.cookies["sessionid"].value

    assert is_signed_in(client)
    assert len({planted_key, after_password, after_code}) == 3
    assert not Session.objects.filter(session_key=planted_key).exists()
    assert not Session.objects.filter(session_key=after_password).exists()
    assert person.sessions.get().session_key == after_code


def test_wrong_password_keeps_the_email_typed_and_never_echoes_the_password(client: Client, person: User) -> None:
    response = enter_password(client, person.email, password="not-my-password-xyz")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a correct email address and password" in page
    assert f'value="{person.email}"' in page
    assert "not-my-password-xyz" not in page
    assert "<title>Error: Sign in" in page
    assert not is_signed_in(client)


def test_wrong_password_is_audited_as_a_failure(client: Client, person: User) -> None:
    enter_password(client, person.email, password="not-my-password-xyz")
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.outcome == Outcome.FAILURE
    assert event.actor == person
    assert event.actor_label == person.email
    assert event.ip_address == "127.0.0.1"
    assert "not-my-password-xyz" not in str(event.detail)


def test_unknown_email_gets_the_same_message_and_is_audited(client: Client, db: None) -> None:
    response = enter_password(client, "nobody@trust.example")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.actor is None
    assert event.actor_label == "nobody@trust.example"


def test_empty_form_shows_each_error_and_a_summary(client: Client, db: None) -> None:
    response = client.post(SIGN_IN, {"email": "", "password": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert "nhsuk-error-summary" in page
    assert "There is a problem" in page
    assert 'href="#id_email"' in page  # the summary links to the field


def test_inactive_account_with_the_right_password_is_refused_generically(client: Client, person: User) -> None:
    person.is_active = False
    person.save()
    response = enter_password(client, person.email)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert client.get(SECURITY_CODE)["Location"] == SIGN_IN


def test_security_code_step_without_a_password_goes_back_to_sign_in(client: Client, db: None) -> None:
    response = client.get(SECURITY_CODE)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN


def test_password_step_expires_after_ten_minutes(
    client: Client, person: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2025-03-03T09:00:00+00:00", tick=False)
    enter_password(client, person.email)
    time_machine.shift(10 * 60 + 1)
    response = enter_code(client, code_for(person.totpdevice_set.get()))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert not is_signed_in(client)


def test_a_person_already_signed_in_is_sent_home_from_sign_in(
    signed_in: Callable[[User], Client], practitioner: User
) -> None:
    client = signed_in(practitioner)
    response = client.get(SIGN_IN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_works_with_csrf_checks_enforced(person: User) -> None:
    """What a real browser does: the token from the form goes back with the post."""
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(SIGN_IN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    response = browser.post(
        SIGN_IN, {"email": person.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    assert response["Location"] == SECURITY_CODE


def test_an_account_disabled_during_sign_in_cannot_finish_it(client: Client, person: User) -> None:
    enter_password(client, person.email)
    person.is_active = False
    person.save()
    response = enter_code(client, code_for(person.totpdevice_set.get()))
    assert response["Location"] == SIGN_IN
    assert not is_signed_in(client)
