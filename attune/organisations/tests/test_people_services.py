"""The rules of inviting people, giving and ending roles, moving teams and leaving, checked in
the actions themselves (a page, a job or an importer cannot skip them)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from attune.accounts.models import AccountLink, LinkPurpose, User
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.notifications.models import Message
from attune.organisations import services
from attune.organisations.models import Membership
from attune.organisations.roles import Role
from attune.organisations.services import MembershipError, RoleGrant
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

SITE = "https://attune.example/"
TODAY = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _admin(user: User) -> Actor:
    return Actor(user=user)


def _trainee_in(world: World, **extra: object) -> RoleGrant:
    return RoleGrant(role=Role.TRAINEE, team=world.satellite, starts_on=TODAY, **extra)  # type: ignore[arg-type]


def test_invite_creates_an_account_without_a_password_its_roles_and_a_set_up_email(
    world: World, system_admin: User
) -> None:
    person = services.invite_person(
        actor=_admin(system_admin),
        full_name="Tess Trainee",
        email="Tess.Trainee@Trust.example",
        roles=[_trainee_in(world), RoleGrant(role=Role.SUPERVISOR, team=world.hub, starts_on=TODAY)],
        site_url=SITE,
    )
    assert person.email == "tess.trainee@trust.example"
    assert not person.has_usable_password()
    assert sorted(Membership.objects.filter(user=person).values_list("role", flat=True)) == ["supervisor", "trainee"]
    assert AccountLink.objects.filter(user=person, purpose=LinkPurpose.SET_UP).unused().count() == 1
    message = Message.objects.get(to="tess.trainee@trust.example")
    assert "https://attune.example/account/set-up/" in message.body
    actions = set(AuditEvent.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert {"person.invited", "membership.granted", "account.link_issued"} <= actions


def test_invite_refuses_an_email_already_in_use(world: World, system_admin: User, practitioner: User) -> None:
    with pytest.raises(MembershipError) as refused:
        services.invite_person(
            actor=_admin(system_admin),
            full_name="Someone",
            email=practitioner.email.upper(),
            roles=[_trainee_in(world)],
            site_url=SITE,
        )
    assert str(refused.value) == (
        f"{practitioner.email} already has an account: Pat Practitioner. Open their page to give them a role"
    )


def test_invite_refuses_no_role_a_role_ending_before_it_starts_and_a_team_elsewhere(
    world: World, system_admin: User
) -> None:
    admin = _admin(system_admin)
    cases = [
        ([], "Select at least one role"),
        (
            [_trainee_in(world, ends_on=TODAY - datetime.timedelta(days=1))],
            "The end date must be the same as or after the start date",
        ),
        (
            [RoleGrant(role=Role.TRAINEE, team=world.other_team, starts_on=TODAY)],
            "Elsewhere team is not a team of your organisation",
        ),
        (
            [RoleGrant(role=Role.COMMISSIONER, organisation=world.icb, starts_on=TODAY)],
            "You cannot give roles in Example ICB",
        ),
    ]
    for roles, message in cases:
        with pytest.raises(MembershipError, match=message):
            services.invite_person(
                actor=admin, full_name="Tess", email="tess@trust.example", roles=roles, site_url=SITE
            )
    assert not User.objects.filter(email="tess@trust.example").exists()


def test_only_a_system_administrator_can_give_roles(world: World, team_lead: User, practitioner: User) -> None:
    with pytest.raises(MembershipError, match="not a team of your organisation"):
        services.give_role(actor=_admin(team_lead), user=practitioner, grant=_trainee_in(world))


def test_nobody_can_give_themselves_a_role(world: World, system_admin: User) -> None:
    with pytest.raises(MembershipError, match="You cannot change your own roles"):
        services.give_role(actor=_admin(system_admin), user=system_admin, grant=_trainee_in(world))
    # Not even through the lower-level action the command line and demo use
    with pytest.raises(MembershipError, match="You cannot change your own roles"):
        services.grant_role(
            actor=_admin(system_admin), user=system_admin, role=Role.TRAINEE, team=world.satellite, starts_on=TODAY
        )
    assert not Membership.objects.filter(user=system_admin, role=Role.TRAINEE).exists()


def test_nobody_can_end_their_own_role_or_record_themselves_leaving(world: World, system_admin: User) -> None:
    own = Membership.objects.get(user=system_admin)
    with pytest.raises(MembershipError, match="You cannot change your own roles"):
        services.end_role(actor=_admin(system_admin), membership=own, ends_on=TODAY, reason="Bored")
    with pytest.raises(MembershipError, match="You cannot change your own roles"):
        services.record_leaving(actor=_admin(system_admin), user=system_admin, leaving_on=TODAY, reason="Bored")
    own.refresh_from_db()
    assert own.ends_on is None


def test_end_role_keeps_the_role_to_the_end_of_that_day_and_is_audited(
    world: World, system_admin: User, practitioner: User
) -> None:
    membership = Membership.objects.get(user=practitioner)
    services.end_role(actor=_admin(system_admin), membership=membership, ends_on=TODAY, reason="Contract ended")
    assert Membership.objects.active(TODAY).filter(pk=membership.pk).exists()
    assert not Membership.objects.active(TODAY + datetime.timedelta(days=1)).filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="membership.ended")
    assert event.detail["reason"] == "Contract ended"


def test_end_role_refuses_a_day_before_the_role_started(world: World, system_admin: User, practitioner: User) -> None:
    membership = Membership.objects.get(user=practitioner)
    with pytest.raises(MembershipError, match="on or after the day the role started, 1 November 2024"):
        services.end_role(
            actor=_admin(system_admin), membership=membership, ends_on=datetime.date(2024, 10, 1), reason="Typo"
        )


def test_moving_team_ends_the_old_role_the_day_before_and_starts_the_same_role_in_the_new_team(
    world: World, system_admin: User, practitioner: User
) -> None:
    old = Membership.objects.get(user=practitioner)
    moved = services.move_to_team(
        actor=_admin(system_admin), membership=old, to_team=world.satellite, moves_on=TODAY, reason="New post"
    )
    old.refresh_from_db()
    assert old.ends_on == TODAY - datetime.timedelta(days=1)
    assert (moved.team, moved.role, moved.starts_on, moved.ends_on) == (world.satellite, Role.PRACTITIONER, TODAY, None)
    assert AuditEvent.objects.filter(action="membership.moved").count() == 1


def test_leaving_today_ends_every_role_and_disables_the_account_now(
    world: World, system_admin: User, supervisor: User
) -> None:
    services.record_leaving(actor=_admin(system_admin), user=supervisor, leaving_on=TODAY, reason="Retired")
    assert set(Membership.objects.filter(user=supervisor).values_list("ends_on", flat=True)) == {TODAY}
    supervisor.refresh_from_db()
    assert not supervisor.is_active


def test_a_leaving_date_ahead_disables_the_account_on_that_day_through_the_daily_job(
    world: World, system_admin: User, practitioner: User, trainee: User
) -> None:
    leaving = TODAY + datetime.timedelta(days=10)
    services.record_leaving(actor=_admin(system_admin), user=practitioner, leaving_on=leaving, reason="New job")
    practitioner.refresh_from_db()
    assert practitioner.is_active
    job = Actor.system("disable_leavers")
    assert services.disable_leavers(actor=job, today=leaving - datetime.timedelta(days=1)) == []
    assert services.disable_leavers(actor=job, today=leaving) == [practitioner]
    practitioner.refresh_from_db()
    trainee.refresh_from_db()
    assert not practitioner.is_active
    assert trainee.is_active
    assert "Left on" in practitioner.disabled_reason


def test_leaving_refuses_a_role_that_starts_after_the_leaving_date(
    world: World, system_admin: User, practitioner: User
) -> None:
    MembershipFactory(
        user=practitioner, role=Role.SUPERVISOR, team=world.hub, starts_on=TODAY + datetime.timedelta(days=30)
    )
    with pytest.raises(MembershipError, match="starts after"):
        services.record_leaving(actor=_admin(system_admin), user=practitioner, leaving_on=TODAY, reason="Left")


def test_resending_an_invitation_stops_the_earlier_link(world: World, system_admin: User) -> None:
    admin = _admin(system_admin)
    person = services.invite_person(
        actor=admin, full_name="Tess", email="tess@trust.example", roles=[_trainee_in(world)], site_url=SITE
    )
    services.resend_invitation(actor=admin, user=person, site_url=SITE)
    links = AccountLink.objects.filter(user=person, purpose=LinkPurpose.SET_UP)
    assert links.count() == 2
    assert links.unused().count() == 1
    assert Message.objects.filter(to="tess@trust.example").count() == 2


def test_an_invitation_is_not_resent_once_the_person_has_set_up(
    world: World, system_admin: User, practitioner: User
) -> None:
    with pytest.raises(MembershipError, match="has already set up their account"):
        services.resend_invitation(actor=_admin(system_admin), user=practitioner, site_url=SITE)
    assert timezone.localdate() == TODAY


def test_the_daily_command_disables_leavers_whose_day_has_come(
    world: World, system_admin: User, practitioner: User
) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.record_leaving(
        actor=_admin(system_admin), user=practitioner, leaving_on=TODAY + datetime.timedelta(days=1), reason="New job"
    )
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 3, 3, 0, 5, tzinfo=datetime.UTC), tick=False):
        call_command("disable_leavers", stdout=out)
    assert out.getvalue().strip() == "Leavers: 1 account disabled."
    practitioner.refresh_from_db()
    assert not practitioner.is_active
