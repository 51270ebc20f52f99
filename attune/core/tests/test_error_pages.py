"""Error pages (S7): NHS.UK pages that say what happened and what to do, never a traceback,
never cached."""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent, Outcome

SignIn = Callable[[User], Client]
TRACEBACK_SIGNS = ["Traceback", 'File "', "django/", "site-packages"]


def _page(response: HttpResponse) -> str:
    return response.content.decode()


def _no_traceback(page: str) -> bool:
    return not any(sign in page for sign in TRACEBACK_SIGNS)


# 404 ----------------------------------------------------------------------------------------


def test_unknown_address_when_signed_in_is_the_page_not_found_page(signed_in: SignIn, practitioner: User) -> None:
    response = signed_in(practitioner).get("/no-such-page")
    assert response.status_code == 404
    page = _page(response)
    assert "<h1>Page not found</h1>" in page
    assert "nhsuk-header" in page  # the NHS.UK layout, not Django's plain page
    assert _no_traceback(page)
    assert "no-store" in response["Cache-Control"]


def test_unknown_address_when_signed_out_is_the_same_plain_page(client: Client, db: None) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = _page(response)
    assert "<h1>Page not found</h1>" in page
    assert _no_traceback(page)


def test_an_unknown_team_is_page_not_found(signed_in: SignIn, practitioner: User) -> None:
    response = signed_in(practitioner).get("/teams/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "Page not found" in _page(response)


# 403 CSRF -----------------------------------------------------------------------------------


def test_csrf_failure_is_a_friendly_page_and_audited(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in", {"email": "someone@trust.example", "password": "whatever-it-is"})
    assert response.status_code == 403
    page = _page(response)
    assert "Your form could not be sent" in page
    assert _no_traceback(page)
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="security.csrf_refused")
    assert event.outcome == Outcome.DENIED
    assert event.detail == {"path": "/sign-in"}
    assert not AuditEvent.objects.filter(action="auth.sign_in_failed").exists()  # the form was never read


def test_csrf_failure_when_signed_in_is_audited_against_the_person(signed_in: SignIn, practitioner: User) -> None:
    client = signed_in(practitioner)
    client.handler.enforce_csrf_checks = True
    response = client.post("/sign-out")
    assert response.status_code == 403
    assert "Your form could not be sent" in _page(response)
    assert AuditEvent.objects.get(action="security.csrf_refused").actor == practitioner
    assert client.get("/").status_code == 200  # still signed in: the forged sign-out did nothing


# 413 / 400 ----------------------------------------------------------------------------------


def test_oversized_request_is_refused_with_a_plain_page(client: Client, db: None) -> None:
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/sign-in", {"email": "someone@trust.example", "password": huge})
    assert response.status_code == 413
    page = _page(response)
    assert "What you sent was too large" in page
    assert _no_traceback(page)


def test_oversized_request_when_signed_in_is_refused_too(signed_in: SignIn, practitioner: User) -> None:
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = signed_in(practitioner).post(
        "/account/change-password", {"current_password": huge, "new_password": "whatever"}
    )
    assert response.status_code == 413
    assert "What you sent was too large" in _page(response)


def test_too_many_fields_is_a_too_large_page(client: Client, db: None) -> None:
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post("/sign-in", fields)
    assert response.status_code == 413
    page = _page(response)
    assert "What you sent was too large" in page
    assert _no_traceback(page)


# 500 ----------------------------------------------------------------------------------------


@pytest.fixture
def broken_home(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    monkeypatch.setattr("attune.dashboards.presenters.home_sections", explode)


@pytest.mark.usefixtures("broken_home")
def test_a_view_that_fails_shows_the_server_error_page(signed_in: SignIn, practitioner: User) -> None:
    client = signed_in(practitioner)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = _page(response)
    assert "Sorry, there is a problem with the service" in page
    assert _no_traceback(page)
    assert "secret internal detail" not in page
    assert "hunter2" not in page
    assert "RuntimeError" not in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("broken_home")
def test_server_error_page_gives_the_request_reference(signed_in: SignIn, practitioner: User) -> None:
    client = signed_in(practitioner)
    client.raise_request_exception = False
    response = client.get("/", headers={"X-Request-ID": "support-ref-12345"})
    assert response["X-Request-ID"] == "support-ref-12345"
    assert "<strong>support-ref-12345</strong>" in _page(response)


def test_a_request_id_that_could_inject_into_logs_is_replaced(signed_in: SignIn, practitioner: User) -> None:
    response = signed_in(practitioner).get("/", headers={"X-Request-ID": "bad\nid injected"})
    assert response["X-Request-ID"] != "bad\nid injected"
    assert len(response["X-Request-ID"]) == 32
