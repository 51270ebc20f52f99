"""Forms for the people pages: inviting someone, giving and ending roles, moving teams, leaving.

A role is chosen as one value naming the role and where it is held ("team:<id>:trainee" or
"organisation:<id>:ig_lead"), offered only in the administrator's own organisations; the
actions check the place again, so a forged value is refused there too."""

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from attune.nhsuk_forms import fields
from attune.organisations.models import Organisation, Team
from attune.organisations.roles import ORGANISATION_ROLES, TEAM_ROLES, Role
from attune.organisations.services import RoleGrant

OUTSIDE = "Select a role from the list. Only teams in your organisation can be chosen"
ROLE_ORDER = list(Role)


def teams_of(organisations: Iterable[Organisation]) -> list[Team]:
    return list(Team.objects.with_context().filter(service__provider__in=list(organisations)).order_by("name"))


def role_choices(teams: list[Team], organisations: list[Organisation]) -> list[tuple[str, str]]:
    choices = []
    for team in teams:
        for role in sorted(TEAM_ROLES, key=ROLE_ORDER.index):
            choices.append((f"team:{team.pk}:{role.value}", f"{role.label}, {team.name}"))
    for organisation in organisations:
        for role in sorted(ORGANISATION_ROLES, key=ROLE_ORDER.index):
            choices.append((f"organisation:{organisation.pk}:{role.value}", f"{role.label}, {organisation.name}"))
    return choices


def _place(
    value: str, teams: list[Team], organisations: list[Organisation]
) -> tuple[Role, Team | None, Organisation | None]:
    kind, pk, role = value.split(":")
    if kind == "team":
        return Role(role), next(t for t in teams if str(t.pk) == pk), None
    return Role(role), None, next(o for o in organisations if str(o.pk) == pk)


class DatesMixin(forms.Form):
    starts_on = fields.DateField(
        label="Start date",
        hint="For example, 3 2 2025. Leave it blank to start today",
        required=False,
    )
    ends_on = fields.DateField(label="End date (optional)", hint="For example, 31 3 2026", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") is None and not self.has_error("starts_on"):
            data["starts_on"] = timezone.localdate()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts is not None and ends is not None and ends < starts:
            self.add_error("ends_on", "End date must be the same as or after the start date")
        return data


class InviteForm(DatesMixin, forms.Form):
    full_name = fields.CharField(
        label="Full name",
        autocomplete="off",
        spellcheck=False,
        max_length=200,
        error_messages={"required": "Enter their full name", "max_length": "Full name must be 200 characters or fewer"},
    )
    email = fields.EmailField(
        label="Email address",
        hint="Their work email address. The link to set up their account is sent here",
        autocomplete="off",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    roles = fields.MultipleChoiceField(
        label="Roles",
        hint="Select all that apply",
        error_messages={"required": "Select at least one role", "invalid_choice": OUTSIDE},
    )
    field_order = ["full_name", "email", "roles", "starts_on", "ends_on"]

    def __init__(self, *args: Any, teams: list[Team], organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams, self.organisations = teams, organisations
        self.fields["roles"].choices = role_choices(teams, organisations)  # type: ignore[attr-defined]

    def grants(self) -> list[RoleGrant]:
        data = self.cleaned_data
        grants = []
        for value in data["roles"]:
            role, team, organisation = _place(value, self.teams, self.organisations)
            grants.append(
                RoleGrant(
                    role=role,
                    team=team,
                    organisation=organisation,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            )
        return grants


class GiveRoleForm(DatesMixin, forms.Form):
    role = fields.SelectField(
        label="Role",
        hint="The role and the team (or organisation) it is held in",
        error_messages={"required": "Select a role", "invalid_choice": OUTSIDE},
    )
    field_order = ["role", "starts_on", "ends_on"]

    def __init__(self, *args: Any, teams: list[Team], organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams, self.organisations = teams, organisations
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", "Select a role"),
            *role_choices(teams, organisations),
        ]

    def grant(self) -> RoleGrant:
        data = self.cleaned_data
        role, team, organisation = _place(data["role"], self.teams, self.organisations)
        return RoleGrant(
            role=role, team=team, organisation=organisation, starts_on=data["starts_on"], ends_on=data["ends_on"]
        )


def _reason(label: str, required: str) -> fields.TextareaField:
    return fields.TextareaField(
        label=label,
        hint="This is kept in the audit log",
        max_length=500,
        rows=3,
        error_messages={"required": required, "max_length": "Reason must be 500 characters or fewer"},
    )


class EndRoleForm(forms.Form):
    ends_on = fields.DateField(
        label="Last day in the role",
        hint="For example, 31 3 2026. They hold the role until the end of this day",
        error_messages={"required": "Enter the last day in the role"},
    )
    reason = _reason("Why is the role ending?", "Enter why the role is ending")


class MoveForm(forms.Form):
    to_team = fields.SelectField(
        label="Team they are moving to",
        error_messages={"required": "Select the team they are moving to", "invalid_choice": OUTSIDE},
    )
    moves_on = fields.DateField(
        label="First day in the new team",
        hint="For example, 1 4 2026. Their role in the old team ends the day before",
        error_messages={"required": "Enter the first day in the new team"},
    )
    reason = _reason("Why are they moving?", "Enter why they are moving")

    def __init__(self, *args: Any, teams: list[Team], current: uuid.UUID | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = [t for t in teams if t.pk != current]
        choices = [("", "Select a team"), *((str(t.pk), t.name) for t in self.teams)]
        self.fields["to_team"].choices = choices  # type: ignore[attr-defined]

    def team(self) -> Team:
        return next(t for t in self.teams if str(t.pk) == self.cleaned_data["to_team"])


class LeavingForm(forms.Form):
    leaving_on = fields.DateField(
        label="Leaving date",
        hint="Their last working day, for example, 31 3 2026. Every role ends and the account is disabled on this day",
        error_messages={"required": "Enter their leaving date"},
    )
    reason = _reason("Why are they leaving?", "Enter why they are leaving")
