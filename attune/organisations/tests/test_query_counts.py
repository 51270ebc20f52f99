"""List pages keep the same number of queries as the data grows (P4)."""

from collections.abc import Callable

from django.test import Client

from attune.accounts.models import User
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.models import Team
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, SiteFactory, TeamFactory
from attune.organisations.tests.world import World


def test_team_list(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    client = signed_in(practitioner)
    extra: list[Team] = []

    def add() -> None:
        team = TeamFactory(service=world.hub.service)
        MembershipFactory(user=practitioner, team=team, role=Role.PRACTITIONER)
        extra.append(team)

    grow = growing(add, lambda: 1 + len(extra))
    assert_flat(grow=grow, fetch=lambda: client.get("/teams"))
    assert client.get("/teams").content.decode().count("nhsuk-card-group__item") == 200


def test_team_detail(signed_in: Callable[[User], Client], team_lead: User, world: World) -> None:
    client = signed_in(team_lead)

    def add() -> None:
        MembershipFactory(team=world.hub, role=Role.PRACTITIONER)
        SiteFactory(team=world.hub)

    grow = growing(add, lambda: world.hub.sites.count())
    assert_flat(grow=grow, fetch=lambda: client.get(f"/teams/{world.hub.pk}"))
    html = client.get(f"/teams/{world.hub.pk}").content.decode()
    assert html.count("Parent-infant therapist") == 200


def test_staff_list(signed_in: Callable[[User], Client], system_admin: User, world: World) -> None:
    client = signed_in(system_admin)
    grow = growing(
        lambda: MembershipFactory(team=world.satellite, role=Role.TRAINEE),
        lambda: world.satellite.memberships.count(),
    )
    assert_flat(grow=grow, fetch=lambda: client.get("/staff"))
    # The 200 trainees and the admin herself.
    assert client.get("/staff").content.decode().count('<a href="/staff/') == 201


def test_staff_detail(signed_in: Callable[[User], Client], system_admin: User, world: World) -> None:
    person = MembershipFactory(team=world.hub, role=Role.PRACTITIONER).user
    client = signed_in(system_admin)
    grow = growing(
        lambda: MembershipFactory(user=person, team=TeamFactory(service=world.hub.service), role=Role.COORDINATOR),
        lambda: person.memberships.count(),
    )
    assert_flat(grow=grow, fetch=lambda: client.get(f"/staff/{person.pk}"))
