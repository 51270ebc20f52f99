"""The "Waiting times" figures worked out in PostgreSQL (waits_sql.py) are the figures the Python
path works out from the same data: each case has its known answer, checked on both engines, and
on PostgreSQL both paths run on the same rows and must agree."""

import datetime as dt

import pytest
from django.db import connection

from attune.accounts.models import User
from attune.core import clocks
from attune.organisations.tests.world import World
from attune.referrals.workflow import Status
from attune.reports.indicators import referrals
from attune.reports.indicators.common import Context
from attune.reports.stats import median, percentile
from attune.reports.suppression import median_cell
from attune.reports.tables import ReportScope
from attune.reports.tests.factories import TODAY, at, contact, episode, referral, scope

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
NONE = (0, None, None)
UTC = dt.UTC


def waits(covered: ReportScope) -> list[referrals.Waits]:
    """The Python path's figures; on PostgreSQL, checked against the SQL path's on the same data."""
    context = Context(scope=covered, today=TODAY)
    in_python = referrals.waits_in_python(context)
    if ON_POSTGRESQL:
        in_sql = referrals.waits_in_sql(Context(scope=covered, today=TODAY))
        assert in_sql == in_python
    return in_python


def triage_wait(team_scope: ReportScope) -> referrals.Waits:
    return waits(team_scope)[0]


def test_no_waits_at_all_give_no_median(world: World) -> None:
    assert waits(scope(world.hub)) == [NONE, NONE, NONE]


def test_a_scope_with_no_teams_has_no_waits(world: World) -> None:
    # An organisation that funds no team in the period: nothing to match, and no error.
    referral(world.hub, at(dt.date(2025, 10, 6)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 9))),))
    assert waits(scope()) == [NONE, NONE, NONE]


def test_one_wait(world: World) -> None:
    # Received Monday 6 October, accepted Thursday 9 October: 3 working days.
    referral(world.hub, at(dt.date(2025, 10, 6)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 9))),))
    assert waits(scope(world.hub)) == [(1, 3, 3), NONE, NONE]


def test_received_and_decided_on_the_same_day_waits_0(world: World) -> None:
    day = dt.date(2025, 10, 6)
    referral(world.hub, at(day, 9), history=((Status.DECLINED, at(day, 16)),))
    assert triage_wait(scope(world.hub)) == (1, 0, 0)


def test_ties(world: World) -> None:
    # 2, 2, 2 and 5 working days: the median is 2 and the 90th percentile 2 + 0.7 x 3.
    for _ in range(3):
        referral(world.hub, at(dt.date(2025, 10, 6)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 8))),))
    referral(world.hub, at(dt.date(2025, 10, 6)), history=((Status.SIGNPOSTED, at(dt.date(2025, 10, 13))),))
    count, middle, p90 = triage_wait(scope(world.hub))
    assert (count, middle) == (4, 2)
    assert p90 == pytest.approx(4.1)


def test_a_pause_over_a_weekend_and_christmas_bank_holidays(world: World) -> None:
    # Received Monday 22 December; waiting for information from Tuesday 23 to Monday 29 (24 and
    # 29 December are the only working days in it); accepted Wednesday 31 December. Working days
    # 23, 24, 29, 30, 31 less 2 paused: 3.
    referral(
        world.hub,
        at(dt.date(2025, 12, 22)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 12, 23))),
            (Status.RECEIVED, at(dt.date(2025, 12, 29))),
            (Status.ACCEPTED, at(dt.date(2025, 12, 31))),
        ),
    )
    # Paused from Friday 7 November to Monday 10 November: 1 working day (Monday); received
    # Wednesday 5, decided Wednesday 12 November: 5 less 1.
    referral(
        world.hub,
        at(dt.date(2025, 11, 5)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 11, 7))),
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 11, 8))),  # asked again: still the same pause
            (Status.RECEIVED, at(dt.date(2025, 11, 10))),
            (Status.DECLINED, at(dt.date(2025, 11, 12))),
        ),
    )
    assert triage_wait(scope(world.hub)) == (2, 3.5, pytest.approx(3.9))


def test_a_pause_still_open_at_the_decision_runs_to_it(world: World) -> None:
    # Received Monday 6 October; waiting for information from Tuesday 7 until declined on Monday
    # 20 October: 1 working day. A second pause in another referral opens and closes twice.
    referral(
        world.hub,
        at(dt.date(2025, 10, 6)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 7))),
            (Status.DECLINED, at(dt.date(2025, 10, 20))),
        ),
    )
    # Received Monday 6 October, decided Monday 27 October (15 working days), paused 7 -> 9
    # October (2) and from 20 October to the decision (5): 8.
    referral(
        world.hub,
        at(dt.date(2025, 10, 6)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 7))),
            (Status.RECEIVED, at(dt.date(2025, 10, 9))),
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 20))),
            (Status.ACCEPTED, at(dt.date(2025, 10, 27))),
        ),
    )
    assert triage_wait(scope(world.hub)) == (2, 4.5, pytest.approx(7.3))


def test_a_decision_ends_a_pause_and_a_second_decision_counts_with_the_pauses_before_it(world: World) -> None:
    # Received Monday 6 October, waiting for information from Tuesday 7, declined Monday 13: 5
    # working days less 4 paused = 1. Answered on Wednesday 15 and accepted on Friday 17: 9 less
    # the same 4 = 5 (the decline ended the pause).
    referral(
        world.hub,
        at(dt.date(2025, 10, 6)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 7))),
            (Status.DECLINED, at(dt.date(2025, 10, 13))),
            (Status.RECEIVED, at(dt.date(2025, 10, 15))),
            (Status.ACCEPTED, at(dt.date(2025, 10, 17))),
        ),
    )
    assert triage_wait(scope(world.hub)) == (2, 3, pytest.approx(4.6))


def test_a_status_at_the_moment_of_the_decision_is_read_with_it(world: World) -> None:
    # Waiting for information from Tuesday 7 October; an answer and a decision at the same moment
    # on Monday 13: the pause ends that day either way. 5 working days less 4 = 1.
    moment = at(dt.date(2025, 10, 13), 11)
    referral(
        world.hub,
        at(dt.date(2025, 10, 6)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 7))),
            (Status.ACCEPTED, moment),
            (Status.RECEIVED, moment),
        ),
    )
    assert triage_wait(scope(world.hub)) == (1, 1, 1)


def test_waits_around_the_clocks_changing_are_counted_in_local_days(world: World) -> None:
    # 00:30 on Tuesday 21 October 2025 (BST) is 23:30 on Monday in UTC: received on Tuesday;
    # decided on Wednesday 22: 1 working day (2 if the days were UTC's).
    referral(
        world.hub,
        dt.datetime(2025, 10, 20, 23, 30, tzinfo=UTC),
        history=((Status.ACCEPTED, at(dt.date(2025, 10, 22))),),
    )
    # The clocks went back at 02:00 on Sunday 26 October. Received 00:30 BST on Friday 24;
    # waiting for information from 00:30 BST on Sunday 26; answered 00:10 GMT on Wednesday 29;
    # accepted on Thursday 30: 4 working days (27 to 30) less 3 paused (27 to 29) = 1 (UTC's
    # days would give 5 less 3).
    referral(
        world.hub,
        dt.datetime(2025, 10, 23, 23, 30, tzinfo=UTC),
        history=(
            (Status.AWAITING_INFORMATION, dt.datetime(2025, 10, 25, 23, 30, tzinfo=UTC)),
            (Status.RECEIVED, dt.datetime(2025, 10, 29, 0, 10, tzinfo=UTC)),
            (Status.ACCEPTED, at(dt.date(2025, 10, 30))),
        ),
    )
    assert triage_wait(scope(world.hub)) == (2, 1, 1)
    # The clocks went forward on Sunday 29 March 2026. Received 00:30 BST on Tuesday 31 March,
    # decided on Wednesday 1 April: 1. Received Friday 27 March and decided 00:30 BST on
    # Wednesday 1 April (23:30 on 31 March in UTC, so in April's period): 3.
    referral(
        world.hub,
        dt.datetime(2026, 3, 30, 23, 30, tzinfo=UTC),
        history=((Status.SIGNPOSTED, at(dt.date(2026, 4, 1))),),
    )
    referral(
        world.hub,
        at(dt.date(2026, 3, 27)),
        history=((Status.DECLINED, dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)),),
    )
    spring = scope(world.hub, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    assert triage_wait(spring) == (2, 2, pytest.approx(2.8))


def test_contacts_counted_when_they_fall_in_the_period(world: World, practitioner: User) -> None:
    # Received Wednesday 1 October; first attended the same day (0), second Wednesday 8 (5).
    same_day = referral(
        world.hub,
        at(dt.date(2025, 10, 1), 9),
        history=(
            (
                Status.ACCEPTED,
                at(dt.date(2025, 10, 1)),
            ),
        ),
    )
    seen = episode(world.hub, practitioner, at(dt.date(2025, 10, 1), 11), found=same_day)
    contact(seen, at(dt.date(2025, 10, 1), 15))
    contact(seen, at(dt.date(2025, 10, 6)), attendance="3")  # not attended
    contact(seen, at(dt.date(2025, 10, 8)))
    # Received Friday 19 December; first attended Monday 29 December (4, after two bank holidays);
    # second at 00:30 on 1 January 2026, after the period: not counted.
    late = referral(
        world.hub,
        at(dt.date(2025, 12, 19)),
        history=(
            (
                Status.ACCEPTED,
                at(dt.date(2025, 12, 22)),
            ),
        ),
    )
    later = episode(world.hub, practitioner, at(dt.date(2025, 12, 22)), found=late)
    contact(later, at(dt.date(2025, 12, 29)))
    contact(later, at(dt.date(2026, 1, 1), 0, 30))
    # Received 1 September; first attended 30 September (before the period), second 1 October (22).
    early = referral(
        world.hub,
        at(dt.date(2025, 9, 1)),
        history=(
            (
                Status.ACCEPTED,
                at(dt.date(2025, 9, 2)),
            ),
        ),
    )
    earlier = episode(world.hub, practitioner, at(dt.date(2025, 9, 3)), found=early)
    contact(earlier, at(dt.date(2025, 9, 30)))
    contact(earlier, at(dt.date(2025, 10, 1)))

    found = waits(scope(world.hub))

    assert found[1] == (2, 2, pytest.approx(3.6))  # 0 and 4
    assert found[2] == (2, 13.5, pytest.approx(20.3))  # 5 and 22


def test_many_waits_show_the_same_figures(world: World) -> None:
    # 14 decisions: PostgreSQL reads the 90th percentile's rank as 0.9 x 13 and
    # attune/reports/stats.py as 13 x 90 / 100, which can differ in the last binary place, so
    # the two agree to 12 significant figures and exactly as the report shows them.
    received = dt.date(2025, 10, 1)
    decided = [received + dt.timedelta(days=1 + day * 3) for day in range(14)]
    for day in decided:
        referral(world.hub, at(received), history=((Status.ACCEPTED, at(day)),))
    expected = [clocks.working_days_between(received, day) for day in decided]
    context = Context(scope=scope(world.hub), today=TODAY)
    count, middle, p90 = referrals.waits_in_python(context)[0]
    assert (count, middle, p90) == (14, median(expected), percentile(expected, 90))
    if ON_POSTGRESQL:
        in_sql = referrals.waits_in_sql(context)[0]
        assert in_sql[:2] == (count, middle)
        assert in_sql[2] == p90
        assert median_cell(in_sql[2], count, "working days", None) == median_cell(p90, count, "working days", None)


def test_the_report_table_is_the_same_on_both_paths(world: World) -> None:
    referral(world.hub, at(dt.date(2025, 10, 6)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 9))),))
    table = referrals._waiting_times(Context(scope=scope(world.hub), today=TODAY))
    assert [(row.label, row.values) for row in table.rows] == [
        ("Referral to triage decision", {"families": 1, "median": 3, "p90": 3}),
        ("Referral to first attended contact", {"families": 0, "median": None, "p90": None}),
        ("Referral to second attended contact", {"families": 0, "median": None, "p90": None}),
    ]
    assert table.rows[0].samples == {"median": 1, "p90": 1}
