"""The staff entry form for one measure, built from the instrument's definition: one fieldset of
radios per option item (labels as printed, or for a measure whose wording is not shipped, the
item number and response positions), a number box with its range for a rating, then the date it
was completed and the time point. The rules (whom it fits, dates, risk) live in services."""

from typing import Any

from django import forms

from attune.nhsuk_forms import fields
from attune.outcomes.forms.questions import answer_message, rating_message
from attune.outcomes.instruments import Instrument, Item
from attune.outcomes.models import TimePoint
from attune.outcomes.services import ASQSE2_INTERVALS

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


class NumberField(fields.NhsukField, forms.IntegerField):
    """A whole number typed into a number box carrying its range (min and max attributes)."""

    component_template = "outcomes/entry/_number_input.jinja"
    input_type = "number"


def item_label(instrument: Instrument, item: Item) -> str:
    """The item's legend: its number, then its wording or descriptor where one ships (or the
    service loaded licensed wording); just "Item 3" where none may be shown (EPDS)."""
    if not item.text:
        return f"Item {item.number}"
    return f"{item.number}. {item.text}" if len(instrument.items) > 1 else item.text


def option_labels(instrument: Instrument, item: Item) -> list[str]:
    """Options as printed; where the wording is not shipped, the printed position says which is which."""
    if item.text:
        return [option.label for option in item.options]
    return [
        f"{option.label} ({ORDINALS[index] if index < len(ORDINALS) else index + 1} printed)"
        for index, option in enumerate(item.options)
    ]


class MeasureForm(forms.Form):
    completed_on = fields.DateField(
        label="Date completed",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={"required": "Enter the date the measure was completed"},
    )
    time_point = fields.ChoiceField(
        label="Time point",
        choices=TimePoint.choices,
        error_messages={"required": "Select the time point", "invalid_choice": "Select the time point"},
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        item_fields: dict[str, forms.Field] = {}
        for item in instrument.items:
            name = f"item_{item.number}"
            if item.numeric:
                message = rating_message(instrument, item)
                item_fields[name] = NumberField(
                    label=item_label(instrument, item),
                    hint=f"A whole number from {item.minimum} to {item.maximum}",
                    min_value=item.minimum,
                    max_value=item.maximum,
                    classes="nhsuk-input--width-4",
                    inputmode="numeric",
                    label_classes="nhsuk-label--s",
                    error_messages={
                        "required": message,
                        "invalid": message,
                        "min_value": message,
                        "max_value": message,
                    },
                )
            else:
                item_fields[name] = fields.ChoiceField(
                    label=item_label(instrument, item),
                    choices=[(str(i), label) for i, label in enumerate(option_labels(instrument, item))],
                    error_messages={
                        "required": answer_message(instrument, item),
                        "invalid_choice": answer_message(instrument, item),
                    },
                )
        extra: dict[str, forms.Field] = {}
        if instrument.code == "ASQSE2":
            extra["bands_key"] = fields.ChoiceField(
                label="Which ASQ:SE-2 age interval was used?",
                choices=[(f"{months} months", f"{months} months") for months in ASQSE2_INTERVALS],
                error_messages={
                    "required": "Select the ASQ:SE-2 age interval used",
                    "invalid_choice": "Select the ASQ:SE-2 age interval used",
                },
            )
        # Items first, in order, then the date and time point (the order a person works in).
        self.fields = {**item_fields, **extra, **self.fields}

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.number}"] for item in self.instrument.items]

    def answers(self) -> list[int | None]:
        return [int(self.cleaned_data[f"item_{item.number}"]) for item in self.instrument.items]
