"""State changes to staff accounts and sessions. Each writes its audit event in the same
transaction (DESIGN convention 4)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.accounts import throttle
from attune.accounts.link_paths import link_path
from attune.accounts.models import (
    AccountLink,
    LinkPurpose,
    SignInThrottle,
    User,
    UserSession,
    normalise_email,
)
from attune.core import audit
from attune.core.actors import Actor
from attune.notifications.models import Channel
from attune.notifications.services import Recipient, queue_message

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


# Set-up and reset links ----------------------------------------------------------------------


class LinkUnusable(Exception):
    """The link is unknown, used, replaced by a newer one, expired, or its account disabled.
    One exception for all of them: the page says the same whichever it is."""


def hash_token(token: str) -> str:
    """Only this is stored: a leaked database or backup holds no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime(purpose: str) -> timedelta:
    if purpose == LinkPurpose.SET_UP:
        return timedelta(days=settings.ATTUNE_SET_UP_LINK_DAYS)
    return timedelta(minutes=settings.ATTUNE_RESET_LINK_MINUTES)


@transaction.atomic
def issue_account_link(*, actor: Actor, user: User, purpose: LinkPurpose) -> str:
    """A new single-use link for `user`; earlier unused links of that purpose stop working.
    Returns the raw token, which is never stored (only its hash)."""
    if not user.is_active:
        raise AccountError(f"{user.full_name}'s account is disabled. Enable it before sending a link")
    now = timezone.now()
    revoked = AccountLink.objects.filter(user=user, purpose=purpose).unused().update(revoked_at=now, updated_at=now)
    token = secrets.token_urlsafe(32)
    link = AccountLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        expires_at=now + link_lifetime(purpose),
        created_by=actor.user,
    )
    audit.record(
        action="account.link_issued",
        actor=actor,
        obj=user,
        detail={
            "purpose": str(purpose),
            "link": str(link.pk),
            "expires_at": link.expires_at.isoformat(),
            "earlier_links_revoked": revoked,
        },
    )
    return token


@transaction.atomic
def send_account_link(*, actor: Actor, user: User, purpose: LinkPurpose, site_url: str) -> str:
    """issue_account_link, then queue an email to the person with the link's full address:
    the service's public address (ATTUNE_PUBLIC_BASE_URL) when set, else `site_url`, the address
    the sender is using (a view passes request.build_absolute_uri("/")). The path comes from
    link_paths, which urls.py also routes by. Returns the token."""
    token = issue_account_link(actor=actor, user=user, purpose=purpose)
    lifetime = link_lifetime(purpose)
    queue_message(
        recipient=Recipient(label=user.full_name, channel=Channel.EMAIL, to=user.email),
        template="account_link",
        context={
            "user": user,
            "purpose": str(purpose),
            "url": str(settings.ATTUNE_PUBLIC_BASE_URL or site_url).rstrip("/") + link_path(purpose, token),
            "lasts": duration_words(lifetime),
        },
        about=user,
        actor=actor,
    )
    return token


def duration_words(lifetime: timedelta) -> str:
    """'7 days', '60 minutes', '3 hours': how long a link lasts or a limit counts over."""
    minutes = -(-int(lifetime.total_seconds()) // 60)
    if minutes >= 24 * 60 and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "1 day" if days == 1 else f"{days} days"
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def usable_link(*, token: str, purpose: LinkPurpose) -> AccountLink | None:
    """The link behind `token`, if it may still be used (for showing the page; using it locks)."""
    return (
        AccountLink.objects.usable(timezone.now())
        .filter(token_hash=hash_token(token), purpose=purpose)
        .select_related("user")
        .first()
    )


@transaction.atomic
def refuse_account_link(*, actor: Actor, purpose: LinkPurpose) -> None:
    """Someone opened a link that cannot be used. The token is not recorded: an unknown one
    might be a real one mistyped, and a log of tokens would be a list of keys."""
    audit.record(
        action="auth.account_link_refused", actor=actor, outcome=audit.Outcome.DENIED, detail={"purpose": str(purpose)}
    )


@transaction.atomic
def use_account_link(*, actor: Actor, token: str, purpose: LinkPurpose, new_password: str) -> User:
    """Set the password through a link, which is then used up. The row is locked, so two tabs
    submitting the same link cannot both set a password. Every session of the person ends: a
    reset means someone else may have had the old password."""
    link = (
        AccountLink.objects.select_for_update()
        .usable(timezone.now())
        .filter(token_hash=hash_token(token), purpose=purpose)
        .first()
    )
    if link is None:
        raise LinkUnusable
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at", "updated_at"])
    user = link.user
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    ended = end_sessions(user=user)
    audit.record(
        action="account.password_set_by_link",
        actor=Actor(user=user, request_id=actor.request_id, ip_address=actor.ip_address),
        obj=user,
        detail={"purpose": str(purpose), "link": str(link.pk), "sessions_ended": ended},
    )
    return user


@transaction.atomic
def request_password_reset(*, actor: Actor, email: str, site_url: str) -> bool:
    """Forgot your password: a reset link to an active account with this address, and nothing
    to anyone else. Whether an account matched goes to the audit log only; the page says the
    same either way. Returns whether a link was sent."""
    user = user_with_email(email)
    send = user is not None and user.is_active
    if send:
        assert user is not None
        send_account_link(actor=actor, user=user, purpose=LinkPurpose.RESET, site_url=site_url)
    audit.record(
        action="auth.reset_requested",
        actor=actor,
        obj=user,
        detail={"account_matched": user is not None, "account_disabled": user is not None and not user.is_active},
    )
    return send
