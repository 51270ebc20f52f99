"""The service's intervention weights form: one box for each intervention offered, and the day the
change applies from. The form reads what was typed as a number and keeps it; the range (and the
day) are the action's rules (services.change_intervention_weights), whose problems the view puts
by the right box, so an importer meets the same rules as the page."""

import re
from decimal import Decimal
from typing import Any

from django import forms

from attune.care.models import Intervention
from attune.nhsuk_forms import fields

# Digits 0-9 and at most one point: "0.75", "1", ".5". Not "²" or "٣", which Python would read
# as digits but nobody here types; not "1e3" or "NaN", which Decimal would take.
WEIGHT_TEXT = re.compile(r"(\d+(\.\d*)?|\.\d+)")
EFFECTIVE_FROM = "effective_from"


def parse_weight(text: str) -> Decimal | None:
    """The weight typed, or None when it is not a number written as people write one."""
    text = text.strip()
    if not text.isascii() or not WEIGHT_TEXT.fullmatch(text):
        return None
    return Decimal(text)


def field_name(intervention: Intervention) -> str:
    return f"weight-{intervention.code}"


class WeightsForm(forms.Form):
    effective_from = fields.DateField(
        label="Date the change applies from",
        hint="Today or a later date. Reports of periods before this date keep the weights of their time.",
        error_messages={"required": "Enter the date the change applies from"},
    )

    def __init__(self, *args: Any, interventions: list[Intervention], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interventions = {field_name(i): i for i in interventions}
        self.by_code = {i.code: name for name, i in self.interventions.items()}
        boxes: dict[str, forms.Field] = {
            name: fields.CharField(
                label=intervention.name,
                max_length=20,
                classes="nhsuk-input--width-4",
                inputmode="decimal",
                spellcheck=False,
                error_messages={
                    "required": f"Enter the weight for {intervention.name}",
                    "max_length": f"Enter the weight for {intervention.name} as a number, like 0.75",
                },
            )
            for name, intervention in self.interventions.items()
        }
        # The weights first, then the day, as the page asks them.
        self.fields = {**boxes, EFFECTIVE_FROM: self.fields[EFFECTIVE_FROM]}

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.interventions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, intervention in self.interventions.items():
            text = data.get(name)
            if text is None:
                continue  # required or too long: already said
            weight = parse_weight(text)
            if weight is None:
                self.add_error(name, f"Enter the weight for {intervention.name} as a number, like 0.75")
            else:
                data[name] = weight
        return data

    def weights(self) -> dict[Intervention, Decimal]:
        return {intervention: self.cleaned_data[name] for name, intervention in self.interventions.items()}

    def field_for(self, problem_key: str) -> str:
        """The box a problem from the action belongs by: an intervention's code, or the day."""
        return self.by_code.get(problem_key, EFFECTIVE_FROM)
