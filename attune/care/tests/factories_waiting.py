"""Factories for the waiting list, allocation and caseload tests."""

from decimal import Decimal

from attune.accounts.models import User
from attune.care.models import PractitionerCapacity
from attune.organisations.models import Team


def capacity(team: Team, practitioner: User, *, maximum: str = "12", hours: str = "37.5") -> PractitionerCapacity:
    return PractitionerCapacity.objects.create(
        team=team, practitioner=practitioner, max_weighted_caseload=Decimal(maximum), contracted_hours=Decimal(hours)
    )
