"""The report's cost table against a hand-built dataset with known answers."""

import datetime as dt
from decimal import Decimal

import pytest

from attune.commissioning.tests.factories import agreement, post_cost
from attune.organisations.tests.world import World
from attune.reports.indicators.costs import cost_section
from attune.reports.suppression import Rule, present_table
from attune.reports.tables import Kind, ReportScope
from attune.reports.tests.factories import exact
from attune.workforce.tests.factories import post

pytestmark = pytest.mark.django_db
Q3 = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))  # 92 days


@pytest.fixture
def satellite(world: World) -> None:
    """Two satellite posts from 1 November 2024 at £36,500 a year (£100 a day); the second gets
    a rise to £73,000 (£200 a day) from 1 December; a third post has no cost recorded."""
    first = post(world.satellite, "Therapist", dt.date(2024, 11, 1), dt.date(2025, 3, 31))
    second = post(world.satellite, "Therapist", dt.date(2024, 11, 1), dt.date(2025, 3, 31))
    post(world.satellite, "Uncosted", dt.date(2024, 11, 1), None)
    post_cost(first, "36500.00", dt.date(2024, 11, 1))
    post_cost(second, "36500.00", dt.date(2024, 11, 1))
    post_cost(second, "73000.00", dt.date(2024, 12, 1))
    hub_post = post(world.hub, "Hub therapist", dt.date(2020, 1, 1), None)
    post_cost(hub_post, "36500.00", dt.date(2020, 1, 1))  # not in the satellite's report
    agreement(world.satellite_area, world.icb, [world.satellite])  # £60,371.25, 1 Nov 2024 to 31 Mar 2025


# Q3 staff cost of the satellite: first 61 days x £100 = 6,100; second 30 x £100 + 31 x £200 = 9,200.
STAFF = Decimal("15300.00")


@pytest.mark.usefixtures("satellite")
def test_the_cost_table_divides_the_staff_cost_by_what_the_team_did(world: World) -> None:
    scope = ReportScope(start=Q3[0], end=Q3[1], team_ids=frozenset({world.satellite.pk}))
    table = cost_section(scope, referrals=40, families_seen=25, attended_contacts=180, completed_episodes=6)
    assert (table.key, table.title, table.total) == ("costs", "Cost", None)
    assert [(c.key, c.label, c.kind) for c in table.columns] == [
        ("cost", "Staff cost", Kind.MONEY),
        ("number", "Number", Kind.COUNT),
        ("each", "Cost each", Kind.COST_PER),
    ]
    assert table.columns[1].additive is False
    assert (table.columns[2].numerator, table.columns[2].denominator) == ("cost", "number")
    assert [(r.label, r.values) for r in table.rows] == [
        ("Per referral received", {"cost": STAFF, "number": 40}),
        ("Per family seen", {"cost": STAFF, "number": 25}),
        ("Per attended contact", {"cost": STAFF, "number": 180}),
        ("Per completed episode", {"cost": STAFF, "number": 6}),
    ]
    assert any(
        "Posts in the period with no recorded cost for some or all of it: 1 of 3." in note
        for note in exact(table.notes)
    )
    assert any("divided by 365" in note for note in exact(table.notes))
    # Shared, the hidden 1 is not given away by the words around it ("has" against "have").
    shared = present_table(table, Rule()).notes
    assert any("no recorded cost for some or all of it: * of *. Those days" in note for note in shared)


@pytest.mark.usefixtures("satellite")
def test_a_funders_report_starts_with_the_funders_money_for_the_period(world: World) -> None:
    scope = ReportScope(
        start=Q3[0], end=Q3[1], team_ids=frozenset({world.satellite.pk}), funder_id=world.satellite_area.pk
    )
    table = cost_section(scope, referrals=40, families_seen=25, attended_contacts=180, completed_episodes=6)
    first = table.rows[0]
    # 61 of the agreement's 151 days fall in Q3: 60,371.25 x 61 / 151 = 24,388.386 → £24,388.39.
    assert first.label == "Funding from Mill Town Council for the period"
    assert first.values == {"cost": Decimal("24388.39"), "number": None}
    assert len(table.rows) == 5
    assert any("pro rata" in note for note in exact(table.notes))


def test_no_posts_cost_nothing_and_say_nothing_is_missing(world: World, django_assert_max_num_queries: object) -> None:
    scope = ReportScope(start=Q3[0], end=Q3[1], team_ids=frozenset({world.other_team.pk}), funder_id=world.icb.pk)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        table = cost_section(scope, referrals=0, families_seen=0, attended_contacts=0, completed_episodes=0)
    # No agreement at all: the funding is not £0.00 but none recorded (below).
    assert table.rows[0].values == {"cost": None, "number": None}
    assert all(r.values["cost"] == Decimal("0.00") for r in table.rows[1:])
    assert not any("no recorded cost" in note for note in exact(table.notes))


def test_funding_with_no_agreement_says_none_recorded_not_nothing(world: World) -> None:
    scope = ReportScope(start=Q3[0], end=Q3[1], team_ids=frozenset({world.other_team.pk}), funder_id=world.icb.pk)
    table = cost_section(scope, referrals=0, families_seen=0, attended_contacts=0, completed_episodes=0)
    for rule in (None, Rule()):
        shown = present_table(table, rule)
        assert shown.rows[0].cells[0].text == "None recorded"
        assert shown.rows[0].cells[0].number is None
        assert "£0.00" not in [cell.text for cell in shown.rows[0].cells]
