"""Who may open which page: 404 outside the team or organisation, 403 inside it without the
right role, and every refusal audited (S2, ASVS v5.0.0-8.2.2, 8.4.1)."""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.accounts.models import User
from attune.core.models import AuditEvent, Outcome
from attune.organisations.tests.world import World

ROLES = [
    "practitioner",
    "trainee",
    "supervisor",
    "team_lead",
    "coordinator",
    "commissioner",
    "ig_lead",
    "system_admin",
    "outsider",
]


def _urls(world: World, practitioner: User, outsider: User) -> dict[str, str]:
    return {
        "teams": "/teams",
        "hub": f"/teams/{world.hub.pk}",
        "satellite": f"/teams/{world.satellite.pk}",
        "other_team": f"/teams/{world.other_team.pk}",
        "staff": "/staff",
        "staff_member": f"/staff/{practitioner.pk}",
        "outside_staff_member": f"/staff/{outsider.pk}",
        "audit": "/audit",
        "audit_hub": f"/audit/records/organisations.team/{world.hub.pk}",
        "audit_other_team": f"/audit/records/organisations.team/{world.other_team.pk}",
    }


# The rule, written out in full: the status each role gets for each page.
EXPECTED: dict[str, dict[str, int]] = {
    "practitioner": {"teams": 200, "hub": 200, "satellite": 404, "other_team": 404, "staff": 403,
                     "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                     "audit_other_team": 403},
    "trainee": {"teams": 200, "hub": 404, "satellite": 200, "other_team": 404, "staff": 403,
                "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                "audit_other_team": 403},
    "supervisor": {"teams": 200, "hub": 200, "satellite": 200, "other_team": 404, "staff": 403,
                   "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                   "audit_other_team": 403},
    "team_lead": {"teams": 200, "hub": 200, "satellite": 404, "other_team": 404, "staff": 403,
                  "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                  "audit_other_team": 403},
    "coordinator": {"teams": 200, "hub": 200, "satellite": 404, "other_team": 404, "staff": 403,
                    "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                    "audit_other_team": 403},
    # Commissioners reach aggregates only: no team page (it names staff), no person.
    "commissioner": {"teams": 403, "hub": 404, "satellite": 404, "other_team": 404, "staff": 403,
                     "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                     "audit_other_team": 403},
    "ig_lead": {"teams": 403, "hub": 404, "satellite": 404, "other_team": 404, "staff": 403,
                "staff_member": 403, "outside_staff_member": 403, "audit": 200, "audit_hub": 200,
                "audit_other_team": 404},
    "system_admin": {"teams": 403, "hub": 404, "satellite": 404, "other_team": 404, "staff": 200,
                     "staff_member": 200, "outside_staff_member": 404, "audit": 403, "audit_hub": 403,
                     "audit_other_team": 403},
    "outsider": {"teams": 200, "hub": 404, "satellite": 404, "other_team": 200, "staff": 403,
                 "staff_member": 403, "outside_staff_member": 403, "audit": 403, "audit_hub": 403,
                 "audit_other_team": 403},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_pages(
    role: str, request: pytest.FixtureRequest, world: World, signed_in: Callable[[User], Client]
) -> None:
    practitioner = request.getfixturevalue("practitioner")
    outsider = request.getfixturevalue("outsider")
    person = request.getfixturevalue(role)
    client = signed_in(person)
    urls = _urls(world, practitioner, outsider)
    got = {name: client.get(url).status_code for name, url in urls.items()}
    assert got == EXPECTED[role]


def test_a_refusal_shows_nothing_of_the_record(
    signed_in: Callable[[User], Client], outsider: User, world: World
) -> None:
    response = signed_in(outsider).get(f"/teams/{world.hub.pk}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert world.hub.name not in html


def test_not_found_and_forbidden_are_audited(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)
    client.get(f"/teams/{world.other_team.pk}")
    client.get("/staff")
    refusals = AuditEvent.objects.filter(action="access.refused", actor=practitioner).order_by("id")
    assert [(e.object_type, e.object_id, e.outcome) for e in refusals] == [
        ("organisations.team", str(world.other_team.pk), Outcome.NOT_FOUND),
        ("accounts.user", "", Outcome.DENIED),
    ]


def test_a_membership_that_has_ended_gives_no_access(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    practitioner.memberships.update(ends_on="2024-12-31")
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}").status_code == 404


def test_reading_a_team_page_is_audited_with_the_role_that_allowed_it(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    signed_in(supervisor).get(f"/teams/{world.satellite.pk}")
    event = AuditEvent.objects.get(action="team.viewed")
    assert event.actor == supervisor
    assert event.object_id == str(world.satellite.pk)
    assert event.role == "Clinical supervisor, Example satellite team"


def test_a_guessed_team_id_is_never_found(signed_in: Callable[[User], Client], team_lead: User) -> None:
    client = signed_in(team_lead)

    @given(team_id=st.uuids())
    @settings(max_examples=25, deadline=None)
    def check(team_id: uuid.UUID) -> None:
        assert client.get(f"/teams/{team_id}").status_code == 404

    check()
