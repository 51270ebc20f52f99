"""Sessions (S6): server-side, ended after 30 minutes idle or 12 hours after sign-in, and on
sign-out, with the session row gone from the database and not just the cookie."""

import datetime as dt
import html
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from time_machine import TimeMachineFixture

from attune.accounts.models import User, UserSession
from attune.core.models import AuditEvent

START = "2025-03-03T09:00:00+00:00"
IDLE_MESSAGE = "You were signed out because you had not used Attune for 30 minutes"
ABSOLUTE_MESSAGE = "You were signed out because you had been signed in for 12 hours"


@pytest.fixture
def at_start(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def session_client(at_start: TimeMachineFixture, signed_in: Callable[[User], Client], practitioner: User) -> Client:
    client = signed_in(practitioner)
    assert client.get("/").status_code == 200
    return client


def _session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def _sign_in_page(client: Client) -> str:
    return html.unescape(client.get("/sign-in").content.decode())


# Idle ---------------------------------------------------------------------------------------


def test_twenty_nine_minutes_idle_is_still_signed_in(session_client: Client, at_start: TimeMachineFixture) -> None:
    at_start.shift(dt.timedelta(minutes=29))
    assert session_client.get("/").status_code == 200


def test_thirty_one_minutes_idle_signs_out_back_to_the_page(
    session_client: Client, at_start: TimeMachineFixture
) -> None:
    at_start.shift(dt.timedelta(minutes=31))
    response = session_client.get("/teams")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=%2Fteams"


def test_idle_sign_out_says_why_on_the_sign_in_page(session_client: Client, at_start: TimeMachineFixture) -> None:
    at_start.shift(dt.timedelta(minutes=31))
    session_client.get("/")
    assert IDLE_MESSAGE in _sign_in_page(session_client)
    assert IDLE_MESSAGE not in _sign_in_page(session_client)  # said once


def test_idle_sign_out_is_audited(session_client: Client, at_start: TimeMachineFixture, practitioner: User) -> None:
    at_start.shift(dt.timedelta(minutes=31))
    session_client.get("/")
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.actor == practitioner
    assert event.detail == {"reason": "idle"}


def test_idle_sign_out_deletes_the_session_on_the_server(
    session_client: Client, at_start: TimeMachineFixture, practitioner: User
) -> None:
    old_key = _session_key(session_client)
    at_start.shift(dt.timedelta(minutes=31))
    session_client.get("/")
    assert not Session.objects.filter(session_key=old_key).exists()
    assert not UserSession.objects.filter(user=practitioner).exists()
    assert session_client.get("/").status_code == 302


def test_each_request_restarts_the_idle_clock(session_client: Client, at_start: TimeMachineFixture) -> None:
    for _ in range(3):
        at_start.shift(dt.timedelta(minutes=29))
        assert session_client.get("/").status_code == 200
    at_start.shift(dt.timedelta(minutes=31))
    assert session_client.get("/").status_code == 302


def test_activity_is_noted_on_the_users_session_row(
    session_client: Client, at_start: TimeMachineFixture, practitioner: User
) -> None:
    at_start.shift(dt.timedelta(minutes=10))
    session_client.get("/")
    row = UserSession.objects.get(user=practitioner)
    assert row.last_seen_at == dt.datetime(2025, 3, 3, 9, 10, tzinfo=dt.UTC)


def test_idle_post_goes_to_sign_in_without_a_next(session_client: Client, at_start: TimeMachineFixture) -> None:
    at_start.shift(dt.timedelta(minutes=31))
    response = session_client.post("/account/change-password", {"current_password": "x", "new_password": "y"})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in"


# Absolute -----------------------------------------------------------------------------------


def test_twelve_hours_after_sign_in_ends_even_an_active_session(
    session_client: Client, at_start: TimeMachineFixture
) -> None:
    # Busy all day: a request every 20 minutes for 11 hours 40 minutes.
    for _ in range(35):
        at_start.shift(dt.timedelta(minutes=20))
        assert session_client.get("/").status_code == 200
    at_start.shift(dt.timedelta(minutes=20))
    response = session_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=%2F"
    assert ABSOLUTE_MESSAGE in _sign_in_page(session_client)
    assert AuditEvent.objects.get(action="auth.session_expired").detail == {"reason": "absolute"}


# Sign-out -----------------------------------------------------------------------------------


def test_sign_out_deletes_the_session_on_the_server(session_client: Client, practitioner: User) -> None:
    old_key = _session_key(session_client)
    assert Session.objects.filter(session_key=old_key).exists()
    response = session_client.post("/sign-out")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in"
    assert not Session.objects.filter(session_key=old_key).exists()
    assert not UserSession.objects.filter(session_key=old_key).exists()
    assert not UserSession.objects.filter(user=practitioner).exists()
    assert "You have signed out." in _sign_in_page(session_client)
    assert AuditEvent.objects.filter(action="auth.signed_out", actor=practitioner).count() == 1


def test_a_copied_session_cookie_is_worthless_after_sign_out(session_client: Client) -> None:
    stolen = _session_key(session_client)
    session_client.post("/sign-out")
    thief = Client()
    thief.cookies["sessionid"] = stolen
    response = thief.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/"


def test_sign_out_by_get_is_not_allowed(session_client: Client) -> None:
    response = session_client.get("/sign-out")
    assert response.status_code == 405
    assert session_client.get("/").status_code == 200


def test_sign_out_leaves_the_persons_other_sessions_alone(
    session_client: Client, another_client: Callable[[User], Client], practitioner: User
) -> None:
    elsewhere = another_client(practitioner)
    session_client.post("/sign-out")
    assert elsewhere.get("/").status_code == 200
    assert UserSession.objects.filter(user=practitioner).count() == 1


def test_keep_alive_restarts_the_idle_clock(session_client: Client, at_start: TimeMachineFixture) -> None:
    at_start.shift(dt.timedelta(minutes=25))
    assert session_client.post("/account/keep-alive").status_code == 204
    at_start.shift(dt.timedelta(minutes=25))  # 50 minutes since the last page, 25 since the keep-alive
    assert session_client.get("/").status_code == 200


def test_keep_alive_cannot_outlast_twelve_hours(session_client: Client, at_start: TimeMachineFixture) -> None:
    for _ in range(12 * 3):
        at_start.shift(dt.timedelta(minutes=20))
        session_client.post("/account/keep-alive")
    assert session_client.get("/").status_code == 302


def test_keep_alive_needs_a_post_and_a_session(client: Client, db: None) -> None:
    assert client.get("/account/keep-alive").status_code == 302  # to sign in
    assert client.post("/account/keep-alive").status_code == 302
