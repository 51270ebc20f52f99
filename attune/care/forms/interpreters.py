"""Booking, and cancelling, an interpreter for an appointment. The form keeps what was typed; the
action (care/interpreters.py) decides what is allowed, and its refusals go next to their field."""

from typing import Any

from django import forms

from attune.care.models import InterpreterMode
from attune.nhsuk_forms import fields

PROFESSIONAL = "professional"
NOBODY_IN_PARTICULAR = "none"


class InterpreterForm(forms.Form):
    carer = fields.ChoiceField(
        label="Who is the interpreter for?",
        error_messages={
            "required": "Select who the interpreter is for",
            "invalid_choice": "Select who the interpreter is for",
        },
    )
    language = fields.CharField(
        label="Language",
        hint="For example, Polish",
        max_length=100,
        classes="nhsuk-u-width-two-thirds",
        error_messages={
            "required": "Enter the language the interpreter needs to speak",
            "max_length": "Language must be 100 characters or fewer",
        },
    )
    dialect = fields.CharField(
        label="Dialect (optional)",
        required=False,
        max_length=100,
        classes="nhsuk-u-width-two-thirds",
        error_messages={"max_length": "Dialect must be 100 characters or fewer"},
    )
    provider = fields.CharField(
        label="Interpreting service or interpreter",
        hint="The agency or service booked, or the interpreter's name",
        max_length=200,
        error_messages={
            "required": "Enter the interpreting service or the interpreter's name",
            "max_length": "Interpreting service must be 200 characters or fewer",
        },
    )
    mode = fields.ChoiceField(
        label="How will the interpreter join?",
        choices=InterpreterMode.choices,
        error_messages={
            "required": "Select how the interpreter will join the appointment",
            "invalid_choice": "Select how the interpreter will join the appointment",
        },
    )
    reference = fields.CharField(
        label="Booking reference (optional)",
        required=False,
        max_length=100,
        classes="nhsuk-input--width-20",
        error_messages={"max_length": "Booking reference must be 100 characters or fewer"},
    )
    professional = fields.MultipleChoiceField(
        label="Professional interpreter",
        choices=[(PROFESSIONAL, "I confirm the interpreter is a professional, not a family member, friend or child")],
        error_messages={"required": "Confirm the interpreter is a professional, not a family member or friend"},
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        """`people`: the family's carers, as (id, name) choices."""
        super().__init__(*args, **kwargs)
        self.fields["carer"].choices = [*people, (NOBODY_IN_PARTICULAR, "Someone else or the whole family")]  # type: ignore[attr-defined]

    def carer_id(self) -> str | None:
        chosen = self.cleaned_data["carer"]
        return None if chosen == NOBODY_IN_PARTICULAR else chosen


class CancelInterpreterForm(forms.Form):
    reason = fields.TextareaField(
        label="Why is the interpreter booking being cancelled?",
        hint="For example, the appointment moved, or the family no longer needs an interpreter",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why the interpreter booking is being cancelled",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
