"""State changes to staff accounts and sessions. Each writes its audit event in the same
transaction (DESIGN convention 4)."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.accounts import throttle
from attune.accounts.models import SignInThrottle, User, UserSession, normalise_email
from attune.core import audit
from attune.core.actors import Actor

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class AccountError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


def _session_store(session_key: str) -> SessionBase:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    store: SessionBase = engine(session_key)
    return store


def end_sessions(*, user: User) -> int:
    """End every session the person holds, wherever it is. Returns how many were ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def end_all_sessions(*, actor: Actor, user: User) -> int:
    ended = end_sessions(user=user)
    audit.record(action="account.sessions_ended", actor=actor, obj=user, detail={"sessions": ended})
    return ended


@transaction.atomic
def disable_account(*, actor: Actor, user: User, reason: str) -> None:
    if not reason.strip():
        raise AccountError("Enter why you are disabling this account")
    if user == actor.user:
        raise AccountError("You cannot disable your own account")
    if not user.is_active:
        raise AccountError(f"{user.full_name}'s account is already disabled")
    user.is_active = False
    user.disabled_at = timezone.now()
    user.disabled_reason = reason.strip()
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    ended = end_sessions(user=user)
    audit.record(
        action="account.disabled", actor=actor, obj=user, detail={"reason": reason.strip()[:500], "sessions": ended}
    )


@transaction.atomic
def enable_account(*, actor: Actor, user: User) -> None:
    if user.is_active:
        raise AccountError(f"{user.full_name}'s account is already active")
    user.is_active = True
    user.disabled_at = None
    user.disabled_reason = ""
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    audit.record(action="account.enabled", actor=actor, obj=user)


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
def confirm_two_factor(*, actor: Actor, user: User, device: TOTPDevice) -> list[str]:
    """Enrolment finished: the app's code matched. Returns the recovery codes to show once."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_recovery_codes(user)
    audit.record(action="auth.two_factor_enrolled", actor=actor, obj=user)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, actor: Actor, user: User) -> list[str]:
    codes = _replace_recovery_codes(user)
    audit.record(action="auth.recovery_codes_replaced", actor=actor, obj=user)
    return codes


@transaction.atomic
def reset_two_factor(*, actor: Actor, user: User) -> None:
    """For a person who lost their phone: they set up a new app at their next sign-in, after
    their password. Their sessions end so nobody carries on with the old factor."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = end_sessions(user=user)
    audit.record(action="account.two_factor_reset", actor=actor, obj=user, detail={"sessions": ended})


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def change_password(*, actor: Actor, user: User, new_password: str, keep_session: str = "") -> int:
    """New password; every session but `keep_session` (the one the person changed it in) ends:
    they were opened with the old one. Returns how many ended."""
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    others = UserSession.objects.filter(user=user).exclude(session_key=keep_session)
    keys = list(others.values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    others.delete()
    audit.record(action="account.password_changed", actor=actor, obj=user, detail={"other_sessions_ended": len(keys)})
    return len(keys)


def throttle_policy() -> throttle.Policy:
    return throttle.Policy(
        free_failures=settings.SIGN_IN_THROTTLE_FREE_FAILURES,
        first_wait=settings.SIGN_IN_THROTTLE_FIRST_WAIT,
        longest_wait=settings.SIGN_IN_THROTTLE_LONGEST_WAIT,
        window=settings.SIGN_IN_THROTTLE_WINDOW,
    )


def sign_in_wait(*, email: str) -> datetime | None:
    """Until when this account must wait before its password may be tried again, if it must."""
    until = (
        SignInThrottle.objects.filter(email=normalise_email(email), wait_until__gt=timezone.now())
        .values_list("wait_until", flat=True)
        .first()
    )
    return until


@transaction.atomic
def record_sign_in_failure(*, actor: Actor, email: str) -> datetime | None:
    """Count a wrong password against the account, from whatever address; returns until when
    the account must now wait, if it must. The row is locked so that processes answering at the
    same moment count every failure."""
    now = timezone.now()
    row, _ = SignInThrottle.objects.select_for_update().get_or_create(email=normalise_email(email))
    row.failures, row.wait_until = throttle.after_a_failure(row.failures, row.last_failed_at, now, throttle_policy())
    row.last_failed_at = now
    row.save(update_fields=["failures", "wait_until", "last_failed_at", "updated_at"])
    if row.wait_until is not None:
        audit.record(
            action="auth.sign_in_slowed",
            actor=actor,
            outcome=audit.Outcome.DENIED,
            detail={
                "failures": row.failures,
                "wait_seconds": int((row.wait_until - now).total_seconds()),
                "until": row.wait_until.isoformat(),
            },
        )
    return row.wait_until


@transaction.atomic
def refuse_sign_in_while_waiting(*, actor: Actor, email: str, until: datetime) -> None:
    """An attempt during the account's wait: turned away without checking the password."""
    audit.record(
        action="auth.sign_in_refused",
        actor=actor,
        outcome=audit.Outcome.DENIED,
        detail={"rule": "account_wait", "until": until.isoformat()},
    )


def clear_sign_in_failures(*, email: str) -> None:
    """The right password: earlier failures no longer count (the sign-in itself is audited)."""
    SignInThrottle.objects.filter(email=normalise_email(email)).delete()
