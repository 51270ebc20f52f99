"""What a system administrator types to issue an API token, and to revoke one."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from attune.core.formatting import date_long
from attune.interop import api_services
from attune.nhsuk_forms import fields
from attune.organisations.models import Team


class IssueTokenForm(forms.Form):
    name = fields.CharField(
        label="Name of the system",
        hint="So you and the information governance lead know what calls Attune, like Blackpool health visiting record",
        max_length=100,
        error_messages={
            "required": "Enter the name of the system",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    teams = fields.MultipleChoiceField(
        label="Which teams may it act for?",
        hint="It can send referrals to these teams and read their waiting lists and suppressed reports, nothing else",
        error_messages={"required": "Select the teams this system may act for"},
    )
    expires_on = fields.DateField(
        label="Last day the token works",
        error_messages={"required": "Enter the last day the token works"},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.offered = {str(team.pk): team for team in teams}
        self.fields["teams"].choices = [(str(team.pk), team.name) for team in teams]  # type: ignore[attr-defined]
        latest = api_services.latest_expiry(self.today)
        expires = self.fields["expires_on"]
        assert isinstance(expires, fields.DateField)
        # A year unless the administrator chooses otherwise.
        expires.initial = self.today + dt.timedelta(days=api_services.DEFAULT_DAYS)
        expires.hint = f"At most 2 years from today, so no later than {date_long(latest)}"

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError("Enter the name of the system")
        return name

    def clean_expires_on(self) -> dt.date:
        expires: dt.date = self.cleaned_data["expires_on"]
        problem = api_services.expiry_problem(expires, self.today)
        if problem:
            raise forms.ValidationError(problem)
        return expires

    def chosen_teams(self) -> list[Team]:
        return [self.offered[team_id] for team_id in self.cleaned_data["teams"] if team_id in self.offered]


class RevokeTokenForm(forms.Form):
    reason = fields.TextareaField(
        label="Why are you revoking it? (optional)",
        hint="For example, the system is no longer used, or the token may have been seen by someone else",
        max_length=500,
        required=False,
        rows=3,
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )
