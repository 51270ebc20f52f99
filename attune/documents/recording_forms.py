"""Forms on the recording pages. Errors follow NHS content style; a refused file cannot be shown
again (browsers never refill a file input), so everything else chosen is kept."""

from collections.abc import Sequence
from typing import Any

from django import forms

from attune.documents.recording_models import ErasureReason
from attune.families.models import Carer, Infant
from attune.nhsuk_forms import fields

# What the device's file picker offers first (a hint only: the content is what is checked).
ACCEPT = "video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm"


class VideoField(fields.NhsukField, forms.FileField):
    """The NHS.UK file upload. The content's checks are the action's (recording_services)."""

    component_template = "documents/recording_file_field.jinja"
    input_type = "file"
    accept = ACCEPT


def person_value(person: Infant | Carer) -> str:
    return f"{'infant' if isinstance(person, Infant) else 'carer'}:{person.pk}"


class UploadForm(forms.Form):
    people = fields.MultipleChoiceField(
        label="Who is in the recording?",
        hint="Select everyone who can be seen or heard. Each of them must have given consent to video recording.",
        error_messages={
            "required": "Select who is in the recording",
            "invalid_choice": "Select who is in the recording",
        },
    )
    # Not required here: the action says what is wrong with the file, or that none came.
    video = VideoField(
        label="Video",
        hint="An MP4, MOV or WebM video from your phone, tablet or camera",
        required=False,
    )

    def __init__(self, *args: Any, people: Sequence[Infant | Carer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_by_value = {person_value(person): person for person in people}
        self.fields["people"].choices = [(person_value(p), _label(p)) for p in people]  # type: ignore[attr-defined]

    def chosen(self) -> tuple[list[Infant], list[Carer]]:
        picked = [self.people_by_value[value] for value in self.cleaned_data.get("people", [])]
        return [p for p in picked if isinstance(p, Infant)], [p for p in picked if isinstance(p, Carer)]


def _label(person: Infant | Carer) -> str:
    if isinstance(person, Infant):
        return person.display_name
    return f"{person.full_name or 'Carer'} ({person.get_relationship_display().lower()})"


class EraseForm(forms.Form):
    reason = fields.TextareaField(
        label="Why are you erasing this recording?",
        hint="For example, the family asked for it to be erased, or it was filmed by mistake",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why you are erasing this recording",
            "max_length": "Why you are erasing it must be 500 characters or fewer",
        },
    )

    reason_code = ErasureReason.BY_HAND
