"""Forms on the FHIR pages: whom a family's record is for, and a ServiceRequest file to upload.
Each error says what to do, in NHS content style."""

from typing import Any

from django import forms

from attune.interop.fhir_bundle import Receiver
from attune.nhsuk_forms import fields

RECEIVERS = [
    ("share_gp", "Their GP"),
    ("share_health_visitor", "Their health visitor"),
    ("share_social_care", "Children's social care"),
    ("share_other", "Another agency"),
]
# A FHIR referral is a few kilobytes; a file far larger is not one.
MAX_BYTES = 1024 * 1024


class ExportForm(forms.Form):
    receiver = fields.ChoiceField(
        label="Who will receive this record?",
        hint="Safeguarding flags and risk alerts are included only for people who have consented to sharing with them.",
        choices=RECEIVERS,
        error_messages={
            "required": "Select who will receive this record",
            "invalid_choice": "Select who will receive this record",
        },
    )
    agency = fields.CharField(
        label="Name of the agency",
        hint="As it was named when consent was recorded, for example Blackpool Women's Aid",
        max_length=200,
        required=False,
        error_messages={"max_length": "Name of the agency must be 200 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("receiver") == "share_other" and not data.get("agency", "").strip():
            self.add_error("agency", "Enter the name of the agency")
        return data

    def chosen_receiver(self) -> Receiver:
        purpose = self.cleaned_data["receiver"]
        agency = " ".join(self.cleaned_data.get("agency", "").split()) if purpose == "share_other" else ""
        return Receiver(purpose=purpose, agency=agency)


class JsonFileField(fields.NhsukField, forms.FileField):
    # The browser's own file input in an NHS.UK form group (as the documents pages use).
    component_template = "interop/fhir_file_field.jinja"
    input_type = "file"
    accept = ".json,application/json,application/fhir+json"


class UploadForm(forms.Form):
    file = JsonFileField(
        label="FHIR ServiceRequest file",
        hint="A JSON file holding a ServiceRequest with its Patients contained, or a Bundle holding them. Up to 1 MB.",
        error_messages={
            "required": "Choose a FHIR ServiceRequest file",
            "empty": "The file is empty. Choose the FHIR ServiceRequest file",
            "invalid": "Choose a FHIR ServiceRequest file",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB, which is too large for a referral. Choose the ServiceRequest file"
            )
        return upload

    def refuse(self, message: str) -> None:
        self.add_error("file", message)
