"""Staff accounts, for system administrators: disable or enable an account, end its sessions,
reset its two-factor sign-in. Each change asks for confirmation and is audited."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from attune.accounts import services as account_services
from attune.accounts.models import LinkPurpose
from attune.core import audit
from attune.organisations import presenters
from attune.organisations.forms import DisableAccountForm
from attune.organisations.scope import ScopedRequest


def staff_list(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    staff = list(scope.staff().order_by("full_name"))
    rows = presenters.staff_rows(staff)
    audit.record(action="staff.listed", actor=request.actor, detail={"count": len(staff)})
    return render(request, "organisations/staff_list.jinja", {"staff": staff, "rows": rows})


def staff_detail(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    member = scope.get_staff_member(user_id)
    memberships = list(member.memberships.select_related("team", "organisation").order_by("starts_on"))
    audit.record(action="staff.viewed", actor=request.actor, obj=member)
    return render(
        request,
        "organisations/staff_detail.jinja",
        {
            "member": member,
            "memberships": memberships,
            "status": presenters.account_status_tag(member),
            "sessions": member.sessions.count(),
            "two_factor": account_services.confirmed_totp_device(member) is not None,
            "is_self": member == request.user,
            "invitation_pending": not member.has_usable_password() and member.is_active,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def disable_account(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    member = request.scope.get_staff_member(user_id)
    form = DisableAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.disable_account(actor=request.actor, user=member, reason=form.cleaned_data["reason"])
        except account_services.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{member.full_name}'s account is disabled and all their sessions have ended.")
            return redirect("organisations:staff_detail", user_id=member.pk)
    return render(request, "organisations/staff_disable.jinja", {"member": member, "form": form})


ACTIONS = {
    "enable": (
        account_services.enable_account,
        "Enable {name}'s account",
        "They will be able to sign in again with their password and security code.",
        "{name}'s account is enabled.",
    ),
    "end-sessions": (
        account_services.end_all_sessions,
        "Sign {name} out everywhere",
        "Every session they have open, on any device, ends now. They can sign in again.",
        "{name} has been signed out everywhere.",
    ),
    "reset-two-factor": (
        account_services.reset_two_factor,
        "Reset {name}'s two-factor sign-in",
        "Use this when they have lost their phone. Their authenticator app and recovery codes stop "
        "working, they are signed out everywhere, and they set up a new app the next time they sign "
        "in. Check it is really them who asked.",
        "{name}'s two-factor sign-in is reset. They will set up a new authenticator app when they next sign in.",
    ),
}


@require_http_methods(["GET", "POST"])
def confirm_action(request: ScopedRequest, user_id: uuid.UUID, action: str) -> HttpResponse:
    if action == "send-reset-link":
        return send_reset_link(request, user_id)
    member = request.scope.get_staff_member(user_id)
    request.scope.found(ACTIONS.get(action), "accounts.user", user_id)
    perform, title, explanation, done = ACTIONS[action]
    error = ""
    if request.method == "POST":
        try:
            perform(actor=request.actor, user=member)
        except account_services.AccountError as problem:
            error = str(problem)
        else:
            messages.success(request, done.format(name=member.full_name))
            return redirect("organisations:staff_detail", user_id=member.pk)
    return render(
        request,
        "organisations/staff_confirm.jinja",
        {"member": member, "title": title.format(name=member.full_name), "explanation": explanation, "error": error},
    )


@require_POST
def send_reset_link(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    """No confirmation step: the link changes nothing until its owner uses it."""
    member = request.scope.get_staff_member(user_id)
    try:
        account_services.send_account_link(
            actor=request.actor, user=member, purpose=LinkPurpose.RESET, site_url=request.build_absolute_uri("/")
        )
    except account_services.AccountError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"A password reset link has been sent to {member.email}.")
    return redirect("organisations:staff_detail", user_id=member.pk)
