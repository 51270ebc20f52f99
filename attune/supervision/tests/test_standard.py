"""The Parent-Infant Foundation frequency rule: experience, part-time pro rata, fortnights."""

import datetime as dt
from decimal import Decimal

from attune.supervision.standard import (
    EPOCH,
    FORTNIGHT,
    WEEK,
    Status,
    compliance,
    is_experienced,
    period_containing,
    pro_rata_minutes,
    requirement,
)

MONDAY = dt.date(2026, 11, 2)


def test_practitioner_under_three_years_needs_an_hour_every_week() -> None:
    needed = requirement(experience_since=dt.date(2024, 1, 10), weekly_hours=Decimal("37.5"), on=MONDAY)
    assert (needed.period_days, needed.minutes) == (WEEK, 60)
    assert needed.label == "60 minutes every week"


def test_requirement_drops_to_fortnightly_on_the_third_anniversary() -> None:
    since = dt.date(2023, 11, 4)
    the_day_before = requirement(experience_since=since, weekly_hours=None, on=dt.date(2026, 11, 3))
    on_the_day = requirement(experience_since=since, weekly_hours=None, on=dt.date(2026, 11, 4))
    assert the_day_before.period_days == WEEK
    assert on_the_day.period_days == FORTNIGHT
    assert on_the_day.label == "60 minutes every fortnight"


def test_leap_day_experience_counts_from_first_of_march() -> None:
    assert not is_experienced(dt.date(2024, 2, 29), dt.date(2027, 2, 28))
    assert is_experienced(dt.date(2024, 2, 29), dt.date(2027, 3, 1))


def test_unknown_experience_is_treated_as_under_three_years() -> None:
    assert requirement(experience_since=None, weekly_hours=None, on=MONDAY).period_days == WEEK


def test_part_time_is_pro_rata_against_37_and_a_half_hours() -> None:
    assert pro_rata_minutes(Decimal("37.5")) == 60
    assert pro_rata_minutes(Decimal("22.5")) == 36
    assert pro_rata_minutes(Decimal("18.75")) == 30
    assert pro_rata_minutes(Decimal("20")) == 32  # 31.99 rounded up to a whole minute


def test_more_than_full_time_is_capped_at_an_hour() -> None:
    assert pro_rata_minutes(Decimal("45")) == 60


def test_weeks_and_fortnights_start_on_the_epoch_monday() -> None:
    assert EPOCH.weekday() == 0
    assert period_containing(EPOCH, FORTNIGHT) == (EPOCH, dt.date(2024, 1, 14))
    assert period_containing(dt.date(2024, 1, 14), FORTNIGHT) == (EPOCH, dt.date(2024, 1, 14))
    assert period_containing(dt.date(2024, 1, 15), FORTNIGHT) == (dt.date(2024, 1, 15), dt.date(2024, 1, 28))
    assert period_containing(dt.date(2024, 1, 10), WEEK) == (dt.date(2024, 1, 8), dt.date(2024, 1, 14))


def test_every_fortnight_starts_on_a_monday_even_before_the_epoch() -> None:
    for offset in range(-40, 400, 3):
        start, end = period_containing(EPOCH + dt.timedelta(days=offset), FORTNIGHT)
        assert start.weekday() == 0
        assert (end - start).days == 13
        assert start <= EPOCH + dt.timedelta(days=offset) <= end


def _status(sessions: list[tuple[dt.date, int]], today: dt.date, **kwargs: object) -> Status:
    return compliance(
        experience_since=kwargs.get("since", dt.date(2025, 1, 1)),  # type: ignore[arg-type]
        weekly_hours=kwargs.get("hours", Decimal("37.5")),  # type: ignore[arg-type]
        sessions=sessions,
        today=today,
        counting_from=kwargs.get("counting_from"),  # type: ignore[arg-type]
    ).status


def test_on_track_when_this_week_is_met() -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    assert _status([(MONDAY, 60)], wednesday) is Status.ON_TRACK


def test_due_when_this_week_is_not_yet_met_but_last_week_was() -> None:
    assert _status([(MONDAY - dt.timedelta(days=3), 60)], MONDAY) is Status.DUE


def test_overdue_when_a_whole_week_was_missed() -> None:
    assert _status([(MONDAY - dt.timedelta(days=10), 60)], MONDAY) is Status.OVERDUE


def test_minutes_add_up_within_a_period() -> None:
    last_week = MONDAY - dt.timedelta(days=7)
    assert _status([(last_week, 30), (last_week + dt.timedelta(days=2), 30)], MONDAY) is Status.DUE
    assert _status([(last_week, 30)], MONDAY) is Status.OVERDUE


def test_part_timer_meets_the_week_with_their_pro_rata_minutes() -> None:
    assert _status([(MONDAY, 36)], MONDAY, hours=Decimal("22.5")) is Status.ON_TRACK
    assert _status([(MONDAY, 35)], MONDAY, hours=Decimal("22.5")) is not Status.ON_TRACK


def test_experienced_practitioner_is_judged_by_fortnights() -> None:
    fortnight_start, _ = period_containing(MONDAY, FORTNIGHT)
    previous = fortnight_start - dt.timedelta(days=14)
    today = fortnight_start + dt.timedelta(days=9)
    since = dt.date(2015, 6, 1)
    # Supervision in the first week of the previous fortnight still covers it.
    assert _status([(previous, 60)], today, since=since) is Status.DUE
    assert _status([(fortnight_start, 60)], today, since=since) is Status.ON_TRACK
    assert _status([(previous - dt.timedelta(days=1), 60)], today, since=since) is Status.OVERDUE


def test_a_newcomer_cannot_have_missed_a_period_before_they_started() -> None:
    assert _status([], MONDAY + dt.timedelta(days=2), counting_from=MONDAY) is Status.DUE
    assert _status([], MONDAY + dt.timedelta(days=2)) is Status.OVERDUE


def test_future_sessions_do_not_count() -> None:
    assert _status([(MONDAY + dt.timedelta(days=3), 60)], MONDAY, counting_from=MONDAY) is Status.DUE
