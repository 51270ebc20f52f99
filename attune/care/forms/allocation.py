"""The allocation, transfer and capacity forms. Rules that need the database (capacity, the
referral still waiting) live in the services; a form collects what the person chose, keeps it,
and puts each problem by its field."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from attune.care.services import MAX_CONTRACTED_HOURS, MAX_WEIGHTED_CASELOAD
from attune.nhsuk_forms import fields

OVERRIDE_HINT = (
    "Only needed if this takes someone past their maximum weighted caseload. It is kept in the episode's history."
)


class HintedRadios(fields.ChoiceField):
    """Radios with a hint under each choice (`item_hints`, by value)."""

    component_template = "care/waiting/_radios.jinja"

    def __init__(self, *args: Any, item_hints: dict[str, str] | None = None, **kwargs: Any) -> None:
        self.item_hints = item_hints or {}
        super().__init__(*args, **kwargs)


class HintedCheckboxes(fields.MultipleChoiceField):
    """Checkboxes with a hint under each choice (`item_hints`, by value)."""

    component_template = "care/waiting/_checkboxes.jinja"

    def __init__(self, *args: Any, item_hints: dict[str, str] | None = None, **kwargs: Any) -> None:
        self.item_hints = item_hints or {}
        super().__init__(*args, **kwargs)


def _override_reason() -> fields.TextareaField:
    return fields.TextareaField(
        label="Reason for going past capacity (optional)",
        hint=OVERRIDE_HINT,
        required=False,
        max_length=1000,
        rows=3,
        error_messages={"max_length": "Reason must be 1000 characters or fewer"},
    )


Choices = list[tuple[str, str]]


class AllocationForm(forms.Form):
    lead = HintedRadios(
        label="Lead practitioner",
        choices=[],
        error_messages={
            "required": "Select the lead practitioner",
            "invalid_choice": "Select the lead practitioner",
        },
    )
    co_worker = fields.SelectField(
        label="Co-worker (optional)",
        hint="To allocate the family to a pair. The work counts on both caseloads.",
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Select a co-worker from the list, or none"},
    )
    interventions = HintedCheckboxes(
        label="Interventions",
        hint="Select all that apply. The episode weighs as much as its heaviest intervention.",
        choices=[],
        error_messages={
            "required": "Select at least one intervention",
            "invalid_choice": "Select interventions from the list",
        },
    )
    participants = fields.MultipleChoiceField(
        label="Who in the family takes part?",
        choices=[],
        error_messages={
            "required": "Select who in the family takes part",
            "invalid_choice": "Select who takes part from the list",
        },
    )
    planned_review_on = fields.DateField(
        label="Planned review date (optional)",
        hint="For example, 15 3 2027",
        required=False,
        error_messages={
            "incomplete": "Planned review date must include a {missing}",
            "invalid": "Planned review date must be a real date",
        },
    )
    override_reason = _override_reason()

    def __init__(
        self,
        *args: Any,
        practitioners: Choices,
        practitioner_hints: dict[str, str],
        interventions: Choices,
        intervention_hints: dict[str, str],
        participants: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        lead: Any = self.fields["lead"]
        lead.choices = practitioners
        lead.item_hints = practitioner_hints
        co_worker: Any = self.fields["co_worker"]
        co_worker.choices = [("", "None"), *practitioners]
        chosen: Any = self.fields["interventions"]
        chosen.choices = interventions
        chosen.item_hints = intervention_hints
        people: Any = self.fields["participants"]
        people.choices = participants
        if not self.is_bound:
            self.initial.setdefault("participants", [value for value, _ in participants])

    def clean_planned_review_on(self) -> date | None:
        day: date | None = self.cleaned_data.get("planned_review_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Planned review date must be today or in the future")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead") and data.get("co_worker") and data["lead"] == data["co_worker"]:
            self.add_error("co_worker", "Choose a different person as co-worker, or none")
        return data


class TransferForm(forms.Form):
    to = HintedRadios(
        label="Who should lead the work with this family now?",
        choices=[],
        error_messages={
            "required": "Select who should lead the work with this family",
            "invalid_choice": "Select who should lead the work with this family",
        },
    )
    reason = fields.TextareaField(
        label="Why is the episode being transferred?",
        hint="For example, the family has moved to Blackburn and will be seen at a family hub there. "
        "It is kept in the episode's history.",
        max_length=1000,
        rows=3,
        error_messages={
            "required": "Enter why the episode is being transferred",
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )
    override_reason = _override_reason()

    def __init__(self, *args: Any, choices: Choices, hints: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to: Any = self.fields["to"]
        to.choices = choices
        to.item_hints = hints


class DecimalText(fields.CharField):
    """A number typed in a text box (the NHS.UK pattern: no spinner), read as a Decimal."""

    def __init__(self, *args: Any, invalid: str, **kwargs: Any) -> None:
        self.invalid = invalid
        kwargs.setdefault("classes", "nhsuk-input--width-4")
        kwargs.setdefault("inputmode", "decimal")
        kwargs.setdefault("spellcheck", False)
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            raise forms.ValidationError(self.invalid, code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.invalid, code="invalid")
        return number


class CapacityForm(forms.Form):
    contracted_hours = DecimalText(
        label="Contracted hours a week",
        hint="For example, 37.5 for full time or 22.5 for 3 days a week. Between 0 and 60.",
        invalid="Enter contracted hours as a number, like 37.5",
        error_messages={"required": "Enter contracted hours a week", "max_length": "Enter a number, like 37.5"},
    )
    max_weighted_caseload = DecimalText(
        label="Maximum weighted caseload",
        hint="The most the caseload should weigh. Each family counts as the weight of its heaviest "
        "intervention, for example 1 for parent-infant psychotherapy. Between 0 and 50.",
        invalid="Enter the maximum weighted caseload as a number, like 12",
        error_messages={"max_length": "Enter a number, like 12"},
        required=False,
    )

    def __init__(self, *args: Any, team_default_hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if team_default_hint:
            # Empty means "use the team's default", so the hint says what that is.
            field = self.fields["max_weighted_caseload"]
            field.hint = f"{team_default_hint} {field.hint}"  # type: ignore[attr-defined]

    def clean_contracted_hours(self) -> Decimal | None:
        hours: Decimal | None = self.cleaned_data.get("contracted_hours")
        if hours is not None and not Decimal("0") <= hours <= MAX_CONTRACTED_HOURS:
            raise forms.ValidationError(f"Contracted hours must be between 0 and {MAX_CONTRACTED_HOURS} a week")
        return hours

    def clean_max_weighted_caseload(self) -> Decimal | None:
        maximum: Decimal | None = self.cleaned_data.get("max_weighted_caseload")
        if maximum is not None and not Decimal("0") <= maximum <= MAX_WEIGHTED_CASELOAD:
            raise forms.ValidationError(f"Maximum weighted caseload must be between 0 and {MAX_WEIGHTED_CASELOAD}")
        return maximum
