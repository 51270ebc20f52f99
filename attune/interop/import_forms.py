"""The upload form. The file's own checks (type, size, sheets, rows) are the dry run's: this form
says only whether a team was chosen and a file came. A browser never refills a file input, so an
error keeps the team and kind chosen and asks for the file again."""

from typing import Any

from django import forms

from attune.interop import import_sheets
from attune.nhsuk_forms import fields
from attune.organisations.models import Team

TELL_FROM_HEADINGS = ""


class SpreadsheetField(fields.NhsukField, forms.FileField):
    # The browser's own file input in NHS.UK form-group markup (the documents app's; ADR 0021).
    component_template = "documents/document_file_field.jinja"
    input_type = "file"
    accept = ".xlsx,.csv"


class UploadForm(forms.Form):
    team = fields.ChoiceField(
        label="Which team is the caseload for?",
        error_messages={"required": "Select the team", "invalid_choice": "Select the team"},
    )
    csv_kind = fields.ChoiceField(
        label="If it is a CSV file, what does it hold?",
        hint="A CSV file holds one sheet. An Excel workbook can hold them all.",
        required=False,
        choices=[
            (TELL_FROM_HEADINGS, "Tell from its headings"),
            *[(sheet.kind, sheet.name) for sheet in import_sheets.SHEETS.values()],
        ],
        error_messages={"invalid_choice": "Select what the CSV file holds"},
    )
    file = SpreadsheetField(
        label="Upload the file",
        hint="An Excel workbook (.xlsx) made from the template, or a CSV file saved as CSV UTF-8",
        error_messages={"required": "Select the file to check", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)
        team.choices = [(str(t.pk), t.name) for t in teams]
        if not self.is_bound:
            self.initial["csv_kind"] = TELL_FROM_HEADINGS
            if len(teams) == 1:
                self.initial["team"] = str(teams[0].pk)

    def refuse_file(self, message: str) -> None:
        self.add_error("file", message)
