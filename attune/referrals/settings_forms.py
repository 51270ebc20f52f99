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
from attune.referrals import services

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


def _effective_from(
    hint: str = "Today or a later date. Referrals received before then keep the rules in force when they arrived.",
) -> fields.DateField:
    return fields.DateField(
        label="Date the change applies from",
        hint=hint,
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
        "From receiving a referral to the family's first appointment, for routine referrals and any "
        "without a priority. Between 1 and 60.",
    )
    urgent_first_contact_target_working_days = _number(
        "First contact target for urgent referrals, in working days",
        "Between 1 and 60, and no more than for soon referrals.",
    )
    soon_first_contact_target_working_days = _number(
        "First contact target for soon referrals, in working days",
        "Between 1 and 60, and no more than for routine referrals.",
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
        for priority in ("urgent", "soon"):
            self.fields[f"{priority}_first_contact_target_working_days"].error_messages["required"] = (
                f"Enter the first contact target for {priority} referrals"
            )
        self.fields["default_max_weighted_caseload"].error_messages["required"] = (
            "Enter the default maximum weighted caseload"
        )
        # A number too long for the box is out of range, and is told so in the action's words.
        for name, problem in services.range_problems().items():
            self.fields[name].error_messages["max_length"] = problem

    def clean_max_age_years(self) -> int | None:
        return _whole(self, "max_age_years", "upper age", "5")

    def clean_antenatal_from_week(self) -> int | None:
        return _whole(self, "antenatal_from_week", "week of pregnancy", "12")

    def clean_triage_target_working_days(self) -> int | None:
        return _whole(self, "triage_target_working_days", "triage target", "5")

    def clean_first_contact_target_working_days(self) -> int | None:
        return _whole(self, "first_contact_target_working_days", "first contact target", "20")

    def clean_urgent_first_contact_target_working_days(self) -> int | None:
        return _whole(
            self, "urgent_first_contact_target_working_days", "first contact target for urgent referrals", "5"
        )

    def clean_soon_first_contact_target_working_days(self) -> int | None:
        return _whole(self, "soon_first_contact_target_working_days", "first contact target for soon referrals", "10")

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
        hint="Referrals for an address in these areas come to this team from the date below.",
        error_messages={"required": "Select at least one council area the team covers"},
    )
    postcodes = fields.TextareaField(
        label="Postcode districts and sectors (optional)",
        hint=(
            "One on each line, like FY1 or BB1 7. Each says which council area an address is in. Changes to "
            "them take effect straight away, not from the date below: a referral's team is fixed when it is "
            "received, so past referrals and figures never depend on them."
        ),
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
    effective_from = _effective_from(
        "When the council areas apply: today or a later date. Referrals received before then keep the council "
        "areas in force when they arrived. Postcode districts and sectors apply straight away."
    )
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
