"""The MHSDS page's chooser: which team and which month. A GET form, so the address names both and
the report can be opened again."""

import datetime as dt
from typing import Any

from django import forms

from attune.interop.mhsds_load import Month, month_of
from attune.nhsuk_forms import fields
from attune.organisations.models import Team

# A trust resubmits a month for up to a year; two years covers any late correction.
MONTHS_OFFERED = 24


def months_offered(today: dt.date) -> list[Month]:
    """The current month and the 23 before it, newest first."""
    found = [month_of(today)]
    while len(found) < MONTHS_OFFERED:
        found.append(month_of(found[-1].start - dt.timedelta(days=1)))
    return found


def default_month(today: dt.date) -> Month:
    """The month a trust submits next: the one that has just ended."""
    return month_of(month_of(today).start - dt.timedelta(days=1))


class ExtractForm(forms.Form):
    team = fields.SelectField(
        label="Team",
        error_messages={"required": "Select the team", "invalid_choice": "Select one of your teams"},
    )
    month = fields.SelectField(
        label="Month",
        hint="The month the return is for",
        error_messages={"required": "Select the month", "invalid_choice": "Select a month in the last two years"},
    )

    def __init__(self, *args: Any, teams: list[Team], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.months = {month.key: month for month in months_offered(today)}
        self.fields["team"].choices = [(pk, team.name) for pk, team in self.teams.items()]  # type: ignore[attr-defined]
        self.fields["month"].choices = [(key, month.label) for key, month in self.months.items()]  # type: ignore[attr-defined]

    def chosen_team(self) -> Team:
        return self.teams[self.cleaned_data["team"]]

    def chosen_month(self) -> Month:
        return self.months[self.cleaned_data["month"]]
