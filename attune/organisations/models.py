"""Organisations, the service, its hub and satellite teams, their sites, and who holds which
role where. Memberships are the tenancy boundary: the scope is built from them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.core.models import BaseModel
from attune.organisations.roles import ORGANISATION_ROLES, TEAM_ROLES, Role


class OrganisationKind(models.TextChoices):
    ICB = "icb", "Integrated care board"
    NHS_TRUST = "nhs_trust", "NHS trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


class Organisation(BaseModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # ODS code for NHS bodies (RXL: Blackpool Teaching Hospitals); ONS code for councils.
    code = models.CharField(max_length=12, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(BaseModel):
    """A parent-infant relationship service: provided by a trust, commissioned by an ICB."""

    name = models.CharField(max_length=200)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services_provided")
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services_commissioned")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    HUB = "hub", "Hub team"
    SATELLITE = "satellite", "Satellite team"


class TeamQuerySet(models.QuerySet["Team"]):
    def hubs(self) -> "TeamQuerySet":
        return self.filter(kind=TeamKind.HUB)

    def with_context(self) -> "TeamQuerySet":
        return self.select_related("service__provider", "service__commissioner", "hub", "local_authority")


class Team(BaseModel):
    """A hub team, or a satellite team that belongs to a hub and is supervised from it."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=TeamKind.choices)
    hub = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="satellites")
    # The council area the team serves (its catchment is configured in `referrals`).
    local_authority = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="teams_serving"
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=TeamKind.HUB, hub__isnull=True) | Q(kind=TeamKind.SATELLITE, hub__isnull=False),
                name="team_satellite_has_hub",
            ),
            # Two teams of one name in a service would be told apart by nobody (the set-up page
            # refuses it with a message first).
            models.UniqueConstraint(fields=["service", "name"], name="team_name_unique_per_service"),
        ]

    def __str__(self) -> str:
        return self.name


class SiteKind(models.TextChoices):
    FAMILY_HUB = "family_hub", "Family hub"
    CLINIC = "clinic", "Clinic"
    CHILDRENS_CENTRE = "childrens_centre", "Children's centre"
    OTHER = "other", "Other"


class Site(BaseModel):
    """A place the team works from and sees families (rooms come with the diary)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SiteKind.choices)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # As families are told them ("Monday to Friday, 9am to 5pm"): free text, not a timetable.
    opening_hours = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Sorted so the constraint, and so the migration, is the same in every process.
TEAM_ROLE_VALUES = sorted(r.value for r in TEAM_ROLES)
ORGANISATION_ROLE_VALUES = sorted(r.value for r in ORGANISATION_ROLES)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> "MembershipQuerySet":
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Membership(BaseModel):
    """One role a person holds in one team or one organisation, for a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=TEAM_ROLE_VALUES, team__isnull=False, organisation__isnull=True)
                    | Q(role__in=ORGANISATION_ROLE_VALUES, team__isnull=True, organisation__isnull=False)
                ),
                name="membership_role_fits_place",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.get_role_display()}, {self.team or self.organisation}"

    @property
    def place(self) -> Team | Organisation:
        place = self.team or self.organisation
        assert place is not None
        return place

    @property
    def label(self) -> str:
        return f"{self.get_role_display()}, {self.place.name}"


class Catchment(BaseModel):
    """Which council area a postcode district ("FY1") or sector ("BB1 7") is in. Configurable,
    loaded by each service; the most specific prefix wins."""

    prefix = models.CharField(max_length=8, unique=True, help_text='A district ("FY1") or a sector ("BB1 7")')
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="catchments")

    class Meta:
        ordering = ["prefix"]

    def __str__(self) -> str:
        return f"{self.prefix}: {self.local_authority}"
