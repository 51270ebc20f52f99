"""The second factor: security codes, recovery codes, setting up an authenticator app, and the
demo-mode waiver that applies to demo accounts only (S3)."""

import base64
import html
import re
from collections.abc import Callable

import pytest
from django.conf import LazySettings
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from attune.accounts import services
from attune.accounts.models import User
from attune.accounts.tests.factories import PASSWORD, UserFactory
from attune.accounts.tests.helpers import (
    RECOVERY_CODES,
    SECURITY_CODE,
    SET_UP,
    SIGN_IN,
    code_for,
    enter_code,
    enter_password,
    is_signed_in,
    wrong_code_for,
)
from attune.accounts.views import SHOW_RECOVERY_CODES
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.actors import acting

START = "2025-03-03T09:00:00+00:00"


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def recovery_codes(person: User, rf: RequestFactory) -> list[str]:
    return services.regenerate_recovery_codes(actor=acting(person), user=person)


# Security codes ----------------------------------------------------------------------------


def test_wrong_security_code_shows_an_error_and_does_not_sign_in(client: Client, person: User) -> None:
    enter_password(client, person.email)
    response = enter_code(client, wrong_code_for(person.totpdevice_set.get()))
    assert response.status_code == 200
    page = _text(response)
    assert "The security code is not correct" in page
    assert "nhsuk-error-summary" in page
    assert not is_signed_in(client)


def test_wrong_security_code_is_audited(client: Client, person: User) -> None:
    enter_password(client, person.email)
    enter_code(client, wrong_code_for(person.totpdevice_set.get()))
    event = AuditEvent.objects.get(action="auth.security_code_failed")
    assert event.actor == person
    assert event.outcome == Outcome.FAILURE


def test_empty_security_code_asks_for_one(client: Client, person: User) -> None:
    enter_password(client, person.email)
    response = enter_code(client, "")
    assert "Enter the security code from your authenticator app" in _text(response)


def test_right_code_after_a_wrong_one_signs_in(client: Client, person: User, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(START, tick=False)
    device = person.totpdevice_set.get()
    enter_password(client, person.email)
    enter_code(client, wrong_code_for(device))
    time_machine.shift(2)  # django-otp makes the next try wait a second after a failure
    response = enter_code(client, code_for(device))
    assert response["Location"] == "/"
    assert is_signed_in(client)


def test_a_code_cannot_be_used_twice(client: Client, person: User, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(START, tick=False)
    device = person.totpdevice_set.get()
    code = code_for(device)
    enter_password(client, person.email)
    enter_code(client, code)
    client.post("/sign-out")
    enter_password(client, person.email)
    response = enter_code(client, code)
    assert response.status_code == 200
    assert "The security code is not correct" in _text(response)


def test_code_typed_with_spaces_is_accepted(client: Client, person: User) -> None:
    code = code_for(person.totpdevice_set.get())
    enter_password(client, person.email)
    response = enter_code(client, f" {code[:3]} {code[3:]} ")
    assert response["Location"] == "/"


# Recovery codes ----------------------------------------------------------------------------


def test_recovery_code_signs_in_once(client: Client, person: User, recovery_codes: list[str]) -> None:
    code = recovery_codes[0]
    enter_password(client, person.email)
    response = enter_code(client, f"{code[:5]}-{code[5:]}")  # as printed on the recovery codes page
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "You signed in with a recovery code. You have 9 left." in _text(home)
    assert AuditEvent.objects.get(action="auth.signed_in").detail == {"second_factor": "recovery_code"}
    assert services.remaining_recovery_codes(person) == 9


def test_recovery_code_cannot_be_used_twice(
    client: Client, person: User, recovery_codes: list[str], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    code = recovery_codes[0]
    enter_password(client, person.email)
    enter_code(client, code)
    client.post("/sign-out")
    time_machine.shift(60)
    enter_password(client, person.email)
    response = enter_code(client, code)
    assert response.status_code == 200
    assert "The security code is not correct" in _text(response)
    assert not is_signed_in(client)
    assert AuditEvent.objects.filter(action="auth.security_code_failed").count() == 1


def test_another_persons_recovery_code_does_not_work(
    client: Client, person: User, recovery_codes: list[str], rf: RequestFactory
) -> None:
    other = UserFactory()
    other_codes = services.regenerate_recovery_codes(actor=acting(other), user=other)
    enter_password(client, person.email)
    response = enter_code(client, other_codes[0])
    assert response.status_code == 200
    assert not is_signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(person: User, recovery_codes: list[str], rf: RequestFactory) -> None:
    fresh = services.regenerate_recovery_codes(actor=acting(person), user=person)
    assert len(fresh) == len(set(fresh)) == 10
    assert not StaticToken.objects.filter(device__user=person, token__in=recovery_codes).exists()


# Setting up an authenticator app -----------------------------------------------------------


@pytest.fixture
def newcomer(db: None) -> User:
    """Has a password but has never set up an authenticator app."""
    return UserFactory(full_name="Nia Newcomer")


def test_without_a_confirmed_app_the_password_leads_to_set_up(client: Client, newcomer: User) -> None:
    response = enter_password(client, newcomer.email)
    assert response["Location"] == SET_UP
    assert client.get(SECURITY_CODE)["Location"] == SET_UP
    assert not is_signed_in(client)


def test_set_up_page_shows_a_qr_code_and_the_key(client: Client, newcomer: User) -> None:
    enter_password(client, newcomer.email)
    response = client.get(SET_UP)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'class="app-secret-key">(.*?)</strong>', page)
    assert shown is not None
    assert re.sub(r"<[^>]+>", "", shown.group(1)) == " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def test_set_up_page_keeps_the_same_key_on_reload(client: Client, newcomer: User) -> None:
    enter_password(client, newcomer.email)
    client.get(SET_UP)
    client.get(SET_UP)
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_right_code_at_set_up_confirms_the_app_and_signs_in(client: Client, newcomer: User) -> None:
    enter_password(client, newcomer.email)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post(SET_UP, {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == RECOVERY_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert services.remaining_recovery_codes(newcomer) == 10
    assert is_signed_in(client)
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"auth.two_factor_enrolled", "auth.signed_in"}


def _set_up(client: Client, person: User, next_url: str | None = None) -> None:
    enter_password(client, person.email, next_url=next_url)
    client.get(SET_UP)
    client.post(SET_UP, {"code": code_for(TOTPDevice.objects.get(user=person))})


def test_recovery_codes_page_after_set_up_shows_the_ten_codes(client: Client, newcomer: User) -> None:
    _set_up(client, newcomer)
    response = client.get(RECOVERY_CODES)
    assert response.status_code == 200
    shown = re.findall(r"<li>([a-z0-9]{5})-([a-z0-9]{5})</li>", response.content.decode())
    stored = set(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert len(shown) == 10
    assert {a + b for a, b in shown} == stored


def test_recovery_codes_are_shown_only_once(client: Client, newcomer: User) -> None:
    _set_up(client, newcomer, next_url="/account")
    assert client.get(RECOVERY_CODES).status_code == 200
    assert SHOW_RECOVERY_CODES not in client.session  # not kept on the server once shown
    second = client.get(RECOVERY_CODES)
    assert second.status_code == 302
    assert second["Location"] == "/account"  # onward to where they were going


def test_saying_the_codes_are_saved_goes_on_to_the_next_page(client: Client, newcomer: User) -> None:
    _set_up(client, newcomer, next_url="/account")
    client.get(RECOVERY_CODES)
    response = client.post(RECOVERY_CODES)
    assert response.status_code == 302
    assert response["Location"] == "/account"
    assert client.get(RECOVERY_CODES)["Location"] == "/"


def test_wrong_code_at_set_up_leaves_the_app_unconfirmed(client: Client, newcomer: User) -> None:
    enter_password(client, newcomer.email)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post(SET_UP, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "The security code is not correct" in _text(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert not is_signed_in(client)
    assert AuditEvent.objects.filter(action="auth.security_code_failed").count() == 1


def test_set_up_code_must_be_six_numbers(client: Client, newcomer: User) -> None:
    enter_password(client, newcomer.email)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "abc"})
    assert "The security code must be 6 numbers" in _text(response)


def test_set_up_is_refused_once_an_app_is_confirmed(client: Client, person: User) -> None:
    enter_password(client, person.email)
    response = client.get(SET_UP)
    assert response["Location"] == SECURITY_CODE


def test_set_up_without_a_password_goes_back_to_sign_in(client: Client, db: None) -> None:
    assert client.get(SET_UP)["Location"] == SIGN_IN


# The demo waiver ---------------------------------------------------------------------------


@pytest.fixture
def demo_account(db: None) -> User:
    return UserFactory(full_name="Demo Dee", is_demo_account=True)


def test_demo_account_in_demo_mode_signs_in_with_the_password_alone(
    client: Client, demo_account: User, settings: LazySettings
) -> None:
    settings.DEMO_MODE = True
    response = enter_password(client, demo_account.email)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client)
    assert AuditEvent.objects.get(action="auth.signed_in").detail == {"second_factor": "demo"}


def test_demo_account_outside_demo_mode_must_set_up_two_factor(
    client: Client, demo_account: User, settings: LazySettings
) -> None:
    settings.DEMO_MODE = False
    response = enter_password(client, demo_account.email)
    assert response["Location"] == SET_UP
    assert not is_signed_in(client)


def test_ordinary_account_in_demo_mode_must_set_up_two_factor(
    client: Client, newcomer: User, settings: LazySettings
) -> None:
    settings.DEMO_MODE = True
    response = enter_password(client, newcomer.email)
    assert response["Location"] == SET_UP
    assert not is_signed_in(client)


def test_waived_session_ends_when_demo_mode_is_switched_off(
    client: Client, demo_account: User, settings: LazySettings
) -> None:
    settings.DEMO_MODE = True
    enter_password(client, demo_account.email)
    assert is_signed_in(client)
    settings.DEMO_MODE = False
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=%2F"
    assert "_auth_user_id" not in client.session
    assert not demo_account.sessions.exists()


def test_waived_session_ends_when_the_account_stops_being_a_demo_account(
    client: Client, demo_account: User, settings: LazySettings
) -> None:
    settings.DEMO_MODE = True
    enter_password(client, demo_account.email)
    demo_account.is_demo_account = False
    demo_account.save()
    assert client.get("/")["Location"].startswith(SIGN_IN)


# New recovery codes from the account page -----------------------------------------------------

NEW_CODES = "/account/new-recovery-codes"


def test_new_recovery_codes_need_the_password(signed_in: Callable[[User], Client], practitioner: User) -> None:
    client = signed_in(practitioner)
    response = client.post(NEW_CODES, {"password": "not the password"})
    assert response.status_code == 200
    assert "The password is not correct" in _text(response)
    assert services.remaining_recovery_codes(practitioner) == 0
    assert AuditEvent.objects.filter(action="auth.reauthentication_failed").count() == 1


def test_new_recovery_codes_are_shown_and_the_old_ones_stop_working(
    signed_in: Callable[[User], Client], practitioner: User, rf: RequestFactory
) -> None:
    old = services.regenerate_recovery_codes(actor=acting(practitioner), user=practitioner)
    client = signed_in(practitioner)
    response = client.post(NEW_CODES, {"password": PASSWORD})
    assert response["Location"] == RECOVERY_CODES
    page = client.get(RECOVERY_CODES).content.decode()
    shown = {a + b for a, b in re.findall(r"<li>([a-z0-9]{5})-([a-z0-9]{5})</li>", page)}
    assert len(shown) == 10
    assert not shown & set(old)
    assert set(StaticToken.objects.filter(device__user=practitioner).values_list("token", flat=True)) == shown
    assert client.post(RECOVERY_CODES)["Location"] == "/account"
