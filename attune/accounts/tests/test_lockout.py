"""Lockout (S4): five failures on one email from one address lock that pair for 15 minutes.
Wrong passwords and wrong security codes count alike; the right password does not help."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.accounts.tests.factories import TOTPDeviceFactory, UserFactory
from attune.accounts.tests.helpers import (
    RECOVERY_CODES,
    SECURITY_CODE,
    SET_UP,
    code_for,
    enter_code,
    enter_password,
    is_signed_in,
    wrong_code_for,
)
from attune.core.models import AuditEvent, Outcome

START = "2025-03-03T09:00:00+00:00"
LOCKED = "You cannot sign in for 15 minutes"
WRONG = "wrong-password-123"


@pytest.fixture(autouse=True)
def _frozen_time(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(START, tick=False)


def _is_locked_out_page(response: HttpResponse) -> bool:
    return response.status_code == 429 and LOCKED in response.content.decode()


def _fail_passwords(client: Client, email: str, times: int) -> list[HttpResponse]:
    return [enter_password(client, email, WRONG) for _ in range(times)]


def test_four_wrong_passwords_do_not_lock(client: Client, person: User) -> None:
    responses = _fail_passwords(client, person.email, 4)
    assert [r.status_code for r in responses] == [200] * 4
    assert enter_password(client, person.email)["Location"] == SECURITY_CODE


def test_fifth_wrong_password_shows_the_locked_out_page(client: Client, person: User) -> None:
    responses = _fail_passwords(client, person.email, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert _is_locked_out_page(responses[4])


def test_locked_out_page_is_a_full_nhs_page(client: Client, person: User) -> None:
    page = _fail_passwords(client, person.email, 5)[-1].content.decode()
    assert "<title>You cannot sign in for 15 minutes" in page
    assert "nhsuk-header" in page
    assert "no-store" in _fail_passwords(client, person.email, 1)[0]["Cache-Control"]


def test_right_password_is_refused_once_locked(client: Client, person: User) -> None:
    _fail_passwords(client, person.email, 5)
    response = enter_password(client, person.email)
    assert _is_locked_out_page(response)
    assert client.get(SECURITY_CODE)["Location"] == "/sign-in"  # no half-finished sign-in either
    assert not is_signed_in(client)


def test_right_password_is_refused_from_a_fresh_browser_too(client: Client, person: User) -> None:
    """Clearing cookies does not help: the lock is on the email and address, not the session."""
    _fail_passwords(client, person.email, 5)
    assert _is_locked_out_page(enter_password(Client(), person.email))


def test_each_failure_and_the_lockout_are_audited(client: Client, person: User) -> None:
    _fail_passwords(client, person.email, 5)
    failures = AuditEvent.objects.filter(action__in=["auth.sign_in_failed", "auth.sign_in_refused"], actor=person)
    assert failures.count() == 5
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert locked.actor == person
    assert locked.outcome == Outcome.DENIED
    assert locked.ip_address == "127.0.0.1"


def test_the_wrong_password_that_triggers_the_lockout_is_audited_as_a_failure(client: Client, person: User) -> None:
    """All five passwords were checked and wrong: each is a failed sign-in. "Refused" is for
    attempts turned away unchecked because of the lock."""
    _fail_passwords(client, person.email, 5)
    failed = AuditEvent.objects.filter(action="auth.sign_in_failed", outcome=Outcome.FAILURE, actor=person)
    assert failed.count() == 5
    assert not AuditEvent.objects.filter(action="auth.sign_in_refused").exists()


def test_attempts_while_locked_are_audited_as_refused(client: Client, person: User) -> None:
    _fail_passwords(client, person.email, 5)
    enter_password(client, person.email)
    refused = AuditEvent.objects.filter(action="auth.sign_in_refused").order_by("-id").first()
    assert refused is not None
    assert refused.outcome == Outcome.DENIED
    # The lockout itself is one event; each later attempt is a refusal, not a new lockout.
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 1
    assert AuditEvent.objects.filter(action="auth.sign_in_refused").count() == 1


def test_the_typed_password_is_not_kept_in_the_lockout_records(client: Client, person: User) -> None:
    _fail_passwords(client, person.email, 2)
    attempt = AccessAttempt.objects.get()
    assert WRONG not in attempt.post_data
    assert attempt.username == person.email


def test_wrong_security_codes_count_towards_the_same_lockout(client: Client, person: User) -> None:
    device = person.totpdevice_set.get()
    enter_password(client, person.email)
    responses = [enter_code(client, wrong_code_for(device)) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert _is_locked_out_page(responses[4])
    assert AuditEvent.objects.filter(action="auth.security_code_failed").count() == 5
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    # The half-finished sign-in is gone, and the right password no longer helps.
    assert client.get(SECURITY_CODE)["Location"] == "/sign-in"
    assert _is_locked_out_page(enter_password(client, person.email))


def test_wrong_passwords_and_wrong_codes_add_up(client: Client, person: User) -> None:
    device = person.totpdevice_set.get()
    _fail_passwords(client, person.email, 3)
    enter_password(client, person.email)
    assert enter_code(client, wrong_code_for(device)).status_code == 200
    assert _is_locked_out_page(enter_code(client, wrong_code_for(device)))


def test_right_code_is_refused_after_the_lockout_by_codes(
    client: Client, person: User, time_machine: TimeMachineFixture
) -> None:
    device = person.totpdevice_set.get()
    enter_password(client, person.email)
    for _ in range(4):
        enter_code(client, wrong_code_for(device))
    # Somebody with the password and the session, still holding the page open: the fifth try
    # locks, so even a right code after it does not sign in.
    enter_code(client, wrong_code_for(device))
    time_machine.shift(60)
    response = enter_code(client, code_for(device))
    assert response.status_code == 302
    assert response["Location"] == "/sign-in"
    assert not is_signed_in(client)


def test_a_security_code_step_opened_before_the_lockout_cannot_finish_during_it(client: Client, person: User) -> None:
    """The lock is on the email and address: a code step left open in another tab (or opened in
    bulk by someone who has the password) must not sign in while it lasts."""
    enter_password(client, person.email)  # this tab waits at the security code step
    _fail_passwords(Client(), person.email, 5)  # another tab, same address, locks the account
    response = enter_code(client, code_for(person.totpdevice_set.get()))
    assert response.status_code in (302, 429)
    assert response.get("Location", "") != "/"
    assert not is_signed_in(client)
    assert not AuditEvent.objects.filter(action="auth.signed_in").exists()


def test_a_two_factor_set_up_opened_before_the_lockout_cannot_finish_during_it(client: Client, db: None) -> None:
    newcomer = UserFactory()
    enter_password(client, newcomer.email)
    client.get(SET_UP)  # this tab shows the QR code
    _fail_passwords(Client(), newcomer.email, 5)  # another tab, same address, locks the account
    response = client.post(SET_UP, {"code": code_for(TOTPDevice.objects.get(user=newcomer))})
    assert response.status_code in (302, 429)
    assert response.get("Location", "") != RECOVERY_CODES
    assert not is_signed_in(client)
    assert not AuditEvent.objects.filter(action="auth.signed_in").exists()


def test_after_fifteen_minutes_the_person_can_sign_in_again(
    client: Client, person: User, time_machine: TimeMachineFixture
) -> None:
    _fail_passwords(client, person.email, 5)
    time_machine.shift(dt.timedelta(minutes=14, seconds=59))
    assert _is_locked_out_page(enter_password(client, person.email))
    time_machine.shift(dt.timedelta(minutes=15, seconds=1))
    response = enter_password(client, person.email)
    assert response["Location"] == SECURITY_CODE
    assert enter_code(client, code_for(person.totpdevice_set.get()))["Location"] == "/"
    assert is_signed_in(client)


def test_another_account_from_the_same_address_is_not_locked(client: Client, person: User) -> None:
    colleague = UserFactory()
    TOTPDeviceFactory(user=colleague)
    _fail_passwords(client, person.email, 5)
    response = enter_password(client, colleague.email)
    assert response.status_code == 302
    assert response["Location"] == SECURITY_CODE


def test_the_same_account_from_another_address_is_not_locked_but_must_wait(
    client: Client, person: User, time_machine: TimeMachineFixture
) -> None:
    """The lockout is on the email and address; across addresses the account only waits (a
    minute after five failures, test_account_throttle), so a lockout cannot be used to keep a
    person out from their own desk for long."""
    _fail_passwords(client, person.email, 5)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    waiting = enter_password(elsewhere, person.email)
    assert waiting.status_code == 429
    assert "Wait until 9:01am, then try again" in waiting.content.decode()
    assert LOCKED not in waiting.content.decode()
    time_machine.shift(dt.timedelta(minutes=1))
    assert enter_password(elsewhere, person.email)["Location"] == SECURITY_CODE


def test_email_case_does_not_dodge_the_lockout(client: Client, person: User) -> None:
    for variant in [person.email, person.email.upper(), person.email.title(), f" {person.email} "]:
        enter_password(client, variant, WRONG)
    assert _is_locked_out_page(enter_password(client, person.email.upper(), WRONG))


def test_successful_sign_in_clears_earlier_failures(client: Client, person: User) -> None:
    _fail_passwords(client, person.email, 4)
    enter_password(client, person.email)
    enter_code(client, code_for(person.totpdevice_set.get()))
    client.post("/sign-out")
    responses = _fail_passwords(client, person.email, 4)
    assert [r.status_code for r in responses] == [200] * 4
