"""The fhir part's models: the FHIR ServiceRequests a team has received, so the same request
sent twice (a retry, a second upload) makes one referral."""

from django.conf import settings
from django.db import models

from attune.core.models import BaseModel

__all__ = ["ReceivedServiceRequest"]


class ReceivedServiceRequest(BaseModel):
    """One ServiceRequest taken into a team's inbox as a referral. `key` is the request's first
    identifier (system|value), or its id when it has none."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    # Who took it in: a person uploading it, or none when another system sent it.
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_through = models.CharField(max_length=200, help_text="The person or system that sent it")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "key"], name="fhir_request_once_per_team")]

    def __str__(self) -> str:
        return self.key
