"""Production's logs (issue 17): JSON lines through the redacting filters, and one line per
request with its id, the person's id (never a name), path, status, duration and query count."""

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from attune.accounts.log_filters import RedactAccountLinkTokens
from attune.accounts.models import User
from attune.core.json_logging import JsonLines, current_request_id
from attune.core.middleware import RequestIdMiddleware
from attune.core.request_log import RequestLogMiddleware
from attune.outcomes.log_filters import RedactLinkTokens


@pytest.fixture
def lines() -> Iterator[Callable[[], list[dict[str, object]]]]:
    """What the production console handler writes: JSON lines, after the redacting filters."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    handler.addFilter(RedactLinkTokens())
    handler.addFilter(RedactAccountLinkTokens())
    loggers = [logging.getLogger("attune.requests"), logging.getLogger("attune.tests.json")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def written() -> list[dict[str, object]]:
        text = stream.getvalue()
        assert text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]

    yield written
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_a_line_is_one_json_object_with_its_fields(lines: Callable[[], list[dict[str, object]]]) -> None:
    logger = logging.getLogger("attune.tests.json")
    logger.warning("Two\nlines %(count)s", {"count": 3, "level": "forged"})
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("It failed")
    first, second = lines()
    assert first["message"] == "Two\nlines 3"
    assert first["level"] == "WARNING"  # an argument cannot overwrite what the line is
    assert first["logger"] == "attune.tests.json"
    assert first["count"] == 3
    assert str(first["time"]).endswith("+00:00")
    assert "request_id" not in first
    assert second["level"] == "ERROR"
    assert "ValueError: boom" in str(second["exception"])


def test_the_redacting_filters_rewrite_fields_as_well_as_the_message(
    lines: Callable[[], list[dict[str, object]]],
) -> None:
    logging.getLogger("attune.tests.json").info("%(path)s", {"path": "/q/Zq8mKx3vRn5tLw2p/start"})
    (line,) = lines()
    assert line["message"] == "/q/[token]/start"
    assert line["path"] == "/q/[token]/start"
    assert "Zq8mKx3vRn5tLw2p" not in json.dumps(line)


def test_lines_logged_while_a_request_is_served_carry_its_id(lines: Callable[[], list[dict[str, object]]]) -> None:
    token = current_request_id.set("abcdef0123456789")
    try:
        logging.getLogger("attune.tests.json").info("inside")
    finally:
        current_request_id.reset(token)
    logging.getLogger("attune.tests.json").info("outside")
    inside, outside = lines()
    assert inside["request_id"] == "abcdef0123456789"
    assert "request_id" not in outside


def _three_queries(request: HttpRequest) -> HttpResponse:
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    logging.getLogger("attune.tests.json").info("from the view")
    return HttpResponse(status=201)


def _served(request: HttpRequest) -> HttpResponse:
    return RequestIdMiddleware(RequestLogMiddleware(_three_queries))(request)


def test_one_line_per_request_with_id_person_path_status_duration_and_queries(
    lines: Callable[[], list[dict[str, object]]], db: None
) -> None:
    person = User.objects.create_user("ada.lovelace@example.nhs.uk", "Ada Lovelace")
    request = RequestFactory().get("/families/?q=Lovelace", HTTP_X_REQUEST_ID="lb-request-00000001")
    request.user = SimpleLazyObject(lambda: person)
    assert request.user.is_authenticated  # the middleware before it loaded the person
    response = _served(request)
    view_line, line = lines()
    assert view_line["request_id"] == "lb-request-00000001"
    assert line == {
        "time": line["time"],
        "level": "INFO",
        "logger": "attune.requests",
        "message": "GET /families/ 201",
        "request_id": "lb-request-00000001",
        "user_id": str(person.pk),
        "method": "GET",
        "path": "/families/",  # never the query string: a search can carry a family's name
        "status": 201,
        "duration_ms": line["duration_ms"],
        "queries": 3,
    }
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert response["X-Request-ID"] == "lb-request-00000001"
    assert "Lovelace" not in json.dumps([view_line, line])
    assert "Ada" not in json.dumps(line)


def test_a_person_never_loaded_is_not_loaded_for_the_log(lines: Callable[[], list[dict[str, object]]]) -> None:
    def load_user() -> User:
        raise AssertionError("the log line must not load the user")

    request = RequestFactory().get("/healthz")
    request.user = SimpleLazyObject(load_user)
    middleware = RequestLogMiddleware(lambda request: HttpResponse())
    middleware(request)
    signed_out = RequestFactory().get("/sign-in")
    signed_out.user = AnonymousUser()
    middleware(signed_out)
    first, second = lines()
    assert first["user_id"] is None
    assert first["queries"] == 0
    assert second["user_id"] is None
