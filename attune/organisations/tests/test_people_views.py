"""The people pages through the browser's requests: only a system administrator of the
organisation reaches them, errors keep what was typed, and nobody changes their own roles."""

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from attune.accounts.models import AccountLink, User
from attune.core.models import AuditEvent
from attune.notifications.models import Message
from attune.organisations.models import Membership
from attune.organisations.roles import Role
from attune.organisations.tests.world import World

pytestmark = pytest.mark.usefixtures("pinned")
SignedIn = Callable[[User], Client]


@pytest.fixture
def pinned():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _role(team_or_org: object, role: Role) -> str:
    kind = "team" if hasattr(team_or_org, "service") else "organisation"
    return f"{kind}:{team_or_org.pk}:{role.value}"  # type: ignore[attr-defined]


def _invite(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Tess Trainee",
        "email": "tess@trust.example",
        "roles": [_role(world.satellite, Role.TRAINEE)],
        "starts_on-day": "",
        "starts_on-month": "",
        "starts_on-year": "",
        "ends_on-day": "",
        "ends_on-month": "",
        "ends_on-year": "",
    }
    data.update(changes)
    return data


def test_an_administrator_invites_a_person_and_sees_the_confirmation(
    world: World, system_admin: User, signed_in: SignedIn
) -> None:
    client = signed_in(system_admin)
    page = client.get(reverse("people:invite"))
    assert page.status_code == 200
    assert "Trainee parent-infant therapist, Example satellite team" in page.content.decode()
    assert "Elsewhere team" not in page.content.decode()
    response = client.post(reverse("people:invite"), _invite(world), follow=True)
    person = User.objects.get(email="tess@trust.example")
    assert response.redirect_chain[-1][0] == reverse("organisations:staff_detail", args=[person.pk])
    assert "Invitation sent to tess@trust.example. The link works for 7 days." in response.content.decode()
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.team, membership.starts_on) == (
        Role.TRAINEE,
        world.satellite,
        datetime.date(2026, 3, 2),
    )
    assert Message.objects.filter(to="tess@trust.example").count() == 1
    assert "Send the invitation again" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roles": []}, "Select at least one role"),
        (
            {
                "starts_on-day": "1",
                "starts_on-month": "4",
                "starts_on-year": "2026",
                "ends_on-day": "1",
                "ends_on-month": "3",
                "ends_on-year": "2026",
            },
            "End date must be the same as or after the start date",
        ),
        (
            {"roles": ["team:00000000-0000-0000-0000-000000000000:trainee"]},
            "Only teams in your organisation can be chosen",
        ),
    ],
)
def test_an_invitation_with_a_problem_is_refused_and_keeps_what_was_typed(
    world: World, system_admin: User, signed_in: SignedIn, changes: dict[str, object], message: str
) -> None:
    response = signed_in(system_admin).post(reverse("people:invite"), _invite(world, **changes))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Tess Trainee"' in body
    assert 'value="tess@trust.example"' in body
    assert not User.objects.filter(email="tess@trust.example").exists()


def test_a_team_of_another_organisation_is_refused(world: World, system_admin: User, signed_in: SignedIn) -> None:
    response = signed_in(system_admin).post(
        reverse("people:invite"), _invite(world, roles=[_role(world.other_team, Role.TRAINEE)])
    )
    assert "Only teams in your organisation can be chosen" in response.content.decode()
    assert not User.objects.filter(email="tess@trust.example").exists()


def test_an_email_already_in_use_names_whose_it_is(
    world: World, system_admin: User, practitioner: User, signed_in: SignedIn
) -> None:
    response = signed_in(system_admin).post(reverse("people:invite"), _invite(world, email=practitioner.email))
    assert (
        f"{practitioner.email} already has an account: Pat Practitioner. Open their page to give them a role"
        in response.content.decode()
    )
    assert 'value="Tess Trainee"' in response.content.decode()


@pytest.mark.parametrize("role", ["team_lead", "practitioner", "ig_lead"])
def test_only_a_system_administrator_reaches_the_people_pages(
    request: pytest.FixtureRequest, world: World, role: str, trainee: User, signed_in: SignedIn
) -> None:
    client = signed_in(request.getfixturevalue(role))
    membership = Membership.objects.get(user=trainee)
    urls = [
        reverse("people:invite"),
        reverse("people:give_role", args=[trainee.pk]),
        reverse("people:end_role", args=[trainee.pk, membership.pk]),
        reverse("people:move", args=[trainee.pk, membership.pk]),
        reverse("people:leaving", args=[trainee.pk]),
        reverse("dashboards:handover", args=[trainee.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("people:invite"), _invite(world)).status_code == 403
    assert not User.objects.filter(email="tess@trust.example").exists()


def test_an_administrator_of_another_organisation_does_not_find_the_person(
    world: World, trainee: User, signed_in: SignedIn
) -> None:
    from attune.organisations.tests.factories import MembershipFactory

    other_admin = MembershipFactory(role=Role.SYSTEM_ADMIN, team=None, organisation=world.other_trust).user
    assert signed_in(other_admin).get(reverse("people:give_role", args=[trainee.pk])).status_code == 404


def test_an_administrator_cannot_give_themselves_a_role_through_the_page(
    world: World, system_admin: User, signed_in: SignedIn
) -> None:
    client = signed_in(system_admin)
    detail = client.get(reverse("organisations:staff_detail", args=[system_admin.pk])).content.decode()
    assert "another role" not in detail
    response = client.post(
        reverse("people:give_role", args=[system_admin.pk]),
        {"role": _role(world.hub, Role.TEAM_LEAD), "starts_on-day": "", "starts_on-month": "", "starts_on-year": ""},
    )
    assert "You cannot change your own roles. Ask another system administrator" in response.content.decode()
    assert not Membership.objects.filter(user=system_admin, role=Role.TEAM_LEAD).exists()


def test_giving_ending_and_moving_roles_through_the_pages(
    world: World, system_admin: User, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(system_admin)
    response = client.post(
        reverse("people:give_role", args=[practitioner.pk]),
        {
            "role": _role(world.satellite, Role.SUPERVISOR),
            "starts_on-day": "",
            "starts_on-month": "",
            "starts_on-year": "",
        },
        follow=True,
    )
    assert "Pat Practitioner is now Clinical supervisor, Example satellite team." in response.content.decode()
    supervision = Membership.objects.get(user=practitioner, role=Role.SUPERVISOR)
    response = client.post(
        reverse("people:end_role", args=[practitioner.pk, supervision.pk]),
        {"ends_on-day": "31", "ends_on-month": "3", "ends_on-year": "2026", "reason": "Cover ended"},
        follow=True,
    )
    assert "ends on 31 March 2026" in response.content.decode()
    hub_role = Membership.objects.get(user=practitioner, role=Role.PRACTITIONER)
    response = client.post(
        reverse("people:move", args=[practitioner.pk, hub_role.pk]),
        {
            "to_team": str(world.satellite.pk),
            "moves_on-day": "1",
            "moves_on-month": "4",
            "moves_on-year": "2026",
            "reason": "New post",
        },
        follow=True,
    )
    assert "Pat Practitioner moves to Example satellite team on 1 April 2026" in response.content.decode()
    hub_role.refresh_from_db()
    assert hub_role.ends_on == datetime.date(2026, 3, 31)
    assert {"membership.granted", "membership.ended", "membership.moved"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_ending_a_role_needs_a_date_and_a_reason(
    world: World, system_admin: User, practitioner: User, signed_in: SignedIn
) -> None:
    membership = Membership.objects.get(user=practitioner)
    response = signed_in(system_admin).post(
        reverse("people:end_role", args=[practitioner.pk, membership.pk]),
        {"ends_on-day": "", "ends_on-month": "", "ends_on-year": "", "reason": ""},
    )
    body = response.content.decode()
    assert "Enter the last day in the role" in body
    assert "Enter why the role is ending" in body
    assert "Error: End a role" in body


def test_recording_a_leaver_goes_on_to_the_handover(
    world: World, system_admin: User, practitioner: User, signed_in: SignedIn
) -> None:
    response = signed_in(system_admin).post(
        reverse("people:leaving", args=[practitioner.pk]),
        {"leaving_on-day": "2", "leaving_on-month": "3", "leaving_on-year": "2026", "reason": "New job"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboards:handover", args=[practitioner.pk])
    assert "Pat Practitioner leaves on 2 March 2026" in response.content.decode()
    practitioner.refresh_from_db()
    assert not practitioner.is_active


def test_resending_an_invitation_from_the_person_page(world: World, system_admin: User, signed_in: SignedIn) -> None:
    client = signed_in(system_admin)
    client.post(reverse("people:invite"), _invite(world))
    person = User.objects.get(email="tess@trust.example")
    response = client.post(reverse("people:resend_invitation", args=[person.pk]), follow=True)
    assert "Invitation sent again to tess@trust.example" in response.content.decode()
    assert AccountLink.objects.filter(user=person).unused().count() == 1
    assert Message.objects.filter(to="tess@trust.example").count() == 2


def test_each_page_about_a_person_records_that_their_record_was_read(
    signed_in: Callable[[User], Client], system_admin: User, practitioner: User
) -> None:
    client = signed_in(system_admin)
    membership = practitioner.memberships.first()
    assert membership is not None
    pages = [
        f"/people/{practitioner.pk}/roles/new",
        f"/people/{practitioner.pk}/roles/{membership.pk}/end",
        f"/people/{practitioner.pk}/roles/{membership.pk}/move",
        f"/people/{practitioner.pk}/leaving",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    viewed = AuditEvent.objects.filter(action="staff.viewed", object_id=str(practitioner.pk), actor=system_admin)
    assert viewed.count() == len(pages)
