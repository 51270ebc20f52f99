"""The team's schedule of measures: the form to add or change a row. It checks what was typed
(numbers, ranges) and says what is wrong in NHS content style; the rules about which measures
and time points fit together live in outcomes.schedules, so they hold whoever calls them."""

from typing import Any

from django import forms

from attune.core.validators import whole_number
from attune.nhsuk_forms import fields
from attune.outcomes import instruments
from attune.outcomes.models import TimePoint
from attune.outcomes.presenters.progress import measure_label
from attune.outcomes.schedules import MAX_MONTHS, MAX_WEEKS, ScheduleEntry, ScheduleError, check_entry


def measure_choices() -> list[tuple[str, str]]:
    return [(i.code, measure_label(i)) for i in sorted(instruments.all_instruments(), key=lambda i: i.name)]


class WholeNumberField(fields.CharField):
    """A whole number typed into a text box (the NHS.UK pattern: inputmode numeric, not type=number)."""

    def __init__(self, *args: Any, lowest: int, highest: int, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("classes", "nhsuk-input--width-3")
        kwargs.setdefault("spellcheck", False)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.lowest, self.highest, self.message = lowest, highest, message

    def clean(self, value: Any) -> int | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        number = whole_number(text)
        if number is None or not self.lowest <= number <= self.highest:
            raise forms.ValidationError(self.message)
        return number


class ScheduleForm(forms.Form):
    instrument = fields.SelectField(
        label="Measure",
        error_messages={"required": "Select a measure", "invalid_choice": "Select a measure from the list"},
    )
    time_point = fields.ChoiceField(
        label="Time point",
        choices=[(value, label) for value, label in TimePoint.choices if value != TimePoint.OTHER],
        error_messages={"required": "Select the time point", "invalid_choice": "Select the time point"},
    )
    weeks_after_start = WholeNumberField(
        label="Weeks after the episode starts",
        hint=f"0 for the first weeks of assessment, 12 for a review at 3 months. Up to {MAX_WEEKS}. "
        "Leave blank for a discharge measure: it is due when the family is discharged.",
        lowest=0,
        highest=MAX_WEEKS,
        message=f"Weeks after the start must be a whole number from 0 to {MAX_WEEKS}",
    )
    infant_min_months = WholeNumberField(
        label="Youngest age of the baby, in months (optional)",
        hint="Only for a measure about a baby or the relationship. Leave blank for no lower limit.",
        lowest=0,
        highest=MAX_MONTHS,
        message=f"Youngest age must be a whole number of months from 0 to {MAX_MONTHS}",
    )
    infant_max_months = WholeNumberField(
        label="Oldest age of the baby, in months (optional)",
        hint="Leave blank for no upper limit.",
        lowest=0,
        highest=MAX_MONTHS,
        message=f"Oldest age must be a whole number of months from 0 to {MAX_MONTHS}",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "Select a measure"), *measure_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            check_entry(self.entry())
        except ScheduleError as error:
            self.add_error(error.field or None, str(error))
        return cleaned

    def entry(self) -> ScheduleEntry:
        data = self.cleaned_data
        return ScheduleEntry(
            instrument=data["instrument"],
            time_point=data["time_point"],
            weeks_after_start=data.get("weeks_after_start"),
            infant_min_months=data.get("infant_min_months"),
            infant_max_months=data.get("infant_max_months"),
        )


class RemoveScheduleForm(forms.Form):
    """Nothing to fill in: the button confirms."""
