"""Working days (England's bank holidays), pauses, calendar arithmetic, ages and the first 1001
days. Pure functions: no database."""

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from attune.core import clocks
from attune.core.clocks import (
    add_months,
    add_years,
    age_in_months,
    age_in_years,
    first_1001_days,
    is_working_day,
    working_days_between,
    working_days_excluding,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


# -- Working days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 26), True),  # a Thursday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2026, 12, 26), False),  # Boxing Day, a Saturday
        (date(2026, 12, 28), False),  # Boxing Day observed on the Monday
        (date(2026, 12, 29), True),
        (date(2026, 4, 3), False),  # Good Friday 2026
        (date(2026, 4, 6), False),  # Easter Monday 2026
        (date(2026, 4, 7), True),
        (date(2026, 5, 4), False),  # Early May bank holiday
        (date(2026, 5, 25), False),  # Spring bank holiday
        (date(2026, 8, 31), False),  # Summer bank holiday (England, not Scotland)
        (date(2027, 1, 1), False),
    ],
)
def test_working_days_follow_englands_bank_holidays(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_scotland_has_its_own_bank_holidays() -> None:
    # 2 January is a bank holiday in Scotland only; the late summer one is in August in both,
    # but on the first Monday in Scotland.
    assert not is_working_day(date(2026, 1, 2), "SCT")
    assert is_working_day(date(2026, 1, 2))
    assert is_working_day(date(2026, 8, 31), "SCT")
    assert not is_working_day(date(2026, 8, 3), "SCT")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 26), date(2026, 11, 26), 0),  # received today: nothing waited yet
        (date(2026, 11, 26), date(2026, 11, 27), 1),
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday
        (date(2026, 11, 27), date(2026, 11, 29), 0),  # Friday to Sunday
        (date(2026, 11, 23), date(2026, 11, 30), 5),  # a whole week
        (date(2026, 12, 24), date(2026, 12, 29), 1),  # Christmas, weekend, Boxing Day observed
        (date(2026, 12, 23), date(2027, 1, 4), 5),  # 24, 29, 30, 31 Dec and 4 Jan
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # Easter: Good Friday to Easter Monday
        (date(2026, 3, 30), date(2026, 4, 10), 7),
        (date(2026, 11, 30), date(2026, 11, 26), 0),  # end before start
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_a_pause_that_ended_is_taken_off() -> None:
    # Received Monday 2 Nov; waiting for information from Wednesday 4 to Friday 6; today Mon 9.
    # Waited: Tue 3, Wed 4, Mon 9 (Thu 5 and Fri 6 were paused).
    received, today = date(2026, 11, 2), date(2026, 11, 9)
    assert working_days_between(received, today) == 5
    assert working_days_excluding(received, today, [(date(2026, 11, 4), date(2026, 11, 6))]) == 3


def test_a_pause_still_open_runs_to_today() -> None:
    received, today = date(2026, 11, 2), date(2026, 11, 9)
    assert working_days_excluding(received, today, [(date(2026, 11, 4), None)]) == 2


def test_several_pauses_are_all_taken_off() -> None:
    received, today = date(2026, 11, 2), date(2026, 11, 20)
    pauses = [(date(2026, 11, 3), date(2026, 11, 5)), (date(2026, 11, 10), date(2026, 11, 12))]
    assert working_days_between(received, today) == 14
    assert working_days_excluding(received, today, pauses) == 10


def test_a_pause_over_a_bank_holiday_takes_off_only_working_days() -> None:
    received, today = date(2026, 12, 21), date(2027, 1, 5)
    # 8 working days: 22, 23, 24, 29, 30, 31 Dec, 4 and 5 Jan. Paused from 23 Dec to 4 Jan: the
    # working days inside are 24, 29, 30, 31 Dec and 4 Jan.
    assert working_days_between(received, today) == 8
    assert working_days_excluding(received, today, [(date(2026, 12, 23), date(2027, 1, 4))]) == 3


def test_a_pause_before_the_referral_or_after_today_changes_nothing() -> None:
    received, today = date(2026, 11, 9), date(2026, 11, 13)
    assert working_days_excluding(received, today, [(date(2026, 11, 16), None)]) == 4
    # A pause that began before receipt counts only from receipt.
    assert working_days_excluding(received, today, [(date(2026, 11, 2), date(2026, 11, 11))]) == 2


def test_a_pause_ending_after_today_is_cut_at_today() -> None:
    received, today = date(2026, 11, 2), date(2026, 11, 9)
    assert working_days_excluding(received, today, [(date(2026, 11, 4), date(2026, 11, 20))]) == 2


@given(days, days, days)
def test_working_days_are_never_negative_and_never_fall_as_time_passes(start: date, end: date, later: date) -> None:
    first = working_days_between(start, end)
    assert first >= 0
    assert first <= max((end - start).days, 0)
    if later >= end:
        assert working_days_between(start, later) >= first


@given(days, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_working_days_add_up_across_a_split(start: date, first: int, second: int) -> None:
    middle, end = start + timedelta(days=first), start + timedelta(days=first + second)
    assert working_days_between(start, end) == working_days_between(start, middle) + working_days_between(middle, end)


@given(
    days,
    st.integers(min_value=0, max_value=90),
    st.lists(
        st.tuples(st.integers(min_value=-10, max_value=100), st.one_of(st.none(), st.integers(0, 40))),
        max_size=4,
    ),
)
def test_pauses_never_increase_the_count(start: date, length: int, raw: list[tuple[int, int | None]]) -> None:
    end = start + timedelta(days=length)
    pauses = [
        (start + timedelta(days=offset), None if span is None else start + timedelta(days=offset + span))
        for offset, span in raw
    ]
    counted = working_days_excluding(start, end, pauses)
    assert 0 <= counted <= working_days_between(start, end)


# -- Calendar arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),  # across the new year
        (date(2026, 1, 15), -1, date(2025, 12, 15)),  # back across the new year
        (date(2026, 5, 31), 10, date(2027, 3, 31)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 6, 30), 0, date(2026, 6, 30)),
        (date(2026, 6, 30), -60, date(2021, 6, 30)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        # A 29 February birthday falls on 1 March in other years (the rule age_in_years uses).
        (date(2024, 2, 29), 1, date(2025, 3, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 3, 1)),
        (date(2026, 11, 26), 5, date(2031, 11, 26)),
        (date(2026, 11, 26), -5, date(2021, 11, 26)),
    ],
)
def test_add_years(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected


@given(days, st.integers(min_value=-120, max_value=120))
def test_add_months_keeps_the_day_or_goes_to_the_months_last_day(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    if result.day != day.day:
        assert result.day < day.day
        assert (result + timedelta(days=1)).day == 1  # the last day of a shorter month


# -- Ages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        (date(2021, 11, 26), date(2026, 11, 25), 4),  # the day before the 5th birthday
        (date(2021, 11, 26), date(2026, 11, 26), 5),  # the birthday itself
        (date(2026, 11, 26), date(2026, 11, 26), 0),
        (date(2020, 12, 31), date(2026, 1, 1), 5),
        (date(2024, 2, 29), date(2025, 3, 1), 1),
        (date(2024, 2, 29), date(2028, 2, 29), 4),
    ],
)
def test_age_in_years(born: date, on: date, years: int) -> None:
    assert age_in_years(born, on) == years


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2026, 5, 10), date(2026, 6, 9), 0),
        (date(2026, 5, 10), date(2026, 6, 10), 1),
        (date(2025, 11, 26), date(2026, 11, 26), 12),
        (date(2026, 11, 1), date(2026, 11, 30), 0),
        (date(2021, 11, 26), date(2026, 9, 26), 58),
    ],
)
def test_age_in_months(born: date, on: date, months: int) -> None:
    assert age_in_months(born, on) == months


@given(days, st.integers(min_value=0, max_value=18))
@example(date(2024, 2, 29), 5)
@example(date(2026, 11, 26), 5)
def test_a_child_is_n_years_old_on_the_day_add_years_gives(born: date, years: int) -> None:
    """The birthday `add_years` names (used for the age-out date) must be the day the age
    turns: otherwise a baby born on 29 February is told it turns 5 on 28 February and is
    still treated as 4 that day."""
    birthday = add_years(born, years)
    assert age_in_years(born, birthday) == years
    assert age_in_years(born, birthday - timedelta(days=1)) == years - 1 or years == 0


# -- The first 1001 days ------------------------------------------------------------------------


def test_first_1001_days_from_a_due_date() -> None:
    due = date(2027, 3, 1)
    span = first_1001_days(due=due)
    assert span.starts == due - timedelta(days=266)
    assert (span.ends - span.starts).days == 1000  # 1001 days counting both ends
    assert span.includes(span.starts)
    assert span.includes(span.ends)
    assert not span.includes(span.starts - timedelta(days=1))
    assert not span.includes(span.ends + timedelta(days=1))


def test_first_1001_days_from_a_birth_end_the_day_before_the_2nd_birthday() -> None:
    born = date(2026, 5, 1)
    span = first_1001_days(born=born)
    assert span.starts == born - timedelta(days=266)
    assert span.ends == date(2028, 4, 30)
    assert span.includes(date(2028, 4, 30))
    assert not span.includes(date(2028, 5, 1))


def test_first_1001_days_from_a_birth_start_at_conception_from_the_due_date() -> None:
    # Born three weeks early: conception is dated from the due date, not the birth.
    born, due = date(2026, 5, 1), date(2026, 5, 22)
    span = first_1001_days(born=born, due=due)
    assert span.starts == due - timedelta(days=266)
    assert span.ends == date(2028, 4, 30)


def test_first_1001_days_needs_a_date() -> None:
    with pytest.raises(ValueError, match="date of birth or a due date"):
        first_1001_days()


def test_constants_are_those_of_a_40_week_pregnancy() -> None:
    assert clocks.DAYS_CONCEPTION_TO_DUE_DATE == 266
    assert clocks.FIRST_DAYS == 1001


@given(days, st.integers(min_value=-5, max_value=4000), st.sampled_from(["ENG", "WLS", "SCT", "NIR"]))
def test_working_days_are_counted_as_walking_the_days_counts_them(start: date, length: int, nation: str) -> None:
    """working_days_between counts by arithmetic; walking the calendar a day at a time is the rule."""
    end = start + timedelta(days=length)
    walked = sum(
        1 for n in range(1, max(length, 0) + 1) if is_working_day(start + timedelta(days=n), subdivision=nation)
    )
    assert working_days_between(start, end, subdivision=nation) == walked
