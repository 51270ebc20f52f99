"""Reporting periods: NHS financial quarters and years (1 April to 31 March), or any dates
(pure: no database)."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.core.periods import (
    BadPeriod,
    between,
    financial_year,
    financial_year_of,
    last_complete_quarter,
    parse,
    quarter,
    quarter_of,
)


def test_a_financial_year_runs_from_1_april_to_31_march() -> None:
    year = financial_year(2025)
    assert (year.start, year.end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert year.key == "2025-26"
    assert year.label == "Financial year 2025-26"
    assert year.days == 365
    assert financial_year(2023).days == 366  # 29 February 2024


def test_the_year_that_ends_in_2000_is_written_99_00() -> None:
    assert financial_year(1999).key == "1999-00"
    assert parse("1999-00") == financial_year(1999)


@pytest.mark.parametrize(
    ("number", "start", "end", "label"),
    [
        (1, date(2025, 4, 1), date(2025, 6, 30), "Quarter 1 2025-26 (April to June 2025)"),
        (2, date(2025, 7, 1), date(2025, 9, 30), "Quarter 2 2025-26 (July to September 2025)"),
        (3, date(2025, 10, 1), date(2025, 12, 31), "Quarter 3 2025-26 (October to December 2025)"),
        (4, date(2026, 1, 1), date(2026, 3, 31), "Quarter 4 2025-26 (January to March 2026)"),
    ],
)
def test_quarters_of_a_financial_year(number: int, start: date, end: date, label: str) -> None:
    period = quarter(2025, number)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.key == f"2025-26-Q{number}"


def test_a_leap_year_quarter_4_ends_on_31_march() -> None:
    assert quarter(2027, 4).days == 31 + 29 + 31  # January to March 2028


@pytest.mark.parametrize("number", [0, 5])
def test_there_are_only_four_quarters(number: int) -> None:
    with pytest.raises(BadPeriod, match="1 to 4"):
        quarter(2025, number)


def test_a_period_includes_both_ends() -> None:
    period = quarter(2025, 3)
    assert period.includes(date(2025, 10, 1))
    assert period.includes(date(2025, 12, 31))
    assert not period.includes(date(2025, 9, 30))
    assert not period.includes(date(2026, 1, 1))


def test_between_any_two_dates() -> None:
    period = between(date(2025, 10, 1), date(2025, 10, 1))
    assert period.days == 1
    assert period.key == "2025-10-01..2025-10-01"
    assert period.label == "1 October 2025 to 1 October 2025"
    with pytest.raises(BadPeriod, match="same as or after"):
        between(date(2025, 10, 2), date(2025, 10, 1))


@pytest.mark.parametrize(
    ("day", "year", "number"),
    [
        (date(2025, 4, 1), 2025, 1),
        (date(2025, 12, 31), 2025, 3),
        (date(2026, 1, 1), 2025, 4),
        (date(2026, 3, 31), 2025, 4),
        (date(2026, 4, 1), 2026, 1),
    ],
)
def test_the_quarter_a_day_falls_in(day: date, year: int, number: int) -> None:
    assert financial_year_of(day) == year
    assert quarter_of(day) == quarter(year, number)


def test_the_last_complete_quarter_is_the_one_before_today() -> None:
    assert last_complete_quarter(date(2026, 1, 15)) == quarter(2025, 3)
    assert last_complete_quarter(date(2026, 1, 1)) == quarter(2025, 3)
    assert last_complete_quarter(date(2025, 12, 31)) == quarter(2025, 2)
    assert last_complete_quarter(date(2025, 4, 10)) == quarter(2024, 4)


def test_parse_reads_quarters_years_and_dates() -> None:
    assert parse("2025-26-Q3") == quarter(2025, 3)
    assert parse("2025-26") == financial_year(2025)
    assert parse(" 2025-26 ") == financial_year(2025)
    assert parse("2025-10-01..2025-12-31") == between(date(2025, 10, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("2025-27", "years must follow each other"),
        ("2025-27-Q1", "years must follow each other"),
        ("2025-26-Q5", "Choose a quarter"),
        ("2025-02-30..2025-03-31", "Enter real dates"),
        ("2025-12-31..2025-10-01", "same as or after"),
        ("", "Choose a quarter"),
        ("last quarter", "Choose a quarter"),
        ("2025-26-Q3; DROP TABLE", "Choose a quarter"),
    ],
)
def test_parse_explains_what_it_cannot_read(key: str, message: str) -> None:
    with pytest.raises(BadPeriod, match=message):
        parse(key)


@given(first_year=st.integers(2000, 2098), number=st.integers(1, 4))
def test_a_quarter_reads_back_from_its_key(first_year: int, number: int) -> None:
    period = quarter(first_year, number)
    assert parse(period.key) == period
    assert financial_year(first_year).includes(period.start)
    assert financial_year(first_year).includes(period.end)
    assert quarter_of(period.start) == quarter_of(period.end) == period


@given(first_year=st.integers(2000, 2098))
def test_the_four_quarters_fill_the_year_without_gaps(first_year: int) -> None:
    quarters = [quarter(first_year, n) for n in (1, 2, 3, 4)]
    year = financial_year(first_year)
    assert quarters[0].start == year.start
    assert quarters[-1].end == year.end
    assert all(a.end + timedelta(days=1) == b.start for a, b in itertools.pairwise(quarters))
    assert sum(q.days for q in quarters) == year.days
    assert parse(year.key) == year


@given(start=st.dates(date(1990, 1, 1), date(2097, 12, 31)), length=st.integers(0, 800))
def test_any_two_dates_read_back_from_their_key(start: date, length: int) -> None:
    period = between(start, start + timedelta(days=length))
    assert parse(period.key) == period
    assert period.days == length + 1


# What a period cannot be -------------------------------------------------------------------


@pytest.mark.parametrize("key", ["9999-00", "9999-00-Q4", "0000-01", "1989-90", "2099-00", "0001-01-01..0001-12-31"])
def test_a_year_out_of_range_is_a_bad_period(key: str) -> None:
    with pytest.raises(BadPeriod):
        parse(key)


def test_every_year_a_report_may_cover_reads_back_from_its_key() -> None:
    for first_year in (1990, 1999, 2025, 2098):
        assert parse(financial_year(first_year).key) == financial_year(first_year)
        assert parse(quarter(first_year, 4).key) == quarter(first_year, 4)


def test_a_year_outside_the_reporting_range_is_refused() -> None:
    with pytest.raises(BadPeriod, match="from 1990 to 2099"):
        financial_year(1)


def test_a_period_longer_than_ten_years_is_refused() -> None:
    assert parse("2016-04-01..2026-03-31").days == 3652
    with pytest.raises(BadPeriod, match="at most 10 years"):
        parse("2000-01-01..2026-03-31")


def test_only_ascii_digits_name_a_period() -> None:
    with pytest.raises(BadPeriod):
        parse("٢٠٢٥-٢٦")
