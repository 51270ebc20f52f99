from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from attune.accounts.models import User
from attune.organisations.scope import Scope


class ScopeMiddleware:
    """Puts `request.scope` on every request, built on first use (one query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: Scope.for_request(request))  # type: ignore[attr-defined]
        return self.get_response(request)


class FirstRunMiddleware:
    """Before anyone has an account (a new installation), a sign-in form nobody can use would
    only puzzle: the home page and the sign-in page say how to begin instead (manage.py
    setup_service). Placed before LoginRequiredMiddleware, which would otherwise send `/` to
    the sign-in form; asks the database only on those two pages, read while signed out."""

    PATHS = frozenset({"/", "/sign-in"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        # A form posted from an old tab gets the sign-in view's own answer.
        if request.method not in ("GET", "HEAD") or request.path not in self.PATHS or request.user.is_authenticated:
            return None
        if User.objects.exists():
            return None
        return render(request, "organisations/setup/first_run.jinja")
