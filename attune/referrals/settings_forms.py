"""The team settings forms: the team's rules (eligibility, targets, capacity default) and its
catchment. A form parses what was typed and keeps it; the ranges are checked by the actions
(services.change_team_rules, services.change_catchment), whose problems the view puts by the
right field, so the same rules hold for an importer as for the page."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from attune.core.validators import whole_number
from attune.nhsuk_forms import fields
from attune.organisations.models import Organisation

YES, NO = "yes", "no"
CONFIRMED = "confirmed"


def _number(label: str, hint: str, *, required: bool = True) -> fields.CharField:
    return fields.CharField(
        label=label,
        hint=hint,
        required=required,
        max_length=6,
        inputmode="decimal" if "caseload" in label.lower() else "numeric",
        classes="nhsuk-input--width-4",
        spellcheck=False,
    )


def _effective_from() -> fields.DateField:
    return fields.DateField(
        label="Date the change applies from",
        hint="Today or a later date. Referrals received before then keep the rules in force when they arrived.",
        error_messages={"required": "Enter the date the change applies from"},
    )


def _whole(form: forms.Form, name: str, words: str, example: str) -> int | None:
    text = (form.cleaned_data.get(name) or "").strip()
    if not text:
        return None
    number = whole_number(text)
    if number is None:
        raise forms.ValidationError(f"Enter the {words} as a whole number, like {example}")
    return number


class TeamRulesForm(forms.Form):
    max_age_years = _number("Upper age in years", "Children are seen up to this birthday. Between 1 and 5.")
    accepts_unborn = fields.ChoiceField(
        label="Does the team take referrals in pregnancy?",
        choices=[(YES, "Yes"), (NO, "No")],
        inline=True,
        error_messages={"required": "Select yes if the team takes referrals in pregnancy"},
    )
    antenatal_from_week = _number(
        "From which week of pregnancy (optional)",
        "Leave this empty to take referrals at any time in pregnancy.",
        required=False,
    )
    triage_target_working_days = _number(
        "Triage target in working days", "From receiving a referral to the triage decision. Between 1 and 60."
    )
    first_contact_target_working_days = _number(
        "First contact target in working days",
        "From receiving a referral to the family's first appointment. Between 1 and 60.",
    )
    default_max_weighted_caseload = _number(
        "Default maximum weighted caseload",
        "What a practitioner's maximum weighted caseload starts at in this team, for example 12.",
    )
    effective_from = _effective_from()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["max_age_years"].error_messages["required"] = "Enter the upper age in years"
        self.fields["triage_target_working_days"].error_messages["required"] = "Enter the triage target"
        self.fields["first_contact_target_working_days"].error_messages["required"] = "Enter the first contact target"
        self.fields["default_max_weighted_caseload"].error_messages["required"] = (
            "Enter the default maximum weighted caseload"
        )

    def clean_max_age_years(self) -> int | None:
        return _whole(self, "max_age_years", "upper age", "5")

    def clean_antenatal_from_week(self) -> int | None:
        return _whole(self, "antenatal_from_week", "week of pregnancy", "12")

    def clean_triage_target_working_days(self) -> int | None:
        return _whole(self, "triage_target_working_days", "triage target", "5")

    def clean_first_contact_target_working_days(self) -> int | None:
        return _whole(self, "first_contact_target_working_days", "first contact target", "20")

    def clean_default_max_weighted_caseload(self) -> Decimal | None:
        text = (self.cleaned_data.get("default_max_weighted_caseload") or "").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise forms.ValidationError("Enter the default maximum weighted caseload as a number, like 12")
        return value.quantize(Decimal("0.01")) if abs(value) < 1000 else value


class CatchmentForm(forms.Form):
    areas = fields.MultipleChoiceField(
        label="Council areas the team covers",
        hint="Referrals for an address in these areas come to this team.",
        error_messages={"required": "Select at least one council area the team covers"},
    )
    postcodes = fields.TextareaField(
        label="Postcode districts and sectors (optional)",
        hint="One on each line, like FY1 or BB1 7. These are placed in the team's council area straight away.",
        required=False,
        max_length=2000,
        rows=6,
        spellcheck=False,
        error_messages={"max_length": "Postcode districts and sectors must be 2000 characters or fewer"},
    )
    postcodes_area = fields.SelectField(
        label="Which council area are new postcodes in?",
        hint="Needed when the team covers more than one council area.",
        required=False,
    )
    effective_from = _effective_from()
    confirm_overlap = fields.MultipleChoiceField(
        label="Overlapping catchments",
        choices=[(CONFIRMED, "Yes, both teams should cover these")],
        required=False,
    )

    def __init__(self, *args: Any, areas: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area_choices = {str(area.pk): area for area in areas}
        choices = [(str(area.pk), area.name) for area in areas]
        self.fields["areas"].choices = choices  # type: ignore[attr-defined]
        self.fields["postcodes_area"].choices = [("", "Select a council area"), *choices]  # type: ignore[attr-defined]

    def chosen_areas(self) -> list[Organisation]:
        return [self.area_choices[pk] for pk in self.cleaned_data.get("areas") or []]

    def postcodes_area_chosen(self) -> Organisation | None:
        return self.area_choices.get(self.cleaned_data.get("postcodes_area") or "")

    def postcode_lines(self) -> list[str]:
        return [line for line in (self.cleaned_data.get("postcodes") or "").splitlines() if line.strip()]

    @property
    def overlap_confirmed(self) -> bool:
        return CONFIRMED in (self.cleaned_data.get("confirm_overlap") or [])


def today_initial() -> dict[str, Any]:
    return {"effective_from": timezone.localdate()}
