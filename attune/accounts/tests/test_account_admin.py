"""What a system administrator can do to a colleague's account: disable and enable it, end its
sessions, reset its two-factor sign-in. Each ends sessions on the server where it should, and
each is refused outside the administrator's organisation (404) or without the role (403)."""

from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.accounts import services
from attune.accounts.models import User, UserSession
from attune.accounts.tests.factories import UserFactory
from attune.accounts.tests.helpers import SET_UP, enter_password
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.actors import acting
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

SignIn = Callable[[User], Client]


def _staff_url(user: User, action: str = "") -> str:
    return f"/staff/{user.pk}/{action}" if action else f"/staff/{user.pk}"


def _session_keys(user: User) -> list[str]:
    return list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))


@pytest.fixture
def admin_client(signed_in: SignIn, system_admin: User) -> Client:
    return signed_in(system_admin)


@pytest.fixture
def colleague_client(another_client: SignIn, practitioner: User) -> Client:
    """The practitioner, signed in on their own computer."""
    client = another_client(practitioner)
    assert client.get("/").status_code == 200
    return client


@pytest.fixture
def admin_request(rf: RequestFactory, system_admin: User) -> Actor:
    return acting(system_admin, ip="127.0.0.1")


# Disable ------------------------------------------------------------------------------------


def test_disabling_an_account_ends_their_sessions_on_the_server(
    admin_client: Client, colleague_client: Client, practitioner: User
) -> None:
    keys = _session_keys(practitioner)
    response = admin_client.post(_staff_url(practitioner, "disable"), {"reason": "Left the trust on 31 March"})
    assert response.status_code == 302
    assert response["Location"] == _staff_url(practitioner)

    practitioner.refresh_from_db()
    assert not practitioner.is_active
    assert practitioner.disabled_reason == "Left the trust on 31 March"
    assert practitioner.disabled_at is not None
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=practitioner).exists()

    next_request = colleague_client.get("/")
    assert next_request.status_code == 302
    assert next_request["Location"] == "/sign-in?next=/"


def test_disabling_is_audited_with_the_reason(
    admin_client: Client, colleague_client: Client, practitioner: User, system_admin: User
) -> None:
    admin_client.post(_staff_url(practitioner, "disable"), {"reason": "Left the trust"})
    event = AuditEvent.objects.get(action="account.disabled")
    assert event.actor == system_admin
    assert event.object_id == str(practitioner.pk)
    assert event.detail == {"reason": "Left the trust", "sessions": 1}
    assert "System administrator" in event.role


def test_a_disabled_person_cannot_sign_in(admin_client: Client, practitioner: User) -> None:
    admin_client.post(_staff_url(practitioner, "disable"), {"reason": "Left the trust"})
    response = enter_password(Client(), practitioner.email)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_disabling_without_a_reason_asks_for_one(admin_client: Client, practitioner: User) -> None:
    for reason in ["", "   "]:
        response = admin_client.post(_staff_url(practitioner, "disable"), {"reason": reason})
        assert response.status_code == 200
        assert "Enter why you are disabling this account" in response.content.decode()
    practitioner.refresh_from_db()
    assert practitioner.is_active


def test_disable_page_asks_for_a_reason(admin_client: Client, practitioner: User) -> None:
    response = admin_client.get(_staff_url(practitioner, "disable"))
    assert response.status_code == 200
    assert "Why are you disabling this account?" in response.content.decode()


def test_a_system_admin_cannot_disable_themselves(admin_client: Client, system_admin: User) -> None:
    response = admin_client.post(_staff_url(system_admin, "disable"), {"reason": "Testing"})
    assert response.status_code == 200
    assert "You cannot disable your own account" in response.content.decode()
    system_admin.refresh_from_db()
    assert system_admin.is_active
    assert admin_client.get("/").status_code == 200


def test_a_system_admin_of_another_organisation_gets_not_found(
    signed_in: SignIn, world: World, practitioner: User
) -> None:
    elsewhere_admin = UserFactory(full_name="Elsie Elsewhere")
    MembershipFactory(user=elsewhere_admin, role=Role.SYSTEM_ADMIN, team=None, organisation=world.other_trust)
    client = signed_in(elsewhere_admin)
    response = client.post(_staff_url(practitioner, "disable"), {"reason": "Not mine"})
    assert response.status_code == 404
    practitioner.refresh_from_db()
    assert practitioner.is_active
    refusal = AuditEvent.objects.get(action="access.refused")
    assert refusal.outcome == Outcome.NOT_FOUND
    assert refusal.object_id == str(practitioner.pk)


def test_a_practitioner_gets_forbidden(signed_in: SignIn, practitioner: User, team_lead: User) -> None:
    client = signed_in(practitioner)
    response = client.post(_staff_url(team_lead, "disable"), {"reason": "Mischief"})
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()
    team_lead.refresh_from_db()
    assert team_lead.is_active


@pytest.mark.parametrize("action", ["enable", "end-sessions", "reset-two-factor"])
def test_a_practitioner_cannot_use_the_other_actions(
    signed_in: SignIn, another_client: SignIn, practitioner: User, team_lead: User, action: str
) -> None:
    lead_client = another_client(team_lead)
    response = signed_in(practitioner).post(_staff_url(team_lead, action))
    assert response.status_code == 403
    assert lead_client.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=team_lead).exists()


# End sessions, reset two-factor, enable ---------------------------------------------------


def test_signing_someone_out_everywhere_ends_every_session(
    admin_client: Client, colleague_client: Client, another_client: SignIn, practitioner: User
) -> None:
    second_device = another_client(practitioner)
    response = admin_client.post(_staff_url(practitioner, "end-sessions"))
    assert response.status_code == 302
    assert response["Location"] == _staff_url(practitioner)
    assert colleague_client.get("/").status_code == 302
    assert second_device.get("/").status_code == 302
    assert not UserSession.objects.filter(user=practitioner).exists()
    assert AuditEvent.objects.get(action="account.sessions_ended").detail == {"sessions": 2}
    practitioner.refresh_from_db()
    assert practitioner.is_active  # they can sign in again


def test_end_sessions_asks_for_confirmation_first(
    admin_client: Client, colleague_client: Client, practitioner: User
) -> None:
    response = admin_client.get(_staff_url(practitioner, "end-sessions"))
    assert response.status_code == 200
    assert "Sign Pat Practitioner out everywhere" in response.content.decode()
    assert colleague_client.get("/").status_code == 200


def test_resetting_two_factor_removes_the_app_and_codes_and_ends_sessions(
    admin_client: Client, colleague_client: Client, practitioner: User, rf: RequestFactory
) -> None:
    services.regenerate_recovery_codes(actor=acting(practitioner), user=practitioner)
    response = admin_client.post(_staff_url(practitioner, "reset-two-factor"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert not StaticDevice.objects.filter(user=practitioner).exists()
    assert colleague_client.get("/").status_code == 302
    assert AuditEvent.objects.get(action="account.two_factor_reset").detail == {"sessions": 1}
    # At their next sign-in they set up a new app after their password.
    assert enter_password(Client(), practitioner.email)["Location"] == SET_UP


def test_enabling_a_disabled_account_lets_them_sign_in_again(
    admin_client: Client, practitioner: User, admin_request: Actor
) -> None:
    services.disable_account(actor=admin_request, user=practitioner, reason="On leave")
    response = admin_client.post(_staff_url(practitioner, "enable"))
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.is_active
    assert practitioner.disabled_at is None
    assert practitioner.disabled_reason == ""
    assert AuditEvent.objects.filter(action="account.enabled").count() == 1
    assert enter_password(Client(), practitioner.email).status_code == 302


def test_enabling_an_active_account_shows_an_error(admin_client: Client, practitioner: User) -> None:
    response = admin_client.post(_staff_url(practitioner, "enable"))
    assert response.status_code == 200
    assert "Pat Practitioner&#39;s account is already active" in response.content.decode()


def test_unknown_action_is_not_found(admin_client: Client, practitioner: User) -> None:
    for method in (admin_client.get, admin_client.post):
        assert method(_staff_url(practitioner, "delete-everything")).status_code == 404


@pytest.mark.parametrize("action", ["enable", "end-sessions", "reset-two-factor", "disable"])
def test_actions_on_someone_outside_the_organisation_are_not_found(
    admin_client: Client, another_client: SignIn, outsider: User, action: str
) -> None:
    outsider_client = another_client(outsider)
    response = admin_client.post(_staff_url(outsider, action), {"reason": "Not mine"})
    assert response.status_code == 404
    assert outsider_client.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=outsider).exists()


# The services themselves ---------------------------------------------------------------------


def test_disable_account_service_refuses_a_blank_reason(practitioner: User, admin_request: Actor) -> None:
    with pytest.raises(services.AccountError, match="Enter why you are disabling this account"):
        services.disable_account(actor=admin_request, user=practitioner, reason="  ")


def test_disable_account_service_refuses_the_admin_themselves(system_admin: User, admin_request: Actor) -> None:
    with pytest.raises(services.AccountError, match="You cannot disable your own account"):
        services.disable_account(actor=admin_request, user=system_admin, reason="Testing")


def test_disable_account_service_refuses_an_already_disabled_account(practitioner: User, admin_request: Actor) -> None:
    services.disable_account(actor=admin_request, user=practitioner, reason="Left")
    with pytest.raises(services.AccountError, match="already disabled"):
        services.disable_account(actor=admin_request, user=practitioner, reason="Left again")
    assert AuditEvent.objects.filter(action="account.disabled").count() == 1


def test_enable_account_service_refuses_an_active_account(practitioner: User, admin_request: Actor) -> None:
    with pytest.raises(services.AccountError, match="already active"):
        services.enable_account(actor=admin_request, user=practitioner)


def test_end_all_sessions_returns_how_many_ended(
    another_client: SignIn, practitioner: User, admin_request: Actor
) -> None:
    another_client(practitioner)
    another_client(practitioner)
    keys = _session_keys(practitioner)
    assert services.end_all_sessions(actor=admin_request, user=practitioner) == 2
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert services.end_all_sessions(actor=admin_request, user=practitioner) == 0


def test_end_all_sessions_leaves_other_people_alone(
    another_client: SignIn, practitioner: User, team_lead: User, admin_request: Actor
) -> None:
    lead_client = another_client(team_lead)
    another_client(practitioner)
    services.end_all_sessions(actor=admin_request, user=practitioner)
    assert lead_client.get("/").status_code == 200


def test_reset_two_factor_service_removes_both_kinds_of_device(
    another_client: SignIn, practitioner: User, admin_request: Actor, rf: RequestFactory
) -> None:
    another_client(practitioner)
    services.regenerate_recovery_codes(actor=acting(practitioner), user=practitioner)
    services.reset_two_factor(actor=admin_request, user=practitioner)
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert not StaticDevice.objects.filter(user=practitioner).exists()
    assert not UserSession.objects.filter(user=practitioner).exists()
