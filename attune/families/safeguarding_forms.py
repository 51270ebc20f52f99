"""Forms for safeguarding referrals. Each error says what to do, in NHS content style; every value
typed is kept when the page comes back with an error."""

import datetime as dt
from typing import Any

from django import forms

from attune.core.formatting import LONDON, TIME_HINT, date_long, parse_time
from attune.families.models import Infant
from attune.families.safeguarding_models import MeetingKind, ReferralOutcome, SafeguardingReferral
from attune.nhsuk_forms import fields
from attune.organisations.models import Organisation


class NewReferralForm(forms.Form):
    infant = fields.ChoiceField(
        label="Which child is the referral about?",
        error_messages={
            "required": "Select the child the referral is about",
            "invalid_choice": "Select the child the referral is about",
        },
    )
    concern = fields.TextareaField(
        label="What is the concern?",
        hint="What you saw or were told, and what you told children's social care",
        max_length=5000,
        error_messages={
            "required": "Enter the concern that led to the referral",
            "max_length": "The concern must be 5000 characters or fewer",
        },
    )
    referred_on = fields.DateField(
        label="Date of the referral",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={"required": "Enter the date of the referral"},
    )
    council = fields.SelectField(
        label="Which council was the referral made to?",
        error_messages={
            "required": "Select the council the referral was made to",
            "invalid_choice": "Select the council the referral was made to",
        },
    )
    council_reference = fields.CharField(
        label="The council's reference (optional)",
        hint="You can add this later",
        required=False,
        max_length=50,
        classes="nhsuk-input--width-20",
        spellcheck=False,
        error_messages={"max_length": "The council's reference must be 50 characters or fewer"},
    )

    def __init__(self, *args: Any, infants: list[Infant], councils: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.infants = {str(infant.pk): infant for infant in infants}
        self.councils = {str(council.pk): council for council in councils}
        self.fields["infant"].choices = [  # type: ignore[attr-defined]
            (pk, infant.display_name + (f", due {date_long(infant.expected_due_date)}" if not infant.is_born else ""))
            for pk, infant in self.infants.items()
        ]
        self.fields["council"].choices = [  # type: ignore[attr-defined]
            ("", "Select a council"),
            *((pk, council.name) for pk, council in self.councils.items()),
        ]

    def chosen_infant(self) -> Infant:
        return self.infants[self.cleaned_data["infant"]]

    def chosen_council(self) -> Organisation:
        return self.councils[self.cleaned_data["council"]]


class OutcomeForm(forms.Form):
    outcome = fields.ChoiceField(
        label="What did children's social care decide?",
        choices=[
            (value, label) for value, label in ReferralOutcome.choices if value != ReferralOutcome.AWAITING_DECISION
        ],
        error_messages={
            "required": "Select the outcome of the referral",
            "invalid_choice": "Select the outcome of the referral",
        },
    )
    decided_on = fields.DateField(
        label="Date of the decision",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={"required": "Enter the date of the decision"},
    )
    note = fields.TextareaField(
        label="Notes (optional)",
        hint="For example, who told you and what happens next",
        required=False,
        max_length=5000,
        error_messages={"max_length": "Notes must be 5000 characters or fewer"},
    )


class CouncilReferenceForm(forms.Form):
    reference = fields.CharField(
        label="The council's reference",
        max_length=50,
        classes="nhsuk-input--width-20",
        spellcheck=False,
        label_is_page_heading=True,
        error_messages={
            "required": "Enter the council's reference",
            "max_length": "The council's reference must be 50 characters or fewer",
        },
    )


def _date_field(label: str, required: str) -> fields.DateField:
    return fields.DateField(label=label, hint="For example, 15 3 2027", error_messages={"required": required})


def _time_field(label: str, required: str) -> fields.CharField:
    return fields.CharField(
        label=label,
        hint=TIME_HINT,
        classes="nhsuk-input--width-5",
        max_length=10,
        error_messages={"required": required, "max_length": "Enter a real start time, like 9:30am"},
    )


class _MeetingTimeForm(forms.Form):
    """When a meeting is: on or after the referral date, at a time typed as people write it."""

    date = _date_field("Date of the meeting", "Enter the date of the meeting")
    start_time = _time_field("Start time", "Enter the start time")

    def __init__(self, *args: Any, referral: SafeguardingReferral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral

    def clean_start_time(self) -> dt.time:
        found = parse_time(self.cleaned_data.get("start_time", ""))
        if found is None:
            raise forms.ValidationError("Enter a real start time, like 9:30am or 14:30")
        return found

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day < self.referral.referred_on:
            raise forms.ValidationError(
                f"The meeting must be on or after the referral date, {date_long(self.referral.referred_on)}"
            )
        return day

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"], tzinfo=LONDON)


class MeetingForm(_MeetingTimeForm):
    field_order = ["kind", "date", "start_time", "notes"]

    kind = fields.ChoiceField(
        label="What kind of meeting is it?",
        choices=MeetingKind.choices,
        error_messages={"required": "Select the kind of meeting", "invalid_choice": "Select the kind of meeting"},
    )
    notes = fields.TextareaField(
        label="Where, who is invited, what to bring (optional)",
        required=False,
        max_length=5000,
        error_messages={"max_length": "Notes must be 5000 characters or fewer"},
    )


class MoveMeetingForm(_MeetingTimeForm):
    """The new date and time of a meeting moved."""

    date = _date_field("New date of the meeting", "Enter the new date of the meeting")
    start_time = _time_field("New start time", "Enter the new start time")


class MeetingHeldForm(forms.Form):
    attendance = fields.TextareaField(
        label="Who attended?",
        rows=3,
        max_length=5000,
        error_messages={
            "required": "Enter who attended the meeting",
            "max_length": "Who attended must be 5000 characters or fewer",
        },
    )
    outcome_notes = fields.TextareaField(
        label="What was decided? (optional)",
        required=False,
        max_length=5000,
        error_messages={"max_length": "What was decided must be 5000 characters or fewer"},
    )


class CancelMeetingForm(forms.Form):
    reason = fields.CharField(
        label="Why was the meeting cancelled?",
        max_length=500,
        error_messages={
            "required": "Enter why the meeting was cancelled",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
