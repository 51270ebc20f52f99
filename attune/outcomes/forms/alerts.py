"""Recording the action taken on a risk alert (what was done, when, by whom, and a description of
what was done and decided) and reviewing it. The rules live in families.alert_rules and the
actions; the form checks them too so every problem shows at once, next to its field."""

import datetime as dt
from typing import Any

from django import forms

from attune.accounts.models import User
from attune.core.formatting import LONDON, TIME_HINT, parse_time
from attune.families import alert_rules
from attune.families.models import AlertActionKind, AlertReviewOutcome
from attune.nhsuk_forms import fields

# Where an action's refusal (families.services.AlertError.field) is shown on the form.
ACTION_FIELDS = {"actions_done": "actions_done", "done_at": "done_on", "action": "action", "done_by": "done_by"}


class AlertActionForm(forms.Form):
    actions_done = fields.MultipleChoiceField(
        label="What was done?",
        hint="Select all that apply",
        choices=AlertActionKind.choices,
        error_messages={
            "required": "Select what was done about this alert",
            "invalid_choice": "Select what was done from the list",
        },
    )
    done_on = fields.DateField(
        label="Date the action was taken",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={"required": "Enter the date the action was taken"},
    )
    done_time = fields.CharField(
        label="Time the action was taken",
        hint=TIME_HINT,
        classes="nhsuk-input--width-5",
        max_length=10,
        error_messages={
            "required": "Enter the time the action was taken",
            "max_length": "Enter a real time, like 9:30am or 14:30",
        },
    )
    done_by = fields.SelectField(
        label="Who took the action?",
        error_messages={"required": "Select who took the action", "invalid_choice": "Select who took the action"},
    )
    action = fields.TextareaField(
        label="Describe what was done and what was decided",
        hint="For example, who you spoke to, what was agreed, any referral made and the plan to keep them safe",
        max_length=4000,
        error_messages={
            "required": alert_rules.DESCRIPTION_MISSING,
            "max_length": "The description must be 4,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.fields["done_by"].choices = [(pk, person.full_name) for pk, person in self.people.items()]  # type: ignore[attr-defined]

    def clean_done_time(self) -> dt.time:
        found = parse_time(self.cleaned_data.get("done_time", ""))
        if found is None:
            raise forms.ValidationError("Enter a real time, like 9:30am or 14:30")
        return found

    def clean_action(self) -> str:
        text: str = self.cleaned_data.get("action", "")
        problem = alert_rules.description_problem(text)
        if problem:
            raise forms.ValidationError(problem)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("done_on"), data.get("done_time")
        if day is not None and time is not None:
            data["done_at"] = dt.datetime.combine(day, time, tzinfo=LONDON)
        return data

    def done_by_person(self) -> User:
        return self.people[self.cleaned_data["done_by"]]

    def add_refusal(self, field: str, message: str) -> None:
        self.add_error(ACTION_FIELDS.get(field, "action"), message)


class AlertReviewForm(forms.Form):
    outcome = fields.ChoiceField(
        label="Do you agree with the action taken?",
        choices=[
            (AlertReviewOutcome.AGREE, "Yes, I agree with the action taken"),
            (AlertReviewOutcome.FURTHER_ACTION, "No, further action is needed"),
        ],
        error_messages={
            "required": "Select whether you agree with the action taken",
            "invalid_choice": "Select whether you agree with the action taken",
        },
    )
    comment = fields.TextareaField(
        label="Comment",
        hint="If further action is needed, say what and who will do it",
        max_length=4000,
        error_messages={
            "required": "Enter a comment on the action taken",
            "max_length": "The comment must be 4,000 characters or fewer",
        },
    )

    def add_refusal(self, field: str, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)
