"""How a question on the public pages is asked and answered: field helpers worded for whoever
fills the form in, what an answer reads like on check-your-answers, and the form every page is."""

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from attune.core.formatting import date_long
from attune.nhsuk_forms import fields

YES_NO = [("yes", "Yes"), ("no", "No")]


NOT_GIVEN = "Not given"


FIELD_TEMPLATES = "referrals/public/fields"


REASON_MAX_LENGTH = 5000


NONE_KNOWN = "none"


# A phone number as people write it: digits with spaces, dashes or brackets, maybe +44.
_PHONE = re.compile(r"^\+?[0-9]{10,13}$")


PHONE_ERROR = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


def too_long(label: str, max_length: int) -> str:
    """The message for an answer over its length."""
    return f"{label} must be {max_length:,} characters or fewer"


def text(
    label: str, *, max_length: int, required: bool = True, required_message: str = "", **kwargs: Any
) -> fields.CharField:
    return fields.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"required": required_message, "max_length": too_long(label, max_length)},
        **kwargs,
    )


def long_text(label: str, *, max_length: int, required: bool = False, **kwargs: Any) -> fields.TextareaField:
    return fields.TextareaField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"max_length": too_long(label, max_length)},
        **kwargs,
    )


def yes_no(label: str, *, required: bool = True, **kwargs: Any) -> fields.ChoiceField:
    return fields.ChoiceField(label=label, choices=YES_NO, required=required, inline=True, **kwargs)


def clean_phone(value: str) -> str:
    """A phone number as people write it (spaces, dashes, brackets, +44), or PHONE_ERROR."""
    value = value.strip()
    if value and not _PHONE.match(re.sub(r"[\s\-()]", "", value)):
        raise forms.ValidationError(PHONE_ERROR)
    return value


def example_date(days_from_today: int) -> str:
    """A hint for a date input, in the form it is typed: 'For example, 15 3 2026'."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return f"For example, {day.day} {day.month} {day.year}"


def describe(field: forms.Field, value: Any) -> str:
    """How an answer reads on the check-your-answers page."""
    if isinstance(value, date):
        return date_long(value)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "\n".join(str(choices.get(v, v)) for v in value) or "None selected"
    if choices and value not in (None, ""):
        return str(choices.get(value, value))
    return str(value) if value not in (None, "") else NOT_GIVEN


class PublicForm(forms.Form):
    """A page of a public referral form. `for_parent` words it for a parent referring
    themselves; otherwise for a professional referring a family."""

    # The page's heading, when it is not the label of its one question.
    title = ""
    # The field whose label is the page heading (a one-question page).
    question = ""
    # Paragraphs under the heading.
    intro: tuple[str, ...] = ()
    # Fields left off the check-your-answers page.
    not_summarised: tuple[str, ...] = ()
    # Shorter labels for the check-your-answers page than the questions ("Interpreter needed").
    summary_labels: dict[str, str] = {}

    def __init__(self, *args: Any, for_parent: bool = False, **kwargs: Any) -> None:
        self.for_parent = for_parent
        super().__init__(*args, **kwargs)
        self.word()
        if self.question:
            field = self.fields[self.question]
            assert isinstance(field, fields.NhsukField)
            field.label_is_page_heading = True
            field.label_classes = "nhsuk-label--l" if isinstance(field, fields.CharField | fields.TextareaField) else ""

    def say(self, professional: str, parent: str) -> str:
        return parent if self.for_parent else professional

    def word(self) -> None:
        """Set labels, hints and messages for whoever is filling the form in."""

    def set(self, name: str, label: str = "", *, hint: str | None = None, **messages: str) -> None:
        field = self.fields[name]
        if label:
            field.label = label
        if hint is not None:
            assert isinstance(field, fields.NhsukField)
            field.hint = hint
        field.error_messages.update(messages)

    @property
    def page_title(self) -> str:
        return str(self.fields[self.question].label) if self.question else self.title

    def page_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields]

    def summarised(self) -> list[str]:
        """The fields shown on the check-your-answers page."""
        return [name for name in self.fields if name not in self.not_summarised]

    def summary(self) -> list[tuple[str, str, str]]:
        """(label, answer, field id) for each answer, for the check-your-answers page."""
        return [
            (
                self.summary_labels.get(name) or str(self.fields[name].label).removesuffix(" (optional)"),
                describe(self.fields[name], self.cleaned_data.get(name)),
                self[name].id_for_label,
            )
            for name in self.summarised()
        ]
