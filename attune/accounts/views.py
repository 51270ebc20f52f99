"""Sign-in in two steps (password, then the authenticator app), two-factor set-up, sign-out
and the person's own account page. Nobody is signed in until both factors pass."""

import base64
import time
from datetime import datetime, timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import _split_rate, is_ratelimited  # type: ignore[import-untyped]
from markupsafe import Markup

from attune.accounts import services, sessions, throttle
from attune.accounts.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    ConfirmPasswordForm,
    EnrolmentCodeForm,
    ForgotPasswordForm,
    SecurityCodeForm,
    SignInForm,
)
from attune.accounts.models import LinkPurpose, User, normalise_email
from attune.core import audit
from attune.core.actors import Actor, actor_of
from attune.core.formatting import time_short
from attune.core.network import client_ip

PENDING_USER = "attune_pending_user"
PENDING_AT = "attune_pending_at"
PENDING_NEXT = "attune_pending_next"
SHOW_RECOVERY_CODES = "attune_show_recovery_codes"
# Time allowed between the password step and the code step.
PENDING_SECONDS = 10 * 60

SIGNED_OUT_MESSAGES = {
    "signed_out": "You have signed out.",
    "idle": "You were signed out because you had not used Attune for 30 minutes. Sign in again to carry on.",
    "absolute": "You were signed out because you had been signed in for 12 hours. Sign in again to carry on.",
    "two_factor": "Sign in again, with your security code, to carry on.",
    "password_set": "Your password is set. Sign in with it to carry on: next you will set up your authenticator app.",
    "password_reset": "Your password has been reset and you have been signed out everywhere. Sign in with your new password.",
}


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    return services.active_user(user_id)


def _finish_sign_in(request: HttpRequest, user: User, method: str) -> HttpResponse:
    next_url = request.session.get(PENDING_NEXT)
    sessions.sign_in(request=request, user=user, method=method)
    return redirect(_safe_next(request, next_url))


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    reason = request.session.pop(sessions.SIGNED_OUT_REASON, None)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        if AxesProxyHandler.is_locked(request, {"email": email}):
            return _refuse_while_locked(request, email)
        actor = Actor.for_request(request, services.user_with_email(email), label=email)
        until = services.sign_in_wait(email=email)
        if until is not None:
            # The password is not checked, so the page cannot say whether it was right.
            services.refuse_sign_in_while_waiting(actor=actor, email=email, until=until)
            request.session.pop(PENDING_USER, None)
            form.add_error(None, wait_message(until))
            return _sign_in_page(request, form, reason, status=429)
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if user is None:
            audit.record(action="auth.sign_in_failed", actor=actor, outcome=audit.Outcome.FAILURE)
            form.add_error(None, "Enter a correct email address and password")
            until = services.record_sign_in_failure(actor=actor, email=email)
            if until is not None:
                form.add_error(None, wait_message(until))
        else:
            assert isinstance(user, User)
            services.clear_sign_in_failures(email=email)
            request.session.cycle_key()
            request.session[PENDING_USER] = str(user.pk)
            request.session[PENDING_AT] = int(time.time())
            request.session[PENDING_NEXT] = request.GET.get("next", "")
            if services.confirmed_totp_device(user) is not None:
                return redirect("accounts:security_code")
            if settings.DEMO_MODE and user.is_demo_account:
                return _finish_sign_in(request, user, "demo")
            return redirect("accounts:set_up_two_factor")
    return _sign_in_page(request, form, reason)


def _sign_in_page(request: HttpRequest, form: SignInForm, reason: str | None, status: int = 200) -> HttpResponse:
    context = {"form": form, "signed_out_message": SIGNED_OUT_MESSAGES.get(reason or "")}
    return render(request, "accounts/sign_in.jinja", context, status=status)


def wait_message(until: datetime) -> str:
    """Says when to try again, and nothing about whether the password typed was right."""
    return (
        "There have been too many attempts to sign in to this account. "
        f"Wait until {time_short(throttle.try_again_at(until))}, then try again"
    )


def _refuse_while_locked(request: HttpRequest, email: str) -> HttpResponse:
    """Turned away without checking anything: the email and address are locked out (S4)."""
    audit.record(
        action="auth.sign_in_refused",
        actor=Actor.for_request(request, services.user_with_email(email), label=email),
        outcome=audit.Outcome.DENIED,
    )
    request.session.pop(PENDING_USER, None)
    return locked_out(request, credentials={"email": email}, record=False)


def _second_step(request: HttpRequest) -> User | HttpResponse:
    """The person who passed the password step, or where to send the browser instead: back to
    sign-in when that step has expired, the lockout page when they have been locked out since
    (a sign-in begun before a lockout must not finish during it)."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign_in")
    if AxesProxyHandler.is_locked(request, {"email": user.email}):
        return _refuse_while_locked(request, user.email)
    return user


def _code_failed(request: HttpRequest, user: User) -> None:
    """A wrong code counts towards the same lockout as a wrong password (S4)."""
    audit.record(
        action="auth.security_code_failed", actor=Actor.for_request(request, user), outcome=audit.Outcome.FAILURE
    )
    user_login_failed.send(sender=__name__, credentials={"email": user.email}, request=request)


@login_not_required
@require_http_methods(["GET", "POST"])
def security_code(request: HttpRequest) -> HttpResponse:
    user = _second_step(request)
    if isinstance(user, HttpResponse):
        return user
    device = services.confirmed_totp_device(user)
    if device is None:
        return redirect("accounts:set_up_two_factor")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        is_app_code = code.isascii() and code.isdigit() and len(code) == 6
        if is_app_code and device.verify_token(code):
            user.otp_device = device
            return _finish_sign_in(request, user, "authenticator_app")
        recovery = None if is_app_code else services.recovery_device(user)
        if recovery is not None and recovery.verify_token(code):
            user.otp_device = recovery
            response = _finish_sign_in(request, user, "recovery_code")
            left = services.remaining_recovery_codes(user)
            messages.warning(
                request,
                f"You signed in with a recovery code. You have {left} left. "
                "If you have lost your phone, ask your system administrator to reset two-factor.",
            )
            return response
        _code_failed(request, user)
        if getattr(request, "axes_locked_out", False):
            request.session.flush()
        form.add_error("code", "The security code is not correct. Check your authenticator app and try again")
    return render(request, "accounts/security_code.jinja", {"form": form})


def _qr_code_svg(data: str) -> Markup:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return Markup(svg)  # noqa: S704 - generated by qrcode from our own URL, no user text


@login_not_required
@require_http_methods(["GET", "POST"])
def set_up_two_factor(request: HttpRequest) -> HttpResponse:
    user = _second_step(request)
    if isinstance(user, HttpResponse):
        return user
    if services.confirmed_totp_device(user) is not None:
        return redirect("accounts:security_code")
    device = services.pending_totp_device(user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.confirm_two_factor(actor=Actor.for_request(request, user), user=user, device=device)
            user.otp_device = device
            next_url = request.session.get(PENDING_NEXT)
            sessions.sign_in(request=request, user=user, method="authenticator_app")
            request.session[SHOW_RECOVERY_CODES] = codes
            request.session[PENDING_NEXT] = next_url
            return redirect("accounts:recovery_codes")
        _code_failed(request, user)
        form.add_error("code", "The security code is not correct. Check the time on your phone is right and try again")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context: dict[str, Any] = {
        "form": form,
        "qr_code": _qr_code_svg(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/set_up_two_factor.jinja", context)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shown once, straight after they are made; afterwards only new ones can be made."""
    codes = request.session.pop(SHOW_RECOVERY_CODES, None)
    if request.method == "POST" or not codes:
        return redirect(_safe_next(request, request.session.pop(PENDING_NEXT, None)))
    return render(request, "accounts/recovery_codes.jinja", {"codes": codes})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    sessions.sign_out(request=request)
    request.session[sessions.SIGNED_OUT_REASON] = "signed_out"
    return redirect("accounts:sign_in")


@login_not_required
def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
    *,
    record: bool = True,
) -> HttpResponse:
    """The lockout page. django-axes calls this at the failure that locks a person (email and
    address together) out, which is audited; later attempts are audited as refusals."""
    email = normalise_email(str((credentials or {}).get("email", "")))
    if record:
        audit.record(
            action="auth.locked_out",
            actor=Actor.for_request(request, services.user_with_email(email) if email else None, label=email),
            outcome=audit.Outcome.DENIED,
        )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.jinja", {"minutes": minutes}, status=429)


def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    context = {
        "recovery_codes_left": services.remaining_recovery_codes(user),
        "two_factor": services.confirmed_totp_device(user) is not None,
        "sessions": list(user.sessions.all()),
        "current_session_key": request.session.session_key,
    }
    return render(request, "accounts/account.jinja", context)


@require_http_methods(["GET", "POST"])
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ConfirmPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.check_password(form.cleaned_data["password"]):
            request.session[SHOW_RECOVERY_CODES] = services.regenerate_recovery_codes(
                actor=actor_of(request), user=user
            )
            request.session[PENDING_NEXT] = reverse("accounts:account")
            return redirect("accounts:recovery_codes")
        audit.record(action="auth.reauthentication_failed", actor=actor_of(request), outcome=audit.Outcome.FAILURE)
        form.add_error("password", "The password is not correct")
    return render(request, "accounts/new_recovery_codes.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ChangePasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if user.check_password(form.cleaned_data["current_password"]):
            ended = sessions.change_password(request=request, user=user, new_password=form.cleaned_data["new_password"])
            note = f" You were signed out of {ended} other session{'s' if ended != 1 else ''}." if ended else ""
            messages.success(request, f"Your password has been changed.{note}")
            return redirect("accounts:account")
        audit.record(action="auth.reauthentication_failed", actor=actor_of(request), outcome=audit.Outcome.FAILURE)
        form.add_error("current_password", "Your current password is not correct")
    return render(request, "accounts/change_password.jinja", {"form": form})


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Called by the page while the person is typing or asks to stay signed in: the request
    itself restarts the idle clock (SessionLifetimeMiddleware). Nothing else changes."""
    sessions.touch_session(request=request, now=int(time.time()))
    return HttpResponse(status=204)


# Set-up and reset links, and "forgot your password" -------------------------------------------
#
# The token is in the address of these pages: they are never cached, the referrer policy keeps
# it from other sites, and the log filter (log_filters) keeps it out of log lines.


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_up_with_link(request: HttpRequest, token: str) -> HttpResponse:
    return _choose_password(request, token, LinkPurpose.SET_UP)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def reset_with_link(request: HttpRequest, token: str) -> HttpResponse:
    return _choose_password(request, token, LinkPurpose.RESET)


def _choose_password(request: HttpRequest, token: str, purpose: LinkPurpose) -> HttpResponse:
    link = services.usable_link(token=token, purpose=purpose)
    if link is None:
        return _link_unusable(request, purpose)
    form = ChoosePasswordForm(request.POST if request.method == "POST" else None, user=link.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.use_account_link(
                actor=Actor.for_request(request, link.user),
                token=token,
                purpose=purpose,
                new_password=form.cleaned_data["new_password"],
            )
        except services.LinkUnusable:  # used in another tab a moment ago
            return _link_unusable(request, purpose)
        if request.user.is_authenticated:
            # Whoever was signed in on this browser signs in again, as the link's owner.
            sessions.sign_out(request=request)
        request.session.cycle_key()
        request.session[sessions.SIGNED_OUT_REASON] = (
            "password_set" if purpose == LinkPurpose.SET_UP else "password_reset"
        )
        return redirect("accounts:sign_in")
    context = {"form": form, "purpose": str(purpose), "person": link.user}
    return render(request, "accounts/choose_password.jinja", context)


def _link_unusable(request: HttpRequest, purpose: LinkPurpose) -> HttpResponse:
    """The same page for an unknown, used, replaced or expired link: which it was is nobody's
    business but the audit log's, and even that does not get the token."""
    services.refuse_account_link(actor=Actor.for_request(request), purpose=purpose)
    return render(request, "accounts/link_unusable.jinja", {"purpose": str(purpose)}, status=410)


def _email_typed(group: str, request: HttpRequest) -> str:
    return normalise_email(str(request.POST.get("email", "")))


def _client(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _reset_limited(request: HttpRequest) -> str:
    """The rate limit reached, if one is: per email address typed (so nobody can flood one
    person's inbox) and per client address (so nobody can try many addresses). Both count every
    request. Returns the setting's rate, or ""."""
    limited = ""
    for group, key, setting in (
        ("accounts.forgot.email", _email_typed, "PASSWORD_RESET_EMAIL_RATE"),
        ("accounts.forgot.address", _client, "PASSWORD_RESET_ADDRESS_RATE"),
    ):
        rate = str(getattr(settings, setting))
        if is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True):
            limited = limited or rate
    return limited


@login_not_required
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        actor = Actor.for_request(request, services.user_with_email(email), label=email)
        rate = _reset_limited(request)
        if rate:
            audit.record(action="auth.reset_limited", actor=actor, outcome=audit.Outcome.DENIED)
            _, seconds = _split_rate(rate)
            wait = services.duration_words(timedelta(seconds=seconds))
            return render(request, "accounts/forgot_too_many.jinja", {"wait": wait}, status=429)
        services.request_password_reset(actor=actor, email=email, site_url=request.build_absolute_uri("/"))
        return redirect("accounts:reset_link_sent")
    return render(request, "accounts/forgot_password.jinja", {"form": form})


@login_not_required
def reset_link_sent(request: HttpRequest) -> HttpResponse:
    """Says the same whether or not the address has an account."""
    minutes = services.duration_words(timedelta(minutes=settings.ATTUNE_RESET_LINK_MINUTES))
    return render(request, "accounts/reset_link_sent.jinja", {"lasts": minutes})
