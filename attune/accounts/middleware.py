"""Session lifetime and the two-factor rule, enforced on every request."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from attune.accounts import sessions

# How often the idle clock is written back (seconds): idle timeouts are exact to this.
TOUCH_EVERY = 60


def _back_to_sign_in(request: HttpRequest, reason: str) -> HttpResponse:
    sessions.sign_out(request=request, reason=reason)
    request.session[sessions.SIGNED_OUT_REASON] = reason
    url = reverse(settings.LOGIN_URL)
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return redirect(url)


class SessionLifetimeMiddleware:
    """Signs a person out after 30 minutes without a request or 12 hours after sign-in,
    whichever comes first (S6, ASVS v5.0.0-7.3.1, 7.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            since_sign_in, since_seen = sessions.session_ages(request.session, now)
            if since_sign_in >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                return _back_to_sign_in(request, "absolute")
            if since_seen >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
                return _back_to_sign_in(request, "idle")
            if since_seen >= TOUCH_EVERY:
                sessions.touch_session(request=request, now=now)
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """A session without a verified second factor is not a session (S3). Only a demo account
    in demo mode is let off, and only while demo mode stays on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            waived = (
                settings.DEMO_MODE
                and getattr(user, "is_demo_account", False)
                and request.session.get(sessions.TWO_FACTOR_WAIVED, False)
            )
            if not waived:
                return _back_to_sign_in(request, "two_factor")
        return self.get_response(request)
