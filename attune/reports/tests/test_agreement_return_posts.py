"""Funded posts filled against those agreed (attune/reports/indicators/funded_posts.py): pure date
arithmetic, no database."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from attune.reports.indicators.funded_posts import FundedPost, PostDays, agreed_days, by_team, filled_days

START, END = dt.date(2024, 11, 1), dt.date(2025, 3, 31)  # 151 days


def test_a_named_post_held_all_along_is_filled_every_agreed_day() -> None:
    post = FundedPost("satellite", (START, END), named=True, holder_spans=((dt.date(2024, 9, 1), None),))
    assert (agreed_days(post, START, END), filled_days(post, START, END)) == (151, 151)


def test_a_named_post_recruited_late_is_agreed_for_every_day_but_filled_only_once_held() -> None:
    post = FundedPost("satellite", (dt.date(2025, 1, 1), END), named=True, holder_spans=((dt.date(2025, 1, 1), None),))
    assert agreed_days(post, START, END) == 151
    assert filled_days(post, START, END) == 90  # January to March


def test_a_vacant_post_is_filled_on_no_day() -> None:
    post = FundedPost("satellite", (START, END), named=True)
    assert filled_days(post, START, END) == 0


def test_a_holder_who_left_the_team_leaves_the_post_unfilled_from_then() -> None:
    post = FundedPost("satellite", (START, END), named=True, holder_spans=((START, dt.date(2024, 11, 30)),))
    assert filled_days(post, START, END) == 30


def test_overlapping_memberships_count_each_day_once() -> None:
    # A trainee who became a practitioner of the same team in January.
    spans = ((START, dt.date(2025, 1, 10)), (dt.date(2025, 1, 1), None))
    post = FundedPost("satellite", (START, END), named=True, holder_spans=spans)
    assert filled_days(post, START, END) == 151


def test_a_teams_post_not_named_is_agreed_only_for_its_contract_days() -> None:
    post = FundedPost("hub", (dt.date(2025, 3, 1), None), named=False, holder_spans=((dt.date(2025, 3, 1), None),))
    assert (agreed_days(post, START, END), filled_days(post, START, END)) == (31, 31)


def test_before_the_agreement_starts_nothing_is_agreed_or_filled() -> None:
    post = FundedPost("satellite", (START, END), named=True, holder_spans=((START, None),))
    before = START - dt.timedelta(days=1)
    assert (agreed_days(post, START, before), filled_days(post, START, before)) == (0, 0)


def test_by_team_adds_up_posts_and_post_days() -> None:
    posts = [
        FundedPost("satellite", (START, END), named=True, holder_spans=((START, None),)),
        FundedPost("satellite", (START, END), named=True),
        FundedPost("hub", (START, END), named=True, holder_spans=((dt.date(2025, 3, 1), None),)),
    ]
    assert by_team(posts, START, END) == {
        "satellite": PostDays(posts_agreed=2, posts_filled=1, days_agreed=302, days_filled=151),
        "hub": PostDays(posts_agreed=1, posts_filled=1, days_agreed=151, days_filled=31),
    }


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31))


@given(
    contract=st.tuples(days, st.one_of(st.none(), days)),
    spans=st.lists(st.tuples(days, st.one_of(st.none(), days)), max_size=4),
    named=st.booleans(),
)
def test_filled_days_never_exceed_agreed_days_nor_the_days_held(
    contract: tuple[dt.date, dt.date | None], spans: list[tuple[dt.date, dt.date | None]], named: bool
) -> None:
    post = FundedPost("team", contract, named=named, holder_spans=tuple(spans))
    filled = filled_days(post, START, END)
    assert 0 <= filled <= agreed_days(post, START, END)
    # Counted day by day, the same answer.
    by_day = 0
    day = START
    while day <= END:
        in_contract = contract[0] <= day and (contract[1] is None or day <= contract[1])
        held = any(first <= day and (last is None or day <= last) for first, last in spans)
        by_day += in_contract and held
        day += dt.timedelta(days=1)
    assert filled == by_day
