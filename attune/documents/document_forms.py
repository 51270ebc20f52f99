"""Forms on the document pages. Each error says what to do, in NHS content style. A refused file
cannot be shown again (browsers never refill a file input), so the form says to choose it again
and keeps everything else that was typed."""

import datetime as dt
from typing import Any

from django import forms

from attune.care.models import Episode
from attune.documents import files
from attune.documents.document_models import Direction, DocumentCategory
from attune.families.models import Carer, Family, Infant
from attune.nhsuk_forms import fields

EXCHANGED = [
    (Direction.RECEIVED.value, "Received from another agency"),
    (Direction.SENT.value, "Sent to another agency"),
]
WHOLE_FAMILY = ""
NO_EPISODE = ""


class DocumentFileField(fields.NhsukField, forms.FileField):
    """The NHS.UK file upload. The checks of the content are files.check_document's, run by the
    action: this field only says whether a file came at all."""

    component_template = "documents/document_file_field.jinja"
    input_type = "file"
    accept = files.ACCEPT


class ExchangeFields(forms.Form):
    """Sent to or received from another agency: whom, and when."""

    direction = fields.ChoiceField(
        label="Was it sent to or received from another agency?",
        choices=EXCHANGED,
        error_messages={
            "required": "Select whether the document was sent or received",
            "invalid_choice": "Select whether the document was sent or received",
        },
    )
    agency = fields.CharField(
        label="Which agency?",
        hint="For example, children's social care, the GP practice or the health visiting team",
        max_length=200,
        error_messages={
            "required": "Enter the agency the document was sent to or received from",
            "max_length": "Agency must be 200 characters or fewer",
        },
    )
    exchanged_on = fields.DateField(
        label="Date sent or received",
        hint="For example, 15 3 2027",
        not_future=True,
        error_messages={"required": "Enter the date the document was sent or received"},
    )

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if optional:
            # At upload, an exchange is optional: "Not sent or received" is the first choice.
            direction = self.fields["direction"]
            assert isinstance(direction, forms.ChoiceField)
            direction.choices = [("none", "Neither: it was made here"), *EXCHANGED]
            direction.required = True

    def exchanged(self) -> bool:
        return self.cleaned_data.get("direction") in Direction.values

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("direction") == "none":
            # Nothing to ask about an agency or a date: drop their errors.
            for name in ("agency", "exchanged_on"):
                self.errors.pop(name, None)
                data[name] = "" if name == "agency" else None
        return data


class UploadForm(ExchangeFields):
    title = fields.CharField(
        label="Title",
        hint="For example, Child protection plan, March 2027",
        max_length=200,
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    category = fields.ChoiceField(
        label="What kind of document is it?",
        choices=DocumentCategory.choices,
        error_messages={
            "required": "Select what kind of document it is",
            "invalid_choice": "Select what kind of document it is",
        },
    )
    about = fields.SelectField(
        label="Who is it about?",
        required=False,
        error_messages={"invalid_choice": "Select someone in this family, or the whole family"},
    )
    episode = fields.SelectField(
        label="Episode of care",
        required=False,
        error_messages={"invalid_choice": "Select one of this family's episodes, or none"},
    )
    file = DocumentFileField(
        label="File",
        error_messages={"required": "Choose the file to upload", "empty": "The selected file is empty"},
    )

    field_order = ["title", "category", "about", "episode", "direction", "agency", "exchanged_on", "file"]

    def __init__(
        self,
        *args: Any,
        family: Family,
        infants: list[Infant],
        carers: list[Carer],
        episodes: list[Episode],
        max_mb: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, optional=True, **kwargs)
        self.people = {f"infant:{i.pk}": i for i in infants} | {f"carer:{c.pk}": c for c in carers}
        self.episodes = {str(e.pk): e for e in episodes}
        about = self.fields["about"]
        assert isinstance(about, forms.ChoiceField)
        about.choices = [(WHOLE_FAMILY, "The whole family")] + [
            (key, person.display_name if isinstance(person, Infant) else person.full_name or "Carer")
            for key, person in self.people.items()
        ]
        episode = self.fields["episode"]
        assert isinstance(episode, forms.ChoiceField)
        episode.choices = [(NO_EPISODE, "Not about one episode")] + [
            (key, f"{e.team.name}, opened {e.opened_at:%-d %B %Y}") for key, e in self.episodes.items()
        ]
        file = self.fields["file"]
        assert isinstance(file, DocumentFileField)
        file.hint = f"{files.ALLOWED_TYPES_TEXT[0].upper()}{files.ALLOWED_TYPES_TEXT[1:]}, up to {max_mb} MB"
        if self.is_bound:
            # Whatever happens to the file, a page shown again has lost it.
            file.hint += ". If there is a problem, you need to choose the file again"

    def refuse_file(self, message: str) -> None:
        self.add_error("file", message)

    @property
    def person(self) -> Infant | Carer | None:
        return self.people.get(self.cleaned_data.get("about") or "")

    @property
    def chosen_episode(self) -> Episode | None:
        return self.episodes.get(self.cleaned_data.get("episode") or "")

    def exchanged_on_value(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("exchanged_on")
        return value


class MarkExchangedForm(ExchangeFields):
    pass


class RemoveForm(forms.Form):
    reason = fields.TextareaField(
        label="Why are you removing this document?",
        hint="For example, uploaded to the wrong family. The file is deleted; this reason is kept on the record.",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why the document is being removed",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
