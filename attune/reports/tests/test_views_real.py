"""The report pages with the real indicators: a small number really recorded reaches the team lead
exact and the commissioner hidden, and each page costs the same number of queries for a small and
a bigger dataset (the region runs 20,000 families through these pages)."""

import datetime as dt
import io
import re
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core.testing.queries import PAGE_BUDGET, queries_for
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.referrals.workflow import Status
from attune.reports.tests.factories import at, contact, discharge, episode, referral

PERIOD = "2025-26-Q3"
# What the indicators, entitlements and the page need, whatever the size of the data: the list
# keeps to the page budget (attune/core/testing/queries.py); a report runs every indicator.
INDEX_QUERIES = PAGE_BUDGET
# The kept-report look-up, its check and the keeping add up to five more, whatever the size
# (attune/reports/snapshots.py).
REPORT_QUERIES = 45


def received_row(html: str, label: str) -> list[str]:
    """The figures in the first table row with this label."""
    found = re.search(
        rf'<th scope="row" class="nhsuk-table__header">{re.escape(label)}</th>(.*?)</tr>', html, flags=re.S
    )
    assert found, f"no row {label!r}"
    return re.findall(r'nhsuk-table__cell--numeric">([^<]*)<', found.group(1))


def grow(world: World, families: int) -> None:
    """Referrals from health visitors (A2) in the period, and episodes with contacts; half in the
    satellite so the organisation's report has two teams of data."""
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.PRACTITIONER, team=world.hub)
    for n in range(families):
        team = world.hub if n % 2 == 0 else world.satellite
        day = dt.date(2025, 10, 1) + dt.timedelta(days=n % 80)
        referral(team, at(day), history=((Status.ACCEPTED, at(day + dt.timedelta(days=3))),))
        found = episode(team, lead, at(day + dt.timedelta(days=10)))
        contact(found, at(day + dt.timedelta(days=12)))
        if n % 3 == 0:
            discharge(found, at(day + dt.timedelta(days=20)))


@pytest.fixture
def three_referrals(world: World) -> None:
    for day in (1, 2, 3):
        referral(world.hub, at(dt.date(2025, 11, day)))


def test_three_referrals_are_exact_for_the_lead_and_hidden_for_the_commissioner(
    world: World,
    team_lead: User,
    commissioner: User,
    client: Client,
    three_referrals: None,
    signed_in: Callable[[User], Client],
) -> None:
    url = f"/reports/teams/{world.hub.pk}/?period={PERIOD}"
    lead_page = signed_in(team_lead).get(url).content.decode()
    assert received_row(lead_page, "Total")[0] == "3"
    client.logout()
    commissioner_page = signed_in(commissioner).get(url).content.decode()
    assert received_row(commissioner_page, "Total")[0] == "*"


def test_the_team_leads_excel_has_the_star_for_three(
    world: World, team_lead: User, three_referrals: None, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(team_lead).get(f"/reports/teams/{world.hub.pk}/export.xlsx?period={PERIOD}")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "*" in values


@pytest.mark.parametrize(
    "path",
    [
        "/reports/",
        "/reports/teams/{hub}/",
        "/reports/teams/{hub}/print",
        "/reports/teams/{hub}/export.csv",
        "/reports/teams/{hub}/export.xlsx",
        "/reports/organisations/{icb}/",
        "/reports/organisations/{icb}/print",
        "/reports/areas/{area}/",
    ],
)
def test_each_page_costs_the_same_queries_for_small_and_bigger_data(
    world: World,
    path: str,
    commissioner: User,
    signed_in: Callable[[User], Client],
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    client = signed_in(commissioner)
    url = path.format(hub=world.hub.pk, icb=world.icb.pk, area=world.satellite_area.pk) + f"?period={PERIOD}"
    grow(world, 1)
    assert client.get(url).status_code == 200  # warm-up: the session is loaded the same way after this
    small = queries_for(lambda: client.get(url))
    grow(world, 24)
    with django_assert_max_num_queries(INDEX_QUERIES if path == "/reports/" else REPORT_QUERIES):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
    assert queries_for(lambda: client.get(url)) == small
