"""The web session of a signed-in person: starting and ending it, the idle clock, and keeping
it when the password changes. These need the request (its session and cookies), so they live
here and not among the account actions in services.py, which a job or an importer can call."""

import time
from typing import Any

from django.contrib.auth import login, logout, update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login

from attune.accounts import services
from attune.accounts.models import User, UserSession
from attune.core import audit
from attune.core.actors import Actor
from attune.core.network import client_ip

AUTH_AT = "attune_auth_at"
SEEN_AT = "attune_seen_at"
TWO_FACTOR_WAIVED = "attune_two_factor_waived"
# Why the last session ended, carried into the next page's sign-in message.
SIGNED_OUT_REASON = "attune_signed_out_reason"


@transaction.atomic
def sign_in(*, request: HttpRequest, user: User, method: str) -> None:
    """Start a session after both factors (or, for a demo account in demo mode, the password).
    `login` gives the session a new key, so a key planted before sign-in is worthless (7.2.4)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    device = getattr(user, "otp_device", None)
    if method == "demo":
        request.session[TWO_FACTOR_WAIVED] = True
    elif device is not None:
        otp_login(request, device)
    now = int(time.time())
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    request.session.save()
    UserSession.objects.create(
        user=user,
        session_key=request.session.session_key or "",
        last_seen_at=timezone.now(),
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
    audit.record(action="auth.signed_in", actor=Actor.for_request(request, user), detail={"second_factor": method})


@transaction.atomic
def sign_out(*, request: HttpRequest, reason: str = "signed_out") -> None:
    """End this session on the server: the session row goes, not just the cookie."""
    action = "auth.signed_out" if reason == "signed_out" else "auth.session_expired"
    audit.record(action=action, actor=Actor.for_request(request), detail={"reason": reason})
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)


def touch_session(*, request: HttpRequest, now: int) -> None:
    """Note activity for the idle clock (at most once a minute, to spare the database)."""
    request.session[SEEN_AT] = now
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=timezone.now())


def session_ages(session: Any, now: int) -> tuple[int, int]:
    """Seconds since sign-in and since the last request."""
    return now - int(session.get(AUTH_AT, 0)), now - int(session.get(SEEN_AT, 0))


@transaction.atomic
def change_password(*, request: HttpRequest, user: User, new_password: str) -> int:
    """New password (services.change_password); this session carries on under its new key."""
    current = request.session.session_key or ""
    ended = services.change_password(actor=request.actor, user=user, new_password=new_password, keep_session=current)  # type: ignore[attr-defined]
    update_session_auth_hash(request, user)
    UserSession.objects.filter(session_key=current).update(session_key=request.session.session_key or "")
    return ended
