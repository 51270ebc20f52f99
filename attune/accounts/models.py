"""Staff accounts and their signed-in sessions. Who may see what lives in `organisations`."""

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from attune.core.models import BaseModel


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username or "")

    def create_user(self, email: str, full_name: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=normalise_email(email), full_name=full_name, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(BaseModel, AbstractBaseUser):
    """A member of staff. Signs in with email, password and an authenticator app."""

    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    # In demo mode (never production) these accounts may sign in without two-factor.
    is_demo_account = models.BooleanField(default=False)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)

    objects: ClassVar[UserManager] = UserManager()
    # Set per request by django-otp: the device that verified this session, if any.
    otp_device: Any = None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def is_verified(self) -> bool:  # replaced per request by django-otp's middleware
        return False


class UserSession(BaseModel):
    """A session a person holds, so sign-out elsewhere, account disable and "end all sessions"
    can end it on the server (S6, ASVS v5.0.0-7.4.1, 7.4.2, 7.4.5)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    last_seen_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class SignInThrottle(BaseModel):
    """Failed passwords for one account from any address, and until when it must wait before
    the next try (accounts/throttle.py). Keyed by the email typed, normalised, whether or not an
    account has it, so the delay says nothing about which addresses are accounts. Kept in the
    database because every app process must see the same count."""

    email = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    wait_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email}: {self.failures} failures"


class LinkPurpose(models.TextChoices):
    SET_UP = "set_up", "Set up your account"
    RESET = "reset", "Reset your password"


class AccountLinkQuerySet(models.QuerySet["AccountLink"]):
    def unused(self) -> "AccountLinkQuerySet":
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)

    def usable(self, now: datetime) -> "AccountLinkQuerySet":
        """Not used, not replaced by a newer link, not expired, for an active account."""
        return self.unused().filter(expires_at__gt=now, user__is_active=True)


class AccountLink(BaseModel):
    """A single-use link emailed to a person to set their first password or reset a forgotten
    one (services.issue_account_link). Only the SHA-256 of the token is kept: whoever reads the
    database or a backup cannot use a link."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_links")
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Set when a newer link of the same purpose replaced this one before it was used.
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Who asked for it: an administrator, or the person themselves (forgot your password).
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = AccountLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.user}"
