"""Fixtures shared by every test: the organisations, one person per role, and signed-in clients.

The world: a trust provides a service (commissioned by an ICB) with a hub team and a satellite
team; another trust runs another team, where the outsider works.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.organisations.models import Catchment, Organisation, OrganisationKind, Team
from attune.organisations.roles import Role
from attune.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SatelliteTeamFactory,
    ServiceFactory,
    TeamFactory,
)
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.models import EligibilityRules

# Hypothesis's per-example deadline measures the machine, not the code: on CI's two shared cores a
# first example that builds a cache (the bank-holiday calendar) can take 400 ms and fail as "flaky".
# Slow code is caught by the query-count tests and the benchmarks instead.
hypothesis_settings.register_profile("attune", deadline=None)
hypothesis_settings.load_profile("attune")

# Folders (and files) whose tests share what is built once per worker process (the loaded demo): pytest-xdist
# sends each folder's tests to one worker, to run one after another.
ONE_WORKER_EACH = ("attune/nonprod/tests/loaded/", "tests/test_access_audit.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`-n` (pytest-xdist) spreads tests one at a time over the workers, but keeps each folder in
    ONE_WORKER_EACH together. (xdist's own `xdist_group` mark does the same on paper, but under
    pytest 9.2 its group no longer reaches the scheduler: pytest-dev/pytest-xdist#1386.)"""
    if config.getvalue("dist") != "load":
        return None  # a distribution asked for by name (--dist each, loadfile, ...)
    from xdist.scheduler import LoadScopeScheduling

    class FoldersTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((folder for folder in ONE_WORKER_EACH if nodeid.startswith(folder)), nodeid)

    return FoldersTogether(config, log)


@pytest.fixture
def world(db: None) -> World:
    icb = OrganisationFactory(name="Example ICB", kind=OrganisationKind.ICB, code="QXX")
    trust = OrganisationFactory(name="Example Hospitals NHS FT", code="RXX")
    other_trust = OrganisationFactory(name="Elsewhere NHS Trust", code="RYY")
    service = ServiceFactory(provider=trust, commissioner=icb, name="Example PAIRS")
    hub = TeamFactory(service=service, name="Example hub team")
    satellite = SatelliteTeamFactory(hub=hub, name="Example satellite team")
    other_team = TeamFactory(service=ServiceFactory(provider=other_trust, commissioner=icb), name="Elsewhere team")
    # Each team covers one council area; postcodes FY1 and BB1 are in them, M1 is in neither.
    hub_area = OrganisationFactory(name="Seaside Council", kind=OrganisationKind.LOCAL_AUTHORITY, code="E06000901")
    satellite_area = OrganisationFactory(
        name="Mill Town Council", kind=OrganisationKind.LOCAL_AUTHORITY, code="E06000902"
    )
    elsewhere_area = OrganisationFactory(name="City Council", kind=OrganisationKind.LOCAL_AUTHORITY, code="E08000903")
    for team, area in ((hub, hub_area), (satellite, satellite_area), (other_team, elsewhere_area)):
        team.local_authority = area
        team.save()
        EligibilityRules.objects.create(team=team).areas.add(area)
    Catchment.objects.create(prefix="FY1", local_authority=hub_area)
    Catchment.objects.create(prefix="BB1", local_authority=satellite_area)
    Catchment.objects.create(prefix="M1", local_authority=elsewhere_area)
    return World(icb, trust, other_trust, hub, satellite, other_team, hub_area, satellite_area)


def _member(role: Role, team: Team | None = None, organisation: Organisation | None = None, **user: str) -> User:
    person = UserFactory(**user)
    MembershipFactory(user=person, role=role, team=team, organisation=organisation)
    return person


@pytest.fixture
def practitioner(world: World) -> User:
    return _member(Role.PRACTITIONER, world.hub, full_name="Pat Practitioner")


@pytest.fixture
def trainee(world: World) -> User:
    return _member(Role.TRAINEE, world.satellite, full_name="Tina Trainee")


@pytest.fixture
def supervisor(world: World) -> User:
    person = _member(Role.SUPERVISOR, world.hub, full_name="Sam Supervisor")
    MembershipFactory(user=person, role=Role.SUPERVISOR, team=world.satellite)
    return person


@pytest.fixture
def team_lead(world: World) -> User:
    return _member(Role.TEAM_LEAD, world.hub, full_name="Lee Lead")


@pytest.fixture
def coordinator(world: World) -> User:
    return _member(Role.COORDINATOR, world.hub, full_name="Cora Coordinator")


@pytest.fixture
def commissioner(world: World) -> User:
    return _member(Role.COMMISSIONER, organisation=world.icb, full_name="Cam Commissioner")


@pytest.fixture
def ig_lead(world: World) -> User:
    return _member(Role.IG_LEAD, organisation=world.trust, full_name="Iggy Governance")


@pytest.fixture
def system_admin(world: World) -> User:
    return _member(Role.SYSTEM_ADMIN, organisation=world.trust, full_name="Ada Admin")


@pytest.fixture
def outsider(world: World) -> User:
    return _member(Role.PRACTITIONER, world.other_team, full_name="Otto Outsider")


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    """signed_in(user) -> the test client, signed in as that person with two-factor."""
    return lambda user: sign_in_client(client, user)
