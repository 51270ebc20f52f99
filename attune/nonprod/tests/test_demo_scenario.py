import pytest
from django.core.management import CommandError, call_command

from attune.accounts.models import User
from attune.nonprod import scenario
from attune.organisations.models import Membership, Organisation, Site, Team, TeamKind


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Team.objects.count(),
        Site.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def test_loading_twice_changes_nothing(db: None, settings: object) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert first == (4, 2, 3, len(scenario.PEOPLE), 13)


def test_the_scenario_is_blackpool_and_its_satellite(db: None) -> None:
    scenario.load()
    satellite = Team.objects.get(kind=TeamKind.SATELLITE)
    assert satellite.name == "Blackburn with Darwen satellite team"
    assert satellite.hub is not None
    assert satellite.hub.name == "Blackpool PAIRS hub team"
    assert [s.name for s in satellite.sites.order_by("name")] == ["Blackburn family hub", "Darwen family hub"]
    trainees = Membership.objects.filter(team=satellite, role="trainee")
    assert trainees.count() == 2
    helen = User.objects.get(email="helen.okafor@attune-demo.example")
    assert {m.team.name for m in helen.memberships.filter(role="supervisor")} == {
        "Blackpool PAIRS hub team",
        "Blackburn with Darwen satellite team",
    }
    assert all(u.is_demo_account and u.check_password(scenario.DEMO_PASSWORD) for u in User.objects.all())


def test_the_demo_refuses_to_load_outside_demo_mode(db: None) -> None:
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_demo")
