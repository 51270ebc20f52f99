import pytest
from django.core.management import CommandError, call_command

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.organisations.tests.world import World


@pytest.fixture
def typed_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a long enough passphrase")


def test_creates_account_with_a_team_role(world: World, typed_password: None) -> None:
    call_command("create_staff_account", email="New.Person@Trust.example", name="New Person", role="trainee",
                 team="Example satellite team")  # fmt: skip
    user = User.objects.get(email="new.person@trust.example")
    assert user.check_password("a long enough passphrase")
    assert [(m.role, m.team) for m in user.memberships.all()] == [("trainee", world.satellite)]
    assert AuditEvent.objects.filter(action="membership.granted", object_id=str(user.pk)).exists()


def test_creates_account_with_an_organisation_role(world: World, typed_password: None) -> None:
    call_command("create_staff_account", email="ig@trust.example", name="Ivy G", role="ig_lead", organisation="RXX")
    assert User.objects.get(email="ig@trust.example").memberships.get().organisation == world.trust


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role": "trainee", "team": "No such team"}, "No team is called"),
        ({"role": "trainee", "organisation": "RXX"}, "held in a team"),
        ({"role": "ig_lead", "team": "Example hub team"}, "held in an organisation"),
    ],
)
def test_refuses_roles_that_do_not_fit(world: World, typed_password: None, options: dict, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("create_staff_account", email="x@trust.example", name="X Y", **options)
    assert not User.objects.filter(email="x@trust.example").exists()


def test_refuses_a_short_password(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("create_staff_account", email="x@trust.example", name="X Y", role="trainee",
                     team="Example hub team")  # fmt: skip


def test_refuses_a_second_account_for_the_same_email(world: World, practitioner: User, typed_password: None) -> None:
    with pytest.raises(CommandError, match="already an account"):
        call_command("create_staff_account", email=practitioner.email.upper(), name="X", role="trainee",
                     team="Example hub team")  # fmt: skip
