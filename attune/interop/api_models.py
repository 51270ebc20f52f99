"""The api part's models: a token for each other system that calls Attune's API (a health
visiting system sending referrals, a commissioner's BI tool reading reports), issued and revoked
by a system administrator of the provider, scoped to the teams it may act for."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from attune.core.models import BaseModel
from attune.organisations.models import Organisation, Team

__all__ = ["ApiClient"]


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def usable(self, today: dt.date) -> "ApiClientQuerySet":
        """Tokens that still work: not revoked, not past their last day."""
        return self.filter(revoked_at__isnull=True, expires_on__gte=today)

    def of_organisations(self, organisation_ids: set) -> "ApiClientQuerySet":
        return self.filter(organisation_id__in=organisation_ids)


class ApiClient(BaseModel):
    """One other system and its token. Only a hash of the token is kept: the token itself is shown
    once, to the administrator who issues it, and Attune cannot show it again."""

    name = models.CharField(max_length=100)
    # The provider whose system administrators manage the token (the trust running the teams).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_clients")
    teams = models.ManyToManyField(Team, related_name="api_clients")
    # The token's first characters ("attune_K3F9QX2M"), kept in the clear so that a token found
    # in a log or a configuration file can be recognised and revoked.
    prefix = models.CharField(max_length=20, unique=True)
    # sha256 of the whole token, hex: the token is 256 random bits, so a fast hash is enough
    # (see api_services.hash_token).
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    # The last day the token works (inclusive).
    expires_on = models.DateField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=500, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="api_client_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_expired(self, today: dt.date) -> bool:
        return self.expires_on < today
