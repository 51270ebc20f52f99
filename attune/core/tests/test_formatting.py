from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from attune.core import formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 11, 1), "1 November 2024"),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "29 March 2026"),  # 1:30am BST, same day
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "1 July 2026"),  # 12:30am BST the next day
        (None, ""),
    ],
)
def test_date_long_reads_in_london_time(value: date | datetime | None, expected: str) -> None:
    assert formatting.date_long(value) == expected


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(0, 0, "12 midnight"), (12, 0, "12 noon"), (9, 5, "9:05am"), (14, 30, "2:30pm"), (0, 15, "12:15am")],
)
def test_times_follow_nhs_style(hour: int, minute: int, expected: str) -> None:
    # January: London is on GMT, so UTC hours read as they are.
    assert formatting.time_short(datetime(2026, 1, 10, hour, minute, tzinfo=UTC)) == expected


def test_datetime_long_and_short() -> None:
    moment = datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
    assert formatting.datetime_long(moment) == "25 November 2026 at 2:30pm"
    assert formatting.datetime_short(moment) == "25 Nov 2026, 2:30pm"
    assert formatting.datetime_long(None) == formatting.datetime_short(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("9434765919", "943 476 5919"), ("943 476 5919", "943 476 5919"), ("12345", "12345"), ("", ""), (None, "")],
)
def test_nhs_numbers_read_in_three_three_four(value: str | None, expected: str) -> None:
    assert formatting.nhs_number(value) == expected


def test_money_reads_in_pounds_with_commas_and_pence() -> None:
    assert formatting.money(Decimal("60371.25")) == "£60,371.25"
    assert formatting.money(Decimal("0")) == "£0.00"
    assert formatting.money(Decimal("1234567.5")) == "£1,234,567.50"
    assert formatting.money(Decimal("-5")) == "-£5.00"


def test_a_moment_in_the_first_hour_of_a_summer_day_falls_on_that_day_in_london() -> None:
    # 00:30 on 1 July 2027 in London is 23:30 on 30 June in UTC, how it is stored.
    moment = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    assert formatting.local_day(moment) == date(2027, 7, 1)
    assert formatting.day_long(moment) == "Thursday 1 July 2027"
    assert formatting.day_long(date(2027, 6, 30)) == "Wednesday 30 June 2027"
    assert formatting.day_long(None) == ""


def test_paragraphs_drop_blank_lines() -> None:
    assert formatting.paragraphs("One\n\n  Two  \n") == ["One", "Two"]
    assert formatting.paragraphs("  \n") == []
