"""The rules for acting on a risk alert, alone: what counts as a description of the action taken,
and when the review of a high-risk alert's action falls due (working days)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from attune.core import clocks
from attune.families import alert_rules

LONDON = ZoneInfo("Europe/London")
TOO_THIN = "Describe what was done and what was decided, in at least 20 characters"


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "Rang her",
        "GP told, all fine",  # 17 characters
        "....................................",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "x x x x x x x x x x x x x x x x",
        "no no no no no no no no no no no",
        "abcdeabcdeabcdeabcdeabcde",
        "12345678901234567890123",
        "?!?!?!?!?!?!?!?!?!?!?!?!",
    ],
)
def test_a_description_too_short_or_made_of_repeats_is_refused(text: str) -> None:
    assert alert_rules.description_problem(text) == TOO_THIN


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_description_asks_for_one(text: str) -> None:
    assert alert_rules.description_problem(text) == "Enter what you did about this alert"


@pytest.mark.parametrize(
    "text",
    [
        "Rang her; GP seeing her today",
        "Home visit: safety plan agreed with mum, crisis team number given.",
        "Spoke to mum by phone. No current plans; GP told.",
    ],
)
def test_a_description_in_words_is_accepted(text: str) -> None:
    assert alert_rules.description_problem(text) == ""


def test_review_falls_due_two_working_days_later_skipping_the_weekend() -> None:
    friday = dt.datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)
    assert clocks.add_working_days(friday, 2) == dt.datetime(2026, 12, 1, 15, 0, tzinfo=LONDON)


def test_review_skips_bank_holidays() -> None:
    # Good Friday 26 March and Easter Monday 29 March 2027 are bank holidays in England.
    thursday = dt.datetime(2027, 3, 25, 9, 30, tzinfo=LONDON)
    assert clocks.add_working_days(thursday, 2) == dt.datetime(2027, 3, 31, 9, 30, tzinfo=LONDON)


def test_review_keeps_the_time_of_day_across_the_clock_change() -> None:
    # The clocks go back on Sunday 25 October 2026: 3pm stays 3pm.
    friday = dt.datetime(2026, 10, 23, 15, 0, tzinfo=LONDON)
    due = clocks.add_working_days(friday, 2)
    assert (due.date(), due.hour) == (dt.date(2026, 10, 27), 15)


def test_no_days_means_now_and_fewer_is_refused() -> None:
    moment = dt.datetime(2026, 11, 25, 11, 0, tzinfo=LONDON)
    assert clocks.add_working_days(moment, 0) == moment
    with pytest.raises(ValueError, match="0 or more"):
        clocks.add_working_days(moment, -1)
