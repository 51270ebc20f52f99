"""The supervision standard: the Parent-Infant Foundation's frequency rule (experience, part-time
pro rata, fortnights), a service's own standard, and which standard was in force on a day."""

import datetime as dt
from decimal import Decimal

from attune.supervision.standard import (
    EPOCH,
    FORTNIGHT,
    PARENT_INFANT_FOUNDATION,
    WEEK,
    History,
    Standard,
    Status,
    compliance,
    describe,
    is_experienced,
    period_containing,
    pro_rata_minutes,
    requirement,
)

MONDAY = dt.date(2026, 11, 2)
PIF = PARENT_INFANT_FOUNDATION
# A service's own standard: 90 minutes every fortnight for everyone, 30 hours full time.
OWN = Standard(
    minutes_per_period=90,
    full_time_hours=Decimal("30"),
    experienced_after_years=3,
    less_experienced_period=FORTNIGHT,
    experienced_period=FORTNIGHT,
)


def test_practitioner_under_three_years_needs_an_hour_every_week() -> None:
    needed = requirement(experience_since=dt.date(2024, 1, 10), weekly_hours=Decimal("37.5"), on=MONDAY, standard=PIF)
    assert (needed.period_days, needed.minutes) == (WEEK, 60)
    assert needed.label == "60 minutes every week"


def test_requirement_drops_to_fortnightly_on_the_third_anniversary() -> None:
    since = dt.date(2023, 11, 4)
    the_day_before = requirement(experience_since=since, weekly_hours=None, on=dt.date(2026, 11, 3), standard=PIF)
    on_the_day = requirement(experience_since=since, weekly_hours=None, on=dt.date(2026, 11, 4), standard=PIF)
    assert the_day_before.period_days == WEEK
    assert on_the_day.period_days == FORTNIGHT
    assert on_the_day.label == "60 minutes every fortnight"


def test_leap_day_experience_counts_from_first_of_march() -> None:
    assert not is_experienced(dt.date(2024, 2, 29), dt.date(2027, 2, 28), standard=PIF)
    assert is_experienced(dt.date(2024, 2, 29), dt.date(2027, 3, 1), standard=PIF)


def test_unknown_experience_is_treated_as_under_three_years() -> None:
    assert requirement(experience_since=None, weekly_hours=None, on=MONDAY, standard=PIF).period_days == WEEK


def test_part_time_is_pro_rata_against_37_and_a_half_hours() -> None:
    assert pro_rata_minutes(Decimal("37.5"), standard=PIF) == 60
    assert pro_rata_minutes(Decimal("22.5"), standard=PIF) == 36
    assert pro_rata_minutes(Decimal("18.75"), standard=PIF) == 30
    assert pro_rata_minutes(Decimal("20"), standard=PIF) == 32  # 31.99 rounded up to a whole minute


def test_more_than_full_time_is_capped_at_an_hour() -> None:
    assert pro_rata_minutes(Decimal("45"), standard=PIF) == 60


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
        standard=kwargs.get("standard", PIF),  # type: ignore[arg-type]
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


# A service's own standard ------------------------------------------------------------------------


def test_the_foundation_standard_in_plain_words() -> None:
    assert describe(PIF) == (
        "60 minutes every week for practitioners with under 3 years' experience with under-2s; every fortnight "
        "after; pro rata for part-time against 37.5 hours"
    )


def test_a_standard_the_same_for_everyone_says_so() -> None:
    assert describe(OWN) == (
        "90 minutes every fortnight for every practitioner, whatever their experience; "
        "pro rata for part-time against 30 hours"
    )
    one_year = Standard(45, Decimal("36"), 1, WEEK, FORTNIGHT)
    assert "under 1 year' experience" not in describe(one_year)
    assert describe(one_year).startswith("45 minutes every week for practitioners with under 1 year's experience")


def test_a_new_practitioner_on_a_fortnightly_standard_needs_90_minutes_a_fortnight() -> None:
    needed = requirement(experience_since=None, weekly_hours=None, on=MONDAY, standard=OWN)
    assert (needed.period_days, needed.minutes) == (FORTNIGHT, 90)
    assert needed.label == "90 minutes every fortnight"


def test_part_time_is_pro_rata_against_the_standards_own_full_time_hours() -> None:
    assert pro_rata_minutes(Decimal("15"), standard=OWN) == 45  # half of 30 hours
    assert pro_rata_minutes(Decimal("37.5"), standard=OWN) == 90  # more than full time: capped
    assert pro_rata_minutes(Decimal("20"), standard=OWN) == 60
    assert pro_rata_minutes(None, standard=OWN) == 90


def test_experience_counts_after_the_standards_own_years() -> None:
    five_years = Standard(60, Decimal("37.5"), 5, WEEK, FORTNIGHT)
    since = dt.date(2020, 3, 1)
    assert not is_experienced(since, dt.date(2025, 2, 28), standard=five_years)
    assert is_experienced(since, dt.date(2025, 3, 1), standard=five_years)
    assert is_experienced(since, dt.date(2023, 3, 1), standard=PIF)
    everyone = Standard(60, Decimal("37.5"), 0, WEEK, FORTNIGHT)
    assert requirement(experience_since=MONDAY, weekly_hours=None, on=MONDAY, standard=everyone).period_days == (
        FORTNIGHT
    )


def test_compliance_is_judged_by_the_standard_given() -> None:
    fortnight_start, _ = period_containing(MONDAY, FORTNIGHT)
    today = fortnight_start + dt.timedelta(days=9)
    # 60 minutes meets the foundation's hour but not the service's 90 minutes.
    assert _status([(fortnight_start, 60)], today, since=dt.date(2015, 1, 1)) is Status.ON_TRACK
    assert _status([(fortnight_start, 60)], today, standard=OWN) is not Status.ON_TRACK
    assert _status([(fortnight_start, 60), (today, 30)], today, standard=OWN) is Status.ON_TRACK
    # A part-timer on 15 of 30 hours needs 45 minutes.
    assert _status([(fortnight_start, 45)], today, standard=OWN, hours=Decimal("15")) is Status.ON_TRACK


def test_the_standard_in_force_is_the_latest_change_made_by_that_day() -> None:
    history = History.of(
        [("s", dt.date(2026, 6, 1), OWN), ("s", dt.date(2026, 1, 1), PIF)],
        default=PIF,
    )
    assert history.on("s", dt.date(2025, 12, 31)) == PIF
    assert history.on("s", dt.date(2026, 5, 31)) == PIF
    assert history.on("s", dt.date(2026, 6, 1)) == OWN
    assert history.on("other", dt.date(2026, 6, 1)) == PIF  # a service with no standard of its own
    assert history.changed_between("s", dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert not history.changed_between("s", dt.date(2026, 6, 1), dt.date(2026, 12, 31))  # in force from the start
    assert not history.changed_between("s", dt.date(2025, 10, 1), dt.date(2026, 3, 31))  # same standard again
