"""Forms for recording and withdrawing consent. Each error says what to do, in NHS content style."""

from typing import Any

from django import forms
from django.utils import timezone

from attune.families.codes import ParentalResponsibility
from attune.families.consent import purposes_for
from attune.families.consent_models import ConsentDecision, ConsentHow, ConsentPurpose
from attune.families.models import Carer, Infant
from attune.nhsuk_forms import fields

# A member of staff records what was said or written; the parent's own phone is the link's.
STAFF_HOW = [(ConsentHow.SPOKEN.value, "Spoken"), (ConsentHow.WRITTEN.value, "Written, for example a signed form")]


class RecordConsentForm(forms.Form):
    purpose = fields.ChoiceField(
        label="What is the decision about?",
        choices=ConsentPurpose.choices,
        error_messages={
            "required": "Select what the decision is about",
            "invalid_choice": "Select what the decision is about",
        },
    )
    agency = fields.CharField(
        label="Name of the agency (if sharing with another agency)",
        hint="For example, Blackpool Women's Aid",
        required=False,
        max_length=200,
        error_messages={"max_length": "Name of the agency must be 200 characters or fewer"},
    )
    decision = fields.ChoiceField(
        label="What did they decide?",
        choices=[(ConsentDecision.GIVEN.value, "They gave consent"), (ConsentDecision.REFUSED.value, "They refused")],
        error_messages={
            "required": "Select whether they gave or refused consent",
            "invalid_choice": "Select whether they gave or refused consent",
        },
    )
    how = fields.ChoiceField(
        label="How did they give it?",
        choices=STAFF_HOW,
        inline=True,
        error_messages={"required": "Select how they gave it", "invalid_choice": "Select how they gave it"},
    )
    review_on = fields.DateField(
        label="Review date (optional)",
        hint="When to ask again. For example, 15 3 2027",
        required=False,
    )

    def __init__(self, *args: Any, person: Infant | Carer, carers: list[Carer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        purpose: Any = self.fields["purpose"]
        purpose.choices = [(p.value, p.label) for p in purposes_for(person)]
        if isinstance(person, Infant):
            able = [c for c in carers if c.parental_responsibility == ParentalResponsibility.YES]
            self.fields["given_by"] = fields.ChoiceField(
                label=f"Who decided for {person.display_name}?",
                hint="Only a parent or carer with parental responsibility can decide for a baby",
                choices=[(str(c.pk), f"{c.full_name} ({c.get_relationship_display().lower()})") for c in able],
                error_messages={
                    "required": f"Select who decided for {person.display_name}",
                    "invalid_choice": f"Select who decided for {person.display_name}",
                },
            )
            self.carers = {str(c.pk): c for c in able}

    def clean_agency(self) -> str:
        return " ".join(str(self.cleaned_data.get("agency") or "").split())

    def clean_review_on(self) -> Any:
        value = self.cleaned_data.get("review_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError("The review date must be in the future")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == ConsentPurpose.SHARE_OTHER and not data.get("agency"):
            self.add_error("agency", "Enter the name of the agency")
        return data

    def deciding_carer(self) -> Carer | None:
        if not isinstance(self.person, Infant):
            return None
        return self.carers.get(str(self.cleaned_data.get("given_by", "")))


class WithdrawConsentForm(forms.Form):
    how = fields.ChoiceField(
        label="How did they withdraw it?",
        choices=STAFF_HOW,
        inline=True,
        error_messages={
            "required": "Select how they withdrew consent",
            "invalid_choice": "Select how they withdrew consent",
        },
    )
    reason = fields.TextareaField(
        label="Reason (optional)",
        hint="For example, what they said. This is kept with the decision's history.",
        required=False,
        max_length=500,
        rows=3,
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )
