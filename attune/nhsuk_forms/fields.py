"""Django form fields that render as NHS.UK design-system components.

A field carries what the component needs beyond Django's own (a hint, input classes,
autocomplete, whether its label is the page heading). In a template, `{{ form.email.as_field_group() }}`
renders the component with the value the user typed and its error message; `error_summary(form)`
(nhsuk_forms/macros.jinja) renders the summary that links to each field.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone


class NhsukField:
    """Mixin: the component template and its presentation options."""

    component_template = "nhsuk_forms/input.jinja"
    input_type = "text"

    def __init__(
        self,
        *args: Any,
        hint: str = "",
        classes: str = "",
        autocomplete: str = "",
        inputmode: str = "",
        label_is_page_heading: bool = False,
        label_classes: str = "",
        spellcheck: bool | None = None,
        **kwargs: Any,
    ) -> None:
        self.hint = hint
        self.classes = classes
        self.autocomplete = autocomplete
        self.inputmode = inputmode
        self.label_is_page_heading = label_is_page_heading
        self.label_classes = label_classes or ("nhsuk-label--l" if label_is_page_heading else "")
        self.spellcheck = spellcheck
        kwargs.setdefault("template_name", self.component_template)
        super().__init__(*args, **kwargs)

    def label_params(self, label: str) -> dict[str, Any]:
        return {"text": label, "classes": self.label_classes, "isPageHeading": self.label_is_page_heading}


class CharField(NhsukField, forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})
        super().__init__(*args, **kwargs)


class EmailField(NhsukField, forms.EmailField):
    input_type = "email"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("autocomplete", "email")
        kwargs.setdefault("spellcheck", False)
        kwargs.setdefault(
            "error_messages", {"invalid": "Enter an email address in the correct format, like name@example.com"}
        )
        super().__init__(*args, **kwargs)


class PasswordField(NhsukField, forms.CharField):
    """Never re-displays what was typed (a password is the one value we do not keep)."""

    component_template = "nhsuk_forms/password.jinja"
    input_type = "password"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        kwargs.setdefault("max_length", 256)
        super().__init__(*args, **kwargs)
        self.error_messages.setdefault("max_length", f"Password must be {self.max_length} characters or fewer")


class CodeField(NhsukField, forms.CharField):
    """A short code typed from another device (a security code, a recovery code)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("autocomplete", "one-time-code")
        kwargs.setdefault("spellcheck", False)
        kwargs.setdefault("classes", "nhsuk-input--width-10")
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        # People copy codes with spaces and dashes; the code is what is left.
        text = super().to_python(value) or ""
        return "".join(ch for ch in text if ch.isalnum()).lower()


class TextareaField(NhsukField, forms.CharField):
    component_template = "nhsuk_forms/textarea.jinja"

    def __init__(self, *args: Any, rows: int = 5, **kwargs: Any) -> None:
        self.rows = rows
        super().__init__(*args, **kwargs)


class ChoiceField(NhsukField, forms.ChoiceField):
    """Radios: the NHS.UK pattern for one choice from a short list."""

    component_template = "nhsuk_forms/radios.jinja"
    # A hint under a choice, by its value (none under the others); a form sets it on its own
    # copy of the field when the hints depend on what it is about.
    item_hints: dict[str, str] = {}

    def __init__(self, *args: Any, inline: bool = False, **kwargs: Any) -> None:
        self.inline = inline
        super().__init__(*args, **kwargs)

    def label_params(self, label: str) -> dict[str, Any]:
        classes = "nhsuk-fieldset__legend--l" if self.label_is_page_heading else "nhsuk-fieldset__legend--s"
        return {"text": label, "classes": self.label_classes or classes, "isPageHeading": self.label_is_page_heading}


class SelectField(NhsukField, forms.ChoiceField):
    """A select list, for long lists where radios would not fit."""

    component_template = "nhsuk_forms/select.jinja"


class MultipleChoiceField(NhsukField, forms.MultipleChoiceField):
    """Checkboxes: any number of choices from a list."""

    component_template = "nhsuk_forms/checkboxes.jinja"

    def label_params(self, label: str) -> dict[str, Any]:
        classes = "nhsuk-fieldset__legend--l" if self.label_is_page_heading else "nhsuk-fieldset__legend--s"
        return {"text": label, "classes": self.label_classes or classes, "isPageHeading": self.label_is_page_heading}


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, posted as <name>-day, <name>-month and <name>-year."""

    parts = ("day", "month", "year")

    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: date | None) -> list[str]:
        if value is None:
            return ["", "", ""]
        return [str(value.day), str(value.month), str(value.year)]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box, where the person starts typing.
        return f"{id_}-day" if id_ else id_


# Years a date typed into Attune may have. Below: a two-digit year ("25") is not a year. Above:
# no record reaches past it, and dates near `date.max` overflow the moment a form or page adds
# days to them (a due date plus 10 months, the 1001 days from birth).
MIN_YEAR = 1000
MAX_YEAR = 2999


class DateField(NhsukField, forms.Field):
    """The NHS.UK date input. Errors follow the service manual: what is missing, or that the
    date must be real. `not_future=True` refuses a date after today (Europe/London), the rule most
    record dates share; other range rules (within 10 months) belong to the form."""

    component_template = "nhsuk_forms/date.jinja"
    widget = DateInputWidget
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "{label} must include a {missing}",
        "invalid": "{label} must be a real date",
        "future": "{label} must be today or in the past",
    }

    def __init__(self, *args: Any, not_future: bool = False, **kwargs: Any) -> None:
        self.not_future = not_future
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.not_future and value is not None and value > timezone.localdate():
            raise forms.ValidationError(self._message("future"), code="future")

    def _message(self, code: str, **values: str) -> str:
        """The error message, naming the date as its label does ("Date of birth must be a real
        date"). A label that is a question, or ends "(optional)", would read wrongly there, so
        the date is "The date" instead."""
        subject = str(self.label or "Date").removesuffix(" (optional)").strip()
        if subject.endswith("?"):
            subject = "The date"
        return self.error_messages[code].format(label=subject, **values)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        invalid = forms.ValidationError(self._message("invalid"), code="invalid")
        if not isinstance(value, list | tuple) or len(value) != len(DateInputWidget.parts):
            # Only the widget's three boxes make a date; anything else was not typed into them.
            if not value:
                return None
            raise invalid
        parts = [str(part).strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DateInputWidget.parts, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(self._message("incomplete", missing=" and ".join(missing)), code="incomplete")
        # No box holds more than 4 characters of a real date; a longer one (a year of 25 digits)
        # is refused before any arithmetic, which would overflow.
        if any(len(part) > 4 or not part.isdigit() for part in parts):
            raise invalid
        try:
            day, month, year = (int(part) for part in parts)
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise ValueError("year out of range")
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise invalid from None

    def parts_of(self, value: Any) -> dict[str, str]:
        """What to show in the three boxes: what was typed, or the date held."""
        if isinstance(value, date):
            value = DateInputWidget().decompress(value)
        parts = list(value) if isinstance(value, list | tuple) else []
        day, month, year = [*parts, "", "", ""][:3]
        return {"day": day, "month": month, "year": year}

    def label_params(self, label: str) -> dict[str, Any]:
        classes = "nhsuk-fieldset__legend--l" if self.label_is_page_heading else "nhsuk-fieldset__legend--s"
        return {"text": label, "classes": self.label_classes or classes, "isPageHeading": self.label_is_page_heading}
