"""Forms on the family pages. Each error says what to do, in NHS content style."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from attune.core.validators import is_valid_nhs_number, normalise_nhs_number
from attune.families.codes import SafeguardingKind
from attune.nhsuk_forms import fields


class RaiseFlagForm(forms.Form):
    kind = fields.ChoiceField(
        label="What is the safeguarding concern?",
        choices=SafeguardingKind.choices,
        error_messages={
            "required": "Select the kind of safeguarding concern",
            "invalid_choice": "Select the kind of safeguarding concern",
        },
    )
    detail = fields.TextareaField(
        label="Details (optional)",
        hint="For example, the name of the social worker and the date of the plan. Everyone who opens "
        "this family's pages will see this.",
        required=False,
        max_length=500,
        rows=3,
        error_messages={"max_length": "Details must be 500 characters or fewer"},
    )


class RemoveFlagForm(forms.Form):
    reason = fields.TextareaField(
        label="Why does this safeguarding flag no longer apply?",
        hint="For example, the child protection plan ended on 3 March. This is kept with the flag's history.",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why this safeguarding flag no longer applies",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )


class RecordBirthForm(forms.Form):
    date_of_birth = fields.DateField(
        label="Date of birth",
        hint="For example, 15 3 2027",
        error_messages={"required": "Enter the baby's date of birth"},
    )
    given_name = fields.CharField(
        label="First name",
        max_length=100,
        autocomplete="off",
        spellcheck=False,
        error_messages={
            "required": "Enter the baby's first name",
            "max_length": "First name must be 100 characters or fewer",
        },
    )
    family_name = fields.CharField(
        label="Last name",
        max_length=100,
        autocomplete="off",
        spellcheck=False,
        error_messages={
            "required": "Enter the baby's last name",
            "max_length": "Last name must be 100 characters or fewer",
        },
    )
    nhs_number = fields.CharField(
        label="NHS number (optional)",
        hint="A 10 digit number, like 485 777 3456. Leave this empty if the baby does not have one yet.",
        required=False,
        max_length=14,
        classes="nhsuk-input--width-10",
        inputmode="numeric",
        autocomplete="off",
        spellcheck=False,
        error_messages={"max_length": "NHS number must be 10 digits"},
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise forms.ValidationError("Date of birth must be today or in the past")
        return born

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"].strip()
        if not value:
            return ""
        if any(ch not in "0123456789 -" for ch in value):
            raise forms.ValidationError("NHS number must only include numbers")
        if len(normalise_nhs_number(value)) != 10:
            raise forms.ValidationError("NHS number must be 10 digits")
        if not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number. Check you have copied it correctly")
        return normalise_nhs_number(value)


class MergeForm(forms.Form):
    reason = fields.TextareaField(
        label="Why are these the same family?",
        hint="For example, the same mother and due date; the referrer confirmed the address. "
        "This is kept with the record of the merge.",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why these are the same family",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
