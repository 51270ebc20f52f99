"""One log line per request, for production's JSON logs: request id, the signed-in person's id
(never a name), method, path (never the query string, which can carry a search for a family's
name), status, duration in milliseconds and the number of database queries."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from attune.core.json_logging import current_request_id

logger = logging.getLogger("attune.requests")


class _QueryCounter:
    """A database execute wrapper that only counts: cheap enough for every request."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _user_id(request: HttpRequest) -> str | None:
    """The signed-in person's id, without asking the database if the request never did (a page
    open to everyone, such as /healthz, never loads the session's user)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:  # type: ignore[attr-defined]
        return None
    return str(user.pk) if user.is_authenticated else None


class RequestLogMiddleware:
    """After RequestIdMiddleware (it logs that id, and puts it on every line logged meanwhile)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = getattr(request, "request_id", None)
        token = current_request_id.set(request_id)
        counter = _QueryCounter()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
            logger.info(
                "%(method)s %(path)s %(status)s",
                {
                    "request_id": request_id,
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "queries": counter.count,
                },
            )
        finally:
            current_request_id.reset(token)
        return response
