"""Cross-cutting request handling: request ids, the actor, and caching rules."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from attune.core.actors import Actor

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id that ties its audit events and log lines together. A load
    balancer's X-Request-ID is kept when it looks like an id (no log injection, 16.4.1)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ActorMiddleware:
    """`request.actor`: who is acting in this request, for every action and audit event it
    causes. After authentication (it names the signed-in person) and before the scope (which
    sets the roles that granted access)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = Actor.for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing Attune serves (static files aside, which WhiteNoise answers earlier) may be kept
    by a browser or proxy: `Cache-Control: no-store` on every response (S7, ASVS 14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
