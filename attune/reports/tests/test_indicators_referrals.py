"""Referrals received, what happened to them, and waiting times: known answers."""

import datetime as dt

import pytest

from attune.accounts.models import User
from attune.organisations.tests.factories import SiteFactory
from attune.organisations.tests.world import World
from attune.referrals.clock import triage_clock
from attune.referrals.workflow import Status
from attune.reports.tests.factories import END, START, at, column, contact, episode, referral, row, scope, table, total

pytestmark = pytest.mark.django_db


def test_a_referral_on_the_first_and_last_day_counts_and_the_day_before_does_not(world: World) -> None:
    referral(world.hub, at(START, 0, 0), source="A2")
    referral(world.hub, at(END, 23, 59), source="A4")
    referral(world.hub, at(START - dt.timedelta(days=1), 23, 59), source="A2")
    referral(world.hub, at(END + dt.timedelta(days=1), 0, 0), source="A2")
    referral(world.satellite, at(START, 12), source="A2")  # another team's

    found = table(scope(world.hub), "referrals_by_source")

    assert column(found, "referrals") == {"Health visitor": 1, "Midwife or maternity service": 1}
    assert total(found) == {"referrals": 2}


def test_british_summer_time_bounds_are_local_dates(world: World) -> None:
    # 00:30 on 1 October in London is 23:30 on 30 September UTC: it counts in October.
    referral(world.hub, at(START, 0, 30))
    assert total(table(scope(world.hub), "referrals_by_source")) == {"referrals": 1}


def test_two_teams_together(world: World) -> None:
    referral(world.hub, at(START, 12))
    referral(world.satellite, at(START, 12))
    referral(world.other_team, at(START, 12))
    assert total(table(scope(world.hub, world.satellite), "referrals_by_source")) == {"referrals": 2}


def test_site_and_local_authority_narrow_to_the_family(world: World) -> None:
    hub_site = SiteFactory(team=world.hub)
    referral(world.hub, at(START, 12), preferred_site=hub_site, local_authority=world.hub_area)
    referral(world.hub, at(START, 12), local_authority=world.satellite_area)
    referral(world.hub, at(START, 12))

    assert total(table(scope(world.hub, site_id=hub_site.pk), "referrals_by_source")) == {"referrals": 1}
    by_area = scope(world.hub, local_authority_id=world.satellite_area.pk)
    assert total(table(by_area, "referrals_by_source")) == {"referrals": 1}


def test_what_happened_uses_the_status_at_the_end_of_the_period(world: World) -> None:
    day = at(dt.date(2025, 11, 3))
    referral(world.hub, day, history=((Status.ACCEPTED, day + dt.timedelta(days=2)),))
    referral(world.hub, day, history=((Status.SIGNPOSTED, day + dt.timedelta(days=1)),))
    referral(world.hub, day, history=((Status.DECLINED, day + dt.timedelta(days=1)),))
    referral(world.hub, day, history=((Status.WITHDRAWN, day + dt.timedelta(days=1)),))
    referral(world.hub, day, history=((Status.AWAITING_INFORMATION, day + dt.timedelta(days=1)),))
    referral(world.hub, day)
    # Accepted only after the period ended: still being triaged at its end.
    referral(
        world.hub,
        at(END, 9),
        history=(
            (
                Status.ACCEPTED,
                at(END + dt.timedelta(days=2)),
            ),
        ),
    )

    found = table(scope(world.hub), "referral_outcomes")

    assert column(found, "referrals") == {
        "Accepted to the waiting list": 1,
        "Signposted to another service": 1,
        "Declined": 1,
        "Withdrawn": 1,
        "Still being triaged": 3,
    }
    assert total(found) == {"referrals": 7}


def test_waiting_times_in_working_days_counted_when_the_wait_ends(world: World, practitioner: User) -> None:
    # Received Monday 29 September (before the period); decided Monday 6 October: 5 working days.
    referral(world.hub, at(dt.date(2025, 9, 29)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 6))),))
    # Received Friday 19 December, decided Friday 2 January 2026: outside the period.
    referral(world.hub, at(dt.date(2025, 12, 19)), history=((Status.DECLINED, at(dt.date(2026, 1, 2))),))
    # Received Monday 22 December, decided Monday 29 December: 25, 26 December are bank holidays: 3 days.
    referral(world.hub, at(dt.date(2025, 12, 22)), history=((Status.SIGNPOSTED, at(dt.date(2025, 12, 29))),))
    # Another team's decision in the period never counts.
    referral(world.satellite, at(dt.date(2025, 10, 1)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 6))),))

    # Contacts: referral received 1 September; first attended contact 30 September (before the
    # period, so not counted); second on 7 October (counted: 26 working days).
    before = referral(world.hub, at(dt.date(2025, 9, 1)), history=((Status.ACCEPTED, at(dt.date(2025, 9, 2))),))
    first_episode = episode(world.hub, practitioner, at(dt.date(2025, 9, 20)), found=before)
    contact(first_episode, at(dt.date(2025, 9, 30)))
    contact(first_episode, at(dt.date(2025, 10, 2)), attendance="3")  # not attended: skipped
    contact(first_episode, at(dt.date(2025, 10, 7)))
    # Received Wednesday 1 October; first attended Wednesday 8 October (5), second Wednesday 15 (10).
    during = referral(world.hub, at(dt.date(2025, 10, 1)), history=((Status.ACCEPTED, at(dt.date(2025, 10, 2))),))
    second_episode = episode(world.hub, practitioner, at(dt.date(2025, 10, 3)), found=during)
    contact(second_episode, at(dt.date(2025, 10, 8)))
    contact(second_episode, at(dt.date(2025, 10, 15), 9))
    contact(second_episode, at(dt.date(2025, 10, 15), 14))  # a third: never counted

    found = table(scope(world.hub), "waiting_times")

    triage = row(found, "Referral to triage decision")
    # Decisions in the period: 5 (29 Sep -> 6 Oct), 3 (22 -> 29 Dec), 1 (1 -> 2 Oct, the "during" one).
    assert triage["families"] == 3
    assert triage["median"] == 3
    assert triage["p90"] == pytest.approx(4.6)  # 1, 3, 5: 3 + 0.8 x 2
    assert found.rows[0].samples == {"median": 3, "p90": 3}
    assert row(found, "Referral to first attended contact") == {"families": 1, "median": 5, "p90": 5}
    second = row(found, "Referral to second attended contact")
    assert second == {"families": 2, "median": 18, "p90": pytest.approx(24.4)}  # 10 and 26


def test_no_waits_gives_no_median(world: World) -> None:
    found = table(scope(world.hub), "waiting_times")
    assert row(found, "Referral to triage decision") == {"families": 0, "median": None, "p90": None}


def test_triage_wait_pauses_while_waiting_for_the_referrer_as_the_triage_clock_does(world: World) -> None:
    # Received Monday 6 October; waiting for information from Wednesday 8 to Monday 13 October
    # (3 working days paused); accepted Wednesday 15 October: 7 working days less 3 = 4.
    made = referral(
        world.hub,
        at(dt.date(2025, 10, 6)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 8))),
            (Status.RECEIVED, at(dt.date(2025, 10, 13))),
            (Status.ACCEPTED, at(dt.date(2025, 10, 15))),
        ),
    )
    # Still waiting for information when declined: the pause runs to the decision.
    referral(
        world.hub,
        at(dt.date(2025, 10, 6)),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 10, 7))),
            (Status.DECLINED, at(dt.date(2025, 10, 20))),
        ),
    )

    found = table(scope(world.hub), "waiting_times")

    # The triage page's own clock, stopped on the day of the decision, says the same.
    history = list(made.history.order_by("entered_at", "id"))
    clock = triage_clock(dt.date(2025, 10, 6), history, today=dt.date(2025, 10, 15), target=5)
    assert clock.working_days == 4
    # 4 and 1 (received 6 October, paused from the 7th to the decision on the 20th).
    assert row(found, "Referral to triage decision") == {"families": 2, "median": 2.5, "p90": pytest.approx(3.7)}
    assert "paused while the team waits for more information from the referrer" in found.description
