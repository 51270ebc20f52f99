from django import forms

from attune.nhsuk_forms import fields


class DisableAccountForm(forms.Form):
    reason = fields.TextareaField(
        label="Why are you disabling this account?",
        hint="For example, left the trust on 31 March. This is kept in the audit log.",
        max_length=500,
        rows=3,
        error_messages={
            "required": "Enter why you are disabling this account",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
