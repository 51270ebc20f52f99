import datetime

import factory

from attune.accounts.tests.factories import UserFactory
from attune.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Service,
    Site,
    SiteKind,
    Team,
    TeamKind,
)
from attune.organisations.roles import Role


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Example NHS Foundation Trust {n}")
    kind = OrganisationKind.NHS_TRUST
    code = factory.Sequence(lambda n: f"R{n:04d}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Parent Infant Relationship Service {n}")
    provider = factory.SubFactory(OrganisationFactory)
    commissioner = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.ICB)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Hub team {n}")
    kind = TeamKind.HUB


class SatelliteTeamFactory(TeamFactory):
    name = factory.Sequence(lambda n: f"Satellite team {n}")
    kind = TeamKind.SATELLITE
    hub = factory.SubFactory(TeamFactory)
    service = factory.SelfAttribute("hub.service")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Family hub {n}")
    kind = SiteKind.FAMILY_HUB


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.PRACTITIONER
    team = factory.SubFactory(TeamFactory)
    organisation = None
    starts_on = datetime.date(2024, 11, 1)
