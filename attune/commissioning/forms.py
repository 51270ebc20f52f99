"""Forms on the funding and cost pages: they keep what was typed and say what is wrong in NHS
content style; the rules live in commissioning.services."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from attune.commissioning.services import MAX_AMOUNT, MAX_ANNUAL_COST
from attune.nhsuk_forms import fields
from attune.organisations.models import Organisation, Team
from attune.workforce.models import Post

# "£60,371.25", "60371.25", "60371": people paste amounts from finance letters.
_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_money(raw: str, message: str, maximum: Decimal, *, allow_zero: bool = False) -> Decimal:
    text = raw.strip().replace(",", "").replace(" ", "").removeprefix("£")
    if not _MONEY.match(text):
        raise forms.ValidationError(message)
    try:
        value = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise forms.ValidationError(message) from None
    if value > maximum or (value == 0 and not allow_zero):
        raise forms.ValidationError(message)
    return value


AMOUNT_MESSAGE = "Enter the amount in pounds and pence, like 60371.25"
ANNUAL_COST_MESSAGE = "Enter the annual cost in pounds and pence, like 52450.00"


def post_label(post: Post) -> str:
    holder = f" ({post.holder.full_name})" if post.holder else " (vacant)"
    return f"{post.team.name}: {post.title}{holder}"


class AgreementForm(forms.Form):
    funder = fields.SelectField(
        label="Funder",
        hint="The organisation that pays",
        error_messages={"required": "Select the funder", "invalid_choice": "Select the funder from the list"},
    )
    recipient = fields.SelectField(
        label="Recipient",
        hint="The organisation that receives the money",
        error_messages={"required": "Select the recipient", "invalid_choice": "Select the recipient from the list"},
    )
    amount = fields.CharField(
        label="Amount",
        hint="In pounds and pence, for the whole period. For example, 60371.25",
        classes="nhsuk-input--width-10",
        inputmode="decimal",
        max_length=20,
        error_messages={"required": "Enter the amount", "max_length": AMOUNT_MESSAGE},
    )
    starts_on = fields.DateField(
        label="Start date", hint="For example, 1 11 2024", error_messages={"required": "Enter the start date"}
    )
    ends_on = fields.DateField(
        label="End date", hint="For example, 31 3 2025", error_messages={"required": "Enter the end date"}
    )
    purpose = fields.CharField(
        label="What it pays for",
        hint="For example, Two recruit-to-train parent-infant therapists in Blackburn with Darwen family hubs",
        max_length=300,
        error_messages={
            "required": "Enter what the money is for",
            "max_length": "What it pays for must be 300 characters or fewer",
        },
    )
    reference = fields.CharField(
        label="Funder's reference (optional)",
        hint="Such as the council's purchase order number",
        required=False,
        max_length=100,
        classes="nhsuk-input--width-20",
        error_messages={"max_length": "Reference must be 100 characters or fewer"},
    )
    teams = fields.MultipleChoiceField(
        label="Teams it pays for",
        error_messages={"required": "Choose at least one team", "invalid_choice": "Choose teams from the list"},
    )
    posts = fields.MultipleChoiceField(
        label="Posts it pays for (optional)",
        hint="Only if the money is for particular posts",
        required=False,
        error_messages={"invalid_choice": "Choose posts from the list"},
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], teams: list[Team], posts: list[Post], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.team_map = {str(t.pk): t for t in teams}
        self.post_map = {str(p.pk): p for p in posts}
        choices = [("", "Select an organisation"), *((key, o.name) for key, o in self.organisations.items())]
        self.fields["funder"].choices = choices  # type: ignore[attr-defined]
        self.fields["recipient"].choices = choices  # type: ignore[attr-defined]
        self.fields["teams"].choices = [(key, t.name) for key, t in self.team_map.items()]  # type: ignore[attr-defined]
        self.fields["posts"].choices = [(key, post_label(p)) for key, p in self.post_map.items()]  # type: ignore[attr-defined]

    def clean_amount(self) -> Decimal:
        return parse_money(self.cleaned_data["amount"], AMOUNT_MESSAGE, MAX_AMOUNT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if isinstance(starts, dt.date) and isinstance(ends, dt.date) and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        if data.get("funder") and data.get("funder") == data.get("recipient"):
            self.add_error("recipient", "Select a recipient that is not the funder")
        chosen_teams = set(data.get("teams") or [])
        if chosen_teams and any(str(self.post_map[key].team_id) not in chosen_teams for key in data.get("posts") or []):
            self.add_error("posts", "Choose posts only in the teams the agreement pays for")
        return data

    def organisation(self, name: str) -> Organisation:
        return self.organisations[self.cleaned_data[name]]

    def chosen_teams(self) -> list[Team]:
        return [self.team_map[key] for key in self.cleaned_data["teams"]]

    def chosen_posts(self) -> list[Post]:
        return [self.post_map[key] for key in self.cleaned_data.get("posts") or []]


class PostCostForm(forms.Form):
    post = fields.SelectField(
        label="Post",
        error_messages={"required": "Select the post", "invalid_choice": "Select a post from the list"},
    )
    annual_cost = fields.CharField(
        label="Annual cost including on-costs",
        hint="Salary plus employer's pension and National Insurance, in pounds a year. For example, 52450.00",
        classes="nhsuk-input--width-10",
        inputmode="decimal",
        max_length=20,
        error_messages={"required": "Enter the annual cost", "max_length": ANNUAL_COST_MESSAGE},
    )
    effective_from = fields.DateField(
        label="Applies from",
        hint="The first day this cost applies, such as the date of a pay rise. For example, 1 4 2025",
        error_messages={"required": "Enter the date the cost applies from"},
    )
    note = fields.CharField(
        label="Note (optional)",
        hint="For example, Band 7 top of scale, 2025-26 pay award",
        required=False,
        max_length=200,
        error_messages={"max_length": "Note must be 200 characters or fewer"},
    )

    def __init__(self, *args: Any, posts: list[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post_map = {str(p.pk): p for p in posts}
        self.fields["post"].choices = [  # type: ignore[attr-defined]
            ("", "Select a post"),
            *((key, f"{p.title} ({p.holder.full_name if p.holder else 'vacant'})") for key, p in self.post_map.items()),
        ]

    def clean_annual_cost(self) -> Decimal:
        return parse_money(self.cleaned_data["annual_cost"], ANNUAL_COST_MESSAGE, MAX_ANNUAL_COST, allow_zero=True)

    def chosen_post(self) -> Post:
        return self.post_map[self.cleaned_data["post"]]
