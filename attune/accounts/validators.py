from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Long passphrases are welcome (ASVS v5.0.0-6.2.9 asks for at least 64); 256 is a ceiling
    that stops a megabyte "password" being hashed."""

    def __init__(self, max_length: int = 256) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(f"Password must be {self.max_length} characters or fewer", code="password_too_long")

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
