"""People, for system administrators: invite someone, give and end their roles, move them to
another team, record that they are leaving. The rules live in the actions (services.py), which
refuse a change to one's own roles whatever page asked."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attune.accounts.models import User
from attune.core import audit
from attune.core.formatting import date_long
from attune.organisations import people_forms, services
from attune.organisations.models import Membership, Organisation, Team
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest


def _person(request: ScopedRequest, user_id: uuid.UUID) -> User:
    """The staff member a page is about; showing their roles on a form is a read of their record."""
    person = request.scope.get_staff_member(user_id)
    if request.method == "GET":
        audit.record(action="staff.viewed", actor=request.actor, obj=person)
    return person


def _places(request: ScopedRequest) -> tuple[list[Team], list[Organisation]]:
    organisations = list(request.scope.organisations(Capability.MANAGE_ACCOUNTS))
    return people_forms.teams_of(organisations), organisations


@require_http_methods(["GET", "POST"])
def invite(request: ScopedRequest) -> HttpResponse:
    request.scope.require(Capability.MANAGE_ACCOUNTS, "accounts.user")
    request.scope.acting_for_organisation(Capability.MANAGE_ACCOUNTS)
    teams, organisations = _places(request)
    form = people_forms.InviteForm(request.POST or None, teams=teams, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invite_person(
                actor=request.actor,
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                roles=form.grants(),
                site_url=request.build_absolute_uri("/"),
            )
        except services.MembershipError as error:
            form.add_error("email" if "already has an account" in str(error) else "roles", str(error))
        else:
            messages.success(request, f"Invitation sent to {person.email}. The link works for 7 days.")
            return redirect("organisations:staff_detail", user_id=person.pk)
    return render(request, "organisations/people/invite.jinja", {"form": form})


@require_POST
def resend_invitation(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    person = request.scope.get_staff_member(user_id)
    try:
        services.resend_invitation(actor=request.actor, user=person, site_url=request.build_absolute_uri("/"))
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Invitation sent again to {person.email}. The link works for 7 days; the earlier one has stopped working.",
        )
    return redirect("organisations:staff_detail", user_id=person.pk)


@require_http_methods(["GET", "POST"])
def give_role(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    person = _person(request, user_id)
    teams, organisations = _places(request)
    form = people_forms.GiveRoleForm(request.POST or None, teams=teams, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.give_role(actor=request.actor, user=person, grant=form.grant())
        except services.MembershipError as error:
            form.add_error("role", str(error))
        else:
            messages.success(request, f"{person.full_name} is now {membership.label}.")
            return redirect("organisations:staff_detail", user_id=person.pk)
    return render(request, "organisations/people/give_role.jinja", {"person": person, "form": form})


def _membership(request: ScopedRequest, person_id: uuid.UUID, membership_id: uuid.UUID) -> tuple[User, Membership]:
    person = _person(request, person_id)
    membership = request.scope.found(
        person.memberships.select_related("team__service", "organisation").filter(pk=membership_id).first(),
        "organisations.membership",
        membership_id,
    )
    return person, membership


@require_http_methods(["GET", "POST"])
def end_role(request: ScopedRequest, user_id: uuid.UUID, membership_id: uuid.UUID) -> HttpResponse:
    person, membership = _membership(request, user_id, membership_id)
    form = people_forms.EndRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ends_on = form.cleaned_data["ends_on"]
        try:
            services.end_role(
                actor=request.actor, membership=membership, ends_on=ends_on, reason=form.cleaned_data["reason"]
            )
        except services.MembershipError as error:
            form.add_error("ends_on", str(error))
        else:
            messages.success(request, f"{person.full_name}'s role as {membership.label} ends on {date_long(ends_on)}.")
            return redirect("organisations:staff_detail", user_id=person.pk)
    return render(
        request, "organisations/people/end_role.jinja", {"person": person, "membership": membership, "form": form}
    )


@require_http_methods(["GET", "POST"])
def move(request: ScopedRequest, user_id: uuid.UUID, membership_id: uuid.UUID) -> HttpResponse:
    person, membership = _membership(request, user_id, membership_id)
    teams, _ = _places(request)
    form = people_forms.MoveForm(request.POST or None, teams=teams, current=membership.team_id)
    if request.method == "POST" and form.is_valid():
        to_team = form.team()
        try:
            moved = services.move_to_team(
                actor=request.actor,
                membership=membership,
                to_team=to_team,
                moves_on=form.cleaned_data["moves_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.MembershipError as error:
            form.add_error("moves_on", str(error))
        else:
            messages.success(
                request,
                f"{person.full_name} moves to {to_team.name} on {date_long(moved.starts_on)}, as {moved.get_role_display().lower()}.",
            )
            return redirect("organisations:staff_detail", user_id=person.pk)
    return render(
        request, "organisations/people/move.jinja", {"person": person, "membership": membership, "form": form}
    )


@require_http_methods(["GET", "POST"])
def leaving(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    person = _person(request, user_id)
    form = people_forms.LeavingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        leaving_on = form.cleaned_data["leaving_on"]
        try:
            services.record_leaving(
                actor=request.actor, user=person, leaving_on=leaving_on, reason=form.cleaned_data["reason"]
            )
        except (services.MembershipError, services.account_services.AccountError) as error:
            form.add_error("leaving_on", str(error))
        else:
            messages.success(
                request,
                f"{person.full_name} leaves on {date_long(leaving_on)}: every role ends and the account is disabled on that day.",
            )
            return redirect("dashboards:handover", user_id=person.pk)
    return render(request, "organisations/people/leaving.jinja", {"person": person, "form": form})
