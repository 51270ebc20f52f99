from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.core import audit
from attune.core.models import AuditEvent
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, TeamFactory
from attune.organisations.tests.world import World


def test_home_for_a_member_of_many_teams(signed_in: Callable[[User], Client], supervisor: User, world: World) -> None:
    client = signed_in(supervisor)
    grow = growing(
        lambda: MembershipFactory(user=supervisor, team=TeamFactory(service=world.hub.service), role=Role.SUPERVISOR),
        lambda: supervisor.memberships.count(),
    )
    assert_flat(grow=grow, fetch=lambda: client.get("/"))


@pytest.mark.parametrize("role", ["ig_lead", "system_admin", "commissioner"])
def test_home_for_organisation_roles(
    role: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], world: World
) -> None:
    person = request.getfixturevalue(role)
    client = signed_in(person)

    def add() -> None:
        member = MembershipFactory(team=world.hub, role=Role.PRACTITIONER).user
        audit.record(action="access.refused", actor=acting(member), outcome=audit.Outcome.DENIED)

    grow = growing(add, lambda: AuditEvent.objects.filter(action="access.refused").count())
    assert_flat(grow=grow, fetch=lambda: client.get("/"))
