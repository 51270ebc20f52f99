"""A per-account limit across addresses (ASVS v5.0.0-6.3.1): after five wrong passwords for one
account, from any addresses, each further attempt waits 1 minute, then 2, 4... at most 15.
During a wait even the right password is refused, with a message that says when to try again
and nothing about the password. A success clears the count. Every wait is audited."""

import datetime as dt
import html
import itertools
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from time_machine import TimeMachineFixture

from attune.accounts.models import SignInThrottle, User
from attune.accounts.tests.helpers import SECURITY_CODE, code_for, enter_code, enter_password, is_signed_in
from attune.core.models import AuditEvent, Outcome

START = "2025-03-03T09:00:00+00:00"  # London is on GMT: 9:00am
WRONG = "wrong-password-123"
TOO_MANY = "There have been too many attempts to sign in to this account."
_addresses = (f"10.0.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@pytest.fixture(autouse=True)
def _frozen_time(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(START, tick=False)


def errors(response: HttpResponse) -> list[str]:
    """The messages in the page's error summary."""
    page = response.content.decode()
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split())) for item in items]


def elsewhere() -> Client:
    """A browser at an address nobody has used yet, so the (email, address) lockout is not
    what stops it."""
    return Client(REMOTE_ADDR=next(_addresses))


def _told_to_wait_until(response: HttpResponse, time: str) -> bool:
    return response.status_code == 429 and f"{TOO_MANY} Wait until {time}, then try again" in errors(response)


def _five_failures_from_one_address(email: str) -> Client:
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        enter_password(client, email, WRONG)
    return client


def test_five_failures_from_one_address_make_another_address_wait(person: User) -> None:
    _five_failures_from_one_address(person.email)

    response = enter_password(elsewhere(), person.email)  # the right password

    assert _told_to_wait_until(response, "9:01am")
    assert "Location" not in response


def test_the_right_and_a_wrong_password_get_the_same_answer_during_a_wait(person: User) -> None:
    _five_failures_from_one_address(person.email)
    right, wrong = enter_password(elsewhere(), person.email), enter_password(elsewhere(), person.email, WRONG)
    assert errors(right) == errors(wrong) == [f"{TOO_MANY} Wait until 9:01am, then try again"]
    assert right.status_code == wrong.status_code == 429


def test_a_refused_attempt_does_not_start_a_half_finished_sign_in(person: User) -> None:
    _five_failures_from_one_address(person.email)
    client = elsewhere()
    enter_password(client, person.email)
    assert client.get(SECURITY_CODE)["Location"] == "/sign-in"
    assert not is_signed_in(client)


def test_after_the_wait_the_right_password_works(person: User, time_machine: TimeMachineFixture) -> None:
    _five_failures_from_one_address(person.email)
    time_machine.shift(dt.timedelta(seconds=59))
    assert _told_to_wait_until(enter_password(elsewhere(), person.email), "9:01am")
    time_machine.shift(dt.timedelta(seconds=1))
    client = elsewhere()
    assert enter_password(client, person.email)["Location"] == SECURITY_CODE
    assert enter_code(client, code_for(person.totpdevice_set.get()))["Location"] == "/"
    assert is_signed_in(client)


def test_each_failure_after_a_wait_doubles_the_next_wait_up_to_15_minutes(
    person: User, time_machine: TimeMachineFixture
) -> None:
    _five_failures_from_one_address(person.email)
    waits = []
    for expected in (2, 4, 8, 15, 15):
        until = SignInThrottle.objects.get(email=person.email).wait_until
        assert until is not None
        time_machine.move_to(until)
        failed = enter_password(elsewhere(), person.email, WRONG)
        assert failed.status_code == 200
        # The failure that starts a wait says so at once.
        assert "Enter a correct email address and password" in errors(failed)
        new_until = SignInThrottle.objects.get(email=person.email).wait_until
        assert new_until is not None
        waits.append(int((new_until - until).total_seconds() // 60))
        assert waits[-1] == expected
        assert enter_password(elsewhere(), person.email).status_code == 429
    assert waits == [2, 4, 8, 15, 15]


def test_the_message_says_when_to_try_again(person: User, time_machine: TimeMachineFixture) -> None:
    _five_failures_from_one_address(person.email)
    time_machine.shift(dt.timedelta(minutes=1))
    enter_password(elsewhere(), person.email, WRONG)  # 9:01am: now wait 2 minutes
    time_machine.shift(dt.timedelta(seconds=30))
    assert _told_to_wait_until(enter_password(elsewhere(), person.email), "9:03am")


def test_a_success_clears_the_count(person: User, time_machine: TimeMachineFixture) -> None:
    _five_failures_from_one_address(person.email)
    time_machine.shift(dt.timedelta(minutes=1))
    assert enter_password(elsewhere(), person.email)["Location"] == SECURITY_CODE
    assert not SignInThrottle.objects.filter(email=person.email).exists()
    # Four more failures from new addresses are four fresh ones: no wait yet.
    responses = [enter_password(elsewhere(), person.email, WRONG) for _ in range(4)]
    assert [r.status_code for r in responses] == [200] * 4
    assert enter_password(elsewhere(), person.email)["Location"] == SECURITY_CODE


def test_failures_spread_over_more_than_an_hour_do_not_add_up(person: User, time_machine: TimeMachineFixture) -> None:
    for _ in range(4):
        enter_password(elsewhere(), person.email, WRONG)
    time_machine.shift(dt.timedelta(hours=1))
    enter_password(elsewhere(), person.email, WRONG)
    assert enter_password(elsewhere(), person.email)["Location"] == SECURITY_CODE


def test_each_wait_and_each_refusal_is_audited(person: User) -> None:
    _five_failures_from_one_address(person.email)
    enter_password(elsewhere(), person.email)

    slowed = AuditEvent.objects.get(action="auth.sign_in_slowed")
    assert slowed.actor == person
    assert slowed.outcome == Outcome.DENIED
    assert slowed.ip_address == "10.9.9.9"
    assert slowed.detail == {"failures": 5, "wait_seconds": 60, "until": "2025-03-03T09:01:00+00:00"}
    refused = AuditEvent.objects.filter(action="auth.sign_in_refused").latest("id")
    assert refused.actor == person
    assert refused.outcome == Outcome.DENIED
    assert refused.detail == {"rule": "account_wait", "until": "2025-03-03T09:01:00+00:00"}
    assert refused.ip_address != "10.9.9.9"


def test_an_email_with_no_account_waits_the_same_so_the_wait_names_no_accounts(db: None) -> None:
    _five_failures_from_one_address("nobody@example.org")
    response = enter_password(elsewhere(), "nobody@example.org")
    assert _told_to_wait_until(response, "9:01am")
    assert AuditEvent.objects.get(action="auth.sign_in_slowed").actor_label == "nobody@example.org"


def test_email_case_and_spacing_do_not_dodge_the_wait(person: User) -> None:
    _five_failures_from_one_address(person.email.upper())
    assert _told_to_wait_until(enter_password(elsewhere(), f"  {person.email.title()} "), "9:01am")


def test_another_account_does_not_wait(person: User) -> None:
    from attune.accounts.tests.factories import TOTPDeviceFactory, UserFactory

    colleague = UserFactory()
    TOTPDeviceFactory(user=colleague)
    _five_failures_from_one_address(person.email)
    assert enter_password(elsewhere(), colleague.email)["Location"] == SECURITY_CODE
