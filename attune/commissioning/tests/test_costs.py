"""The pure cost arithmetic, against answers worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from attune.commissioning.costs import PostSpan, funding_for_period, overlap_days, staff_cost, uncosted

D = Decimal


def test_a_whole_year_of_one_post_costs_its_annual_cost() -> None:
    post = PostSpan(date(2024, 4, 1), None, ((date(2020, 1, 1), D("36500.00")),))
    # 1 April 2025 to 31 March 2026: 365 days at £100 a day.
    assert staff_cost([post], date(2025, 4, 1), date(2026, 3, 31)) == D("36500.00")


def test_a_leap_year_costs_366_days() -> None:
    post = PostSpan(date(2020, 1, 1), None, ((date(2020, 1, 1), D("36500.00")),))
    # 1 April 2023 to 31 March 2024 holds 29 February 2024: 366 days at £100.
    assert staff_cost([post], date(2023, 4, 1), date(2024, 3, 31)) == D("36600.00")


def test_a_pay_rise_mid_period_costs_each_day_at_its_own_rate() -> None:
    post = PostSpan(
        date(2024, 1, 1),
        None,
        ((date(2025, 5, 1), D("40150.00")), (date(2024, 1, 1), D("36500.00"))),  # any order
    )
    # April 2025: 30 days at £100; May 2025: 31 days at £110 = 3,000 + 3,410.
    assert staff_cost([post], date(2025, 4, 1), date(2025, 5, 31)) == D("6410.00")


def test_a_post_ending_mid_period_stops_costing() -> None:
    post = PostSpan(date(2024, 1, 1), date(2025, 4, 10), ((date(2024, 1, 1), D("36500.00")),))
    # 1 to 10 April: 10 days at £100.
    assert staff_cost([post], date(2025, 4, 1), date(2025, 6, 30)) == D("1000.00")


def test_a_post_starting_mid_period_costs_from_its_start() -> None:
    post = PostSpan(date(2025, 6, 21), None, ((date(2025, 6, 21), D("36500.00")),))
    assert staff_cost([post], date(2025, 4, 1), date(2025, 6, 30)) == D("1000.00")


def test_no_overlap_costs_nothing() -> None:
    post = PostSpan(date(2020, 1, 1), date(2021, 3, 31), ((date(2020, 1, 1), D("36500.00")),))
    assert staff_cost([post], date(2025, 4, 1), date(2025, 6, 30)) == D("0.00")
    assert not uncosted(post, date(2025, 4, 1), date(2025, 6, 30))


def test_days_before_the_first_cost_cost_nothing_and_the_post_counts_as_uncosted() -> None:
    post = PostSpan(date(2025, 4, 1), None, ((date(2025, 4, 11), D("36500.00")),))
    assert staff_cost([post], date(2025, 4, 1), date(2025, 4, 20)) == D("1000.00")
    assert uncosted(post, date(2025, 4, 1), date(2025, 4, 20))
    assert uncosted(PostSpan(date(2025, 4, 1), None), date(2025, 4, 1), date(2025, 4, 20))
    assert not uncosted(post, date(2025, 4, 11), date(2025, 4, 20))


def test_pence_are_rounded_once_half_up_after_summing() -> None:
    # £1 a year for 1 day is 0.27397p: rounded per post it would be 0p each; 2 posts summed
    # first give 0.548p, which rounds half up to 1p.
    posts = [PostSpan(date(2025, 1, 1), None, ((date(2025, 1, 1), D("1.00")),))] * 2
    assert staff_cost(posts, date(2025, 1, 1), date(2025, 1, 1)) == D("0.01")
    # £182.50 a year is exactly 50p a day; 1 day of £1.825 a year is 0.5p, rounded up to 1p.
    assert staff_cost(
        [PostSpan(date(2025, 1, 1), None, ((date(2025, 1, 1), D("1.825")),))], date(2025, 1, 1), date(2025, 1, 1)
    ) == D("0.01")


def test_the_demo_satellite_posts_cost_the_councils_contribution() -> None:
    # Two posts at £72,965.25 a year from 1 November 2024 to 31 March 2025 (151 days):
    # 2 x 72,965.25 x 151 / 365 = 60,371.2479… → £60,371.25.
    posts = [PostSpan(date(2024, 11, 1), date(2025, 3, 31), ((date(2024, 11, 1), D("72965.25")),))] * 2
    assert staff_cost(posts, date(2024, 11, 1), date(2025, 3, 31)) == D("60371.25")


def test_the_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before its start"):
        staff_cost([], date(2025, 4, 2), date(2025, 4, 1))


def test_funding_is_pro_rata_by_days_of_overlap() -> None:
    start, end = date(2024, 11, 1), date(2025, 3, 31)
    assert overlap_days(start, end, start, end) == 151
    amount = D("60371.25")
    assert funding_for_period(amount, start, end, start, end) == amount
    # November: 30 of 151 days = 11,994.288… → £11,994.29.
    assert funding_for_period(amount, start, end, date(2024, 11, 1), date(2024, 11, 30)) == D("11994.29")
    # Quarter 3 2024-25 (October to December) overlaps 61 days (30 + 31): 399.8096… x 61 = 24,388.386… → £24,388.39.
    assert funding_for_period(amount, start, end, date(2024, 10, 1), date(2024, 12, 31)) == D("24388.39")
    # The whole of 2024-25 holds the whole agreement.
    assert funding_for_period(amount, start, end, date(2024, 4, 1), date(2025, 3, 31)) == amount
    assert funding_for_period(amount, start, end, date(2025, 4, 1), date(2025, 6, 30)) == D("0.00")
