"""Forms on the episode pages. A form collects what the person typed, keeps it and says what is
missing in NHS content style; the rules themselves (who may take part, how many goals, when a
family can be discharged) live in care.services, so they hold whoever calls them."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from attune.care.codes import Attendance, DischargeReason
from attune.care.models import CANCELLED, Intervention
from attune.families.models import Carer, Infant
from attune.nhsuk_forms import fields


class EpisodeDetailsForm(forms.Form):
    interventions = fields.MultipleChoiceField(
        label="Interventions offered",
        hint="Select all that apply",
        error_messages={
            "required": "Select at least one intervention",
            "invalid_choice": "Select interventions from the list",
        },
    )
    infants = fields.MultipleChoiceField(
        label="Babies and children taking part",
        required=False,
        error_messages={"invalid_choice": "Select babies and children from this family"},
    )
    carers = fields.MultipleChoiceField(
        label="Parents and carers taking part",
        required=False,
        error_messages={"invalid_choice": "Select parents and carers from this family"},
    )
    planned_review_on = fields.DateField(
        label="Planned review date (optional)",
        hint="For example, 15 3 2027",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        interventions: list[Intervention],
        infants: list[Infant],
        carers: list[Carer],
        was_review_on: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.was_review_on = was_review_on
        self._interventions = {str(i.pk): i for i in interventions}
        self._infants = {str(i.pk): i for i in infants}
        self._carers = {str(c.pk): c for c in carers}
        self.fields["interventions"].choices = [(pk, i.name) for pk, i in self._interventions.items()]  # type: ignore[attr-defined]
        self.fields["infants"].choices = [(pk, i.display_name) for pk, i in self._infants.items()]  # type: ignore[attr-defined]
        self.fields["carers"].choices = [  # type: ignore[attr-defined]
            (pk, f"{c.full_name} ({c.get_relationship_display().lower()})") for pk, c in self._carers.items()
        ]

    def clean_planned_review_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("planned_review_on")
        if day is not None and day != self.was_review_on and day < timezone.localdate():
            raise forms.ValidationError("Planned review date must be today or in the future")
        return day

    def chosen_interventions(self) -> list[Intervention]:
        return [self._interventions[pk] for pk in self.cleaned_data["interventions"]]

    def chosen_infants(self) -> list[Infant]:
        return [self._infants[pk] for pk in self.cleaned_data["infants"]]

    def chosen_carers(self) -> list[Carer]:
        return [self._carers[pk] for pk in self.cleaned_data["carers"]]


class GoalForm(forms.Form):
    carer = fields.ChoiceField(
        label="Whose goal is it?",
        error_messages={"required": "Select whose goal it is", "invalid_choice": "Select whose goal it is"},
    )
    description = fields.TextareaField(
        label="The goal, in the parent's words",
        hint="For example, “I want to enjoy playing with her and not feel so anxious.”",
        max_length=300,
        rows=3,
        error_messages={
            "required": "Enter the goal in the parent's words",
            "max_length": "Goal must be 300 characters or fewer",
        },
    )

    def __init__(self, *args: Any, carers: list[Carer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._carers = {str(c.pk): c for c in carers}
        self.fields["carer"].choices = [(pk, c.full_name) for pk, c in self._carers.items()]  # type: ignore[attr-defined]

    def chosen_carer(self) -> Carer:
        return self._carers[self.cleaned_data["carer"]]


SCORES = [(str(n), str(n)) for n in range(11)]


class RateGoalForm(forms.Form):
    score = fields.ChoiceField(
        label="How close is the parent to their goal now?",
        hint="0 means not at all, 10 means the goal is reached. Ask the parent to choose.",
        choices=SCORES,
        inline=True,
        error_messages={
            "required": "Select a rating from 0 to 10",
            "invalid_choice": "Select a rating from 0 to 10",
        },
    )
    rated_on = fields.DateField(
        label="Date of the rating",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={"required": "Enter the date of the rating"},
    )


CANCEL_AND_DISCHARGE = "yes"


class DischargeForm(forms.Form):
    """The reason and summary; when appointments are still booked (`booked` of them), also
    whether to cancel them all with this discharge, and why (the cancellation codes one
    appointment's own page offers for an appointment still to come)."""

    reason = fields.ChoiceField(
        label="Why is the family being discharged?",
        choices=DischargeReason.choices,
        error_messages={
            "required": "Select the reason for discharge",
            "invalid_choice": "Select the reason for discharge",
        },
    )
    summary = fields.TextareaField(
        label="Discharge summary for the referrer and GP",
        hint="What the work was, what changed for the baby and parents, and anything the referrer or GP "
        "should keep an eye on. This goes in the discharge letter.",
        max_length=5000,
        rows=8,
        error_messages={
            "required": "Enter the discharge summary for the referrer and GP",
            "max_length": "Discharge summary must be 5000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, booked: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.booked = booked
        if not booked:
            return
        self.fields["cancel_booked"] = fields.MultipleChoiceField(
            label="Cancel the appointments still booked",
            choices=[(CANCEL_AND_DISCHARGE, cancel_and_discharge_label(booked))],
            required=False,
        )
        self.fields["cancellation"] = fields.ChoiceField(
            label="Why are the appointments cancelled?",
            choices=[(code, Attendance(code).label) for code in CANCELLED],
            required=False,
            error_messages={"invalid_choice": "Select why the appointments are cancelled"},
        )

    @property
    def cancels_booked(self) -> bool:
        return CANCEL_AND_DISCHARGE in self.cleaned_data.get("cancel_booked", [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.booked and CANCEL_AND_DISCHARGE in data.get("cancel_booked", []) and not data.get("cancellation"):
            self.add_error("cancellation", "Select why the appointments are cancelled")
        return data


def cancel_and_discharge_label(booked: int) -> str:
    return (
        "Cancel this appointment and discharge" if booked == 1 else f"Cancel these {booked} appointments and discharge"
    )


class ReopenForm(forms.Form):
    reason = fields.TextareaField(
        label="Why is the episode being reopened?",
        hint="For example, mum asked for more sessions after the baby's sleep got worse. This is kept in the "
        "episode's history.",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why the episode is being reopened",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
