"""State changes to staff accounts and sessions. Each writes its audit event in the same
transaction (DESIGN convention 4)."""

import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.accounts.models import User, UserSession, normalise_email
from attune.core import audit
from attune.core.network import client_ip

AUTH_AT = "attune_auth_at"
SEEN_AT = "attune_seen_at"
TWO_FACTOR_WAIVED = "attune_two_factor_waived"
# Why the last session ended, carried into the next page's sign-in message.
SIGNED_OUT_REASON = "attune_signed_out_reason"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class AccountError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


def _session_store(session_key: str) -> SessionBase:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    store: SessionBase = engine(session_key)
    return store


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
    audit.record(action="auth.signed_in", request=request, actor=user, detail={"second_factor": method})


@transaction.atomic
def sign_out(*, request: HttpRequest, reason: str = "signed_out") -> None:
    """End this session on the server: the session row goes, not just the cookie."""
    user = request.user if request.user.is_authenticated else None
    action = "auth.signed_out" if reason == "signed_out" else "auth.session_expired"
    audit.record(action=action, request=request, actor=user, detail={"reason": reason})
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)


def end_sessions(*, user: User) -> int:
    """End every session the person holds, wherever it is. Returns how many were ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def end_all_sessions(*, request: HttpRequest, user: User) -> int:
    ended = end_sessions(user=user)
    audit.record(action="account.sessions_ended", request=request, obj=user, detail={"sessions": ended})
    return ended


@transaction.atomic
def disable_account(*, request: HttpRequest, user: User, reason: str) -> None:
    if not reason.strip():
        raise AccountError("Enter why you are disabling this account")
    if user == request.user:
        raise AccountError("You cannot disable your own account")
    if not user.is_active:
        raise AccountError(f"{user.full_name}'s account is already disabled")
    user.is_active = False
    user.disabled_at = timezone.now()
    user.disabled_reason = reason.strip()
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    ended = end_sessions(user=user)
    audit.record(
        action="account.disabled", request=request, obj=user, detail={"reason": reason.strip()[:500], "sessions": ended}
    )


@transaction.atomic
def enable_account(*, request: HttpRequest, user: User) -> None:
    if user.is_active:
        raise AccountError(f"{user.full_name}'s account is already active")
    user.is_active = True
    user.disabled_at = None
    user.disabled_reason = ""
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    audit.record(action="account.enabled", request=request, obj=user)


def active_user(user_id: str) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def user_with_email(email: str) -> User | None:
    """For the audit log of a failed sign-in: whose account was tried, if anyone's."""
    return User.objects.filter(email=normalise_email(email)).first()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user).first()


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown as a QR code during set-up; the same one on every reload so
    the code the person scanned keeps working."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_code() -> str:
    # 10 characters from a 32-letter alphabet without look-alikes: 50 bits each.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def confirm_two_factor(*, request: HttpRequest, user: User, device: TOTPDevice) -> list[str]:
    """Enrolment finished: the app's code matched. Returns the recovery codes to show once."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_recovery_codes(user)
    audit.record(action="auth.two_factor_enrolled", request=request, actor=user, obj=user)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, request: HttpRequest, user: User) -> list[str]:
    codes = _replace_recovery_codes(user)
    audit.record(action="auth.recovery_codes_replaced", request=request, obj=user)
    return codes


@transaction.atomic
def reset_two_factor(*, request: HttpRequest, user: User) -> None:
    """For a person who lost their phone: they set up a new app at their next sign-in, after
    their password. Their sessions end so nobody carries on with the old factor."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = end_sessions(user=user)
    audit.record(action="account.two_factor_reset", request=request, obj=user, detail={"sessions": ended})


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


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
    """New password; every other session ends (they were opened with the old one)."""
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    current = request.session.session_key
    others = UserSession.objects.filter(user=user).exclude(session_key=current)
    keys = list(others.values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    others.delete()
    update_session_auth_hash(request, user)
    UserSession.objects.filter(session_key=current).update(session_key=request.session.session_key or "")
    audit.record(
        action="account.password_changed", request=request, obj=user, detail={"other_sessions_ended": len(keys)}
    )
    return len(keys)
