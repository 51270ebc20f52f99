from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from attune.organisations.scope import Scope


class ScopeMiddleware:
    """Puts `request.scope` on every request, built on first use (one query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: Scope.for_request(request))  # type: ignore[attr-defined]
        return self.get_response(request)
