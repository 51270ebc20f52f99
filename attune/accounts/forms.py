from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from attune.accounts.models import User
from attune.nhsuk_forms import fields


class SignInForm(forms.Form):
    email = fields.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address"},
        autocomplete="username",
    )
    password = fields.PasswordField(label="Password", error_messages={"required": "Enter your password"})


class SecurityCodeForm(forms.Form):
    code = fields.CodeField(
        label="Security code",
        hint="The 6-digit code shown in your authenticator app, or one of your recovery codes",
        error_messages={"required": "Enter the security code from your authenticator app"},
        inputmode="text",
    )


class EnrolmentCodeForm(forms.Form):
    code = fields.CodeField(
        label="Security code",
        hint="The 6-digit code your authenticator app shows for Attune",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        inputmode="numeric",
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The security code must be 6 numbers")
        return code


class ConfirmPasswordForm(forms.Form):
    """Asked again before a change to how someone signs in (ASVS v5.0.0-7.5.1)."""

    password = fields.PasswordField(
        label="Your password",
        hint="We ask again before changing how you sign in",
        error_messages={"required": "Enter your password"},
    )


class _NewPasswordForm(forms.Form):
    """A new password for `user`, judged by the password validators (at least 12 characters, not
    a common password, not like the person's details)."""

    new_password = fields.PasswordField(
        label="New password",
        hint="At least 12 characters. A few unrelated words make a strong password you can remember.",
        error_messages={"required": "Enter a new password"},
        autocomplete="new-password",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data["new_password"]
        validate_password(password, self.user)
        return password


class ChangePasswordForm(_NewPasswordForm):
    field_order = ["current_password", "new_password"]

    current_password = fields.PasswordField(
        label="Current password", error_messages={"required": "Enter your current password"}
    )


class ChoosePasswordForm(_NewPasswordForm):
    """A new password through a set-up or reset link: typed twice, as nobody can check it for
    them, and judged by the same validators as the change-password page."""

    confirm_password = fields.PasswordField(
        label="Confirm new password",
        error_messages={"required": "Enter your new password again"},
        autocomplete="new-password",
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        new, confirm = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", "The passwords do not match. Enter the same new password twice")
        return cleaned


class ForgotPasswordForm(forms.Form):
    email = fields.EmailField(
        label="Email address",
        hint="The address you sign in with",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        autocomplete="username",
    )
