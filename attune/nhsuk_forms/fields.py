"""Django form fields that render as NHS.UK design-system components.

A field carries what the component needs beyond Django's own (a hint, input classes,
autocomplete, whether its label is the page heading). In a template, `{{ form.email.as_field_group() }}`
renders the component with the value the user typed and its error message; `error_summary(form)`
(nhsuk_forms/macros.jinja) renders the summary that links to each field.
"""

from typing import Any

from django import forms


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
