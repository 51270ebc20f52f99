"""The form for a person's language and interpreter need. Each error says what to do."""

from typing import Any

from django import forms

from attune.families.language_services import Language
from attune.nhsuk_forms import fields

YES, NO = "yes", "no"


def _text(label: str, hint: str, name: str) -> fields.CharField:
    return fields.CharField(
        label=label,
        hint=hint,
        required=False,
        max_length=100,
        classes="nhsuk-u-width-two-thirds",
        error_messages={"max_length": f"{name} must be 100 characters or fewer"},
    )


class LanguageForm(forms.Form):
    spoken_language = _text("Spoken language", "For example, Polish or British Sign Language", "Spoken language")
    dialect = _text("Dialect (optional)", "For example, Sylheti. An interpreter needs to speak it.", "Dialect")
    written_language = _text(
        "Written language (optional)",
        "If they read a different language from the one they speak. Leave empty if it is the same.",
        "Written language",
    )
    interpreter_needed = fields.ChoiceField(
        label="Do they need an interpreter?",
        hint="Always offer a professional interpreter. Never use a family member, a friend or a child.",
        choices=[(YES, "Yes"), (NO, "No")],
        inline=True,
        error_messages={
            "required": "Select whether they need an interpreter",
            "invalid_choice": "Select whether they need an interpreter",
        },
    )
    language_note = fields.TextareaField(
        label="Notes (optional)",
        hint='For example, "prefers a female interpreter" or "reads English but not official letters".',
        required=False,
        max_length=500,
        rows=3,
        error_messages={"max_length": "Notes must be 500 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_needed") == YES and not (data.get("spoken_language") or "").strip():
            self.add_error("spoken_language", "Enter the language the interpreter needs to speak")
        return data

    def language(self) -> Language:
        data = self.cleaned_data
        return Language(
            spoken_language=data["spoken_language"],
            dialect=data["dialect"],
            written_language=data["written_language"],
            interpreter_needed=data["interpreter_needed"] == YES,
            language_note=data["language_note"],
        )


def initial_for(carer: Any) -> dict[str, str]:
    return {
        "spoken_language": carer.spoken_language,
        "dialect": carer.dialect,
        "written_language": carer.written_language,
        "interpreter_needed": YES if carer.interpreter_needed else NO if carer.spoken_language else "",
        "language_note": carer.language_note,
    }
