"""The header's Funding link: for the lead of a hub team, who records its funding agreements."""

import re
from collections.abc import Callable

from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World


def navigation(html: str) -> dict[str, str]:
    """Header links: text -> href."""
    links = re.findall(
        r'<a class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', html
    )
    return {text.strip(): href for href, text in links}


def test_a_hub_team_lead_has_a_funding_link(team_lead: User, signed_in: Callable[[User], Client]) -> None:
    links = navigation(signed_in(team_lead).get("/").content.decode())
    assert links["Funding"] == "/funding"


def test_the_funding_pages_are_in_the_funding_section_for_a_hub_team_lead(
    team_lead: User, signed_in: Callable[[User], Client]
) -> None:
    html = signed_in(team_lead).get("/funding").content.decode()
    current = re.findall(r'href="([^"]+)" aria-current="page"', html)
    assert current == ["/funding"]


def test_a_satellite_team_lead_and_a_practitioner_have_no_funding_link(
    world: World, practitioner: User, signed_in: Callable[[User], Client]
) -> None:
    satellite_lead = UserFactory(full_name="Sol Satellite")
    MembershipFactory(user=satellite_lead, role=Role.TEAM_LEAD, team=world.satellite)
    for person in (satellite_lead, practitioner):
        assert "Funding" not in navigation(signed_in(person).get("/").content.decode())
