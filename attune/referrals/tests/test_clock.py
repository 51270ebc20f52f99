"""The triage clock: working days since receipt, paused while the team waits for information.
Status rows are built in memory; the clock reads no database."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.referrals.clock import TriageClock, pauses, triage_clock
from attune.referrals.models import ReferralStatus
from attune.referrals.workflow import Status

LONDON = ZoneInfo("Europe/London")


def _row(status: Status, day: date, hour: int = 10) -> ReferralStatus:
    return ReferralStatus(status=status, entered_at=datetime(day.year, day.month, day.day, hour, tzinfo=LONDON))


def test_a_referral_received_today_has_waited_no_days() -> None:
    received = date(2026, 11, 26)
    clock = triage_clock(received, [_row(Status.RECEIVED, received)], today=received, target=5)
    assert clock == TriageClock(working_days=0, target=5, paused=False)
    assert clock.state == "within"


@pytest.mark.parametrize(
    ("today", "days", "state"),
    [
        (date(2026, 11, 3), 1, "within"),
        (date(2026, 11, 5), 3, "within"),
        (date(2026, 11, 6), 4, "due"),  # the day before the target
        (date(2026, 11, 9), 5, "due"),  # the last day of the target
        (date(2026, 11, 10), 6, "over"),
        (date(2026, 11, 13), 9, "over"),
    ],
)
def test_the_clock_is_within_due_or_over_the_target(today: date, days: int, state: str) -> None:
    received = date(2026, 11, 2)  # a Monday
    clock = triage_clock(received, [_row(Status.RECEIVED, received)], today=today, target=5)
    assert clock.working_days == days
    assert clock.state == state


def test_the_clock_skips_christmas_and_boxing_day_observed() -> None:
    received = date(2026, 12, 22)
    clock = triage_clock(received, [_row(Status.RECEIVED, received)], today=date(2026, 12, 31), target=5)
    # 23, 24, 29, 30, 31 December: 25 and 28 are bank holidays, 26 and 27 the weekend.
    assert clock.working_days == 5


def test_waiting_for_information_pauses_the_clock() -> None:
    received = date(2026, 11, 2)
    history = [_row(Status.RECEIVED, received), _row(Status.AWAITING_INFORMATION, date(2026, 11, 4))]
    clock = triage_clock(received, history, today=date(2026, 11, 13), target=5)
    assert clock.paused
    assert clock.working_days == 2  # Tue 3 and Wed 4; nothing since
    assert clock.state == "within"


def test_information_received_resumes_the_clock() -> None:
    received = date(2026, 11, 2)
    history = [
        _row(Status.RECEIVED, received),
        _row(Status.AWAITING_INFORMATION, date(2026, 11, 4)),
        _row(Status.RECEIVED, date(2026, 11, 10)),
    ]
    clock = triage_clock(received, history, today=date(2026, 11, 13), target=5)
    assert not clock.paused
    # Tue 3, Wed 4, then Wed 11, Thu 12, Fri 13 (paused Thu 5 to Tue 10).
    assert clock.working_days == 5
    assert clock.state == "due"


def test_pauses_are_read_from_the_history() -> None:
    history = [
        _row(Status.RECEIVED, date(2026, 11, 2)),
        _row(Status.AWAITING_INFORMATION, date(2026, 11, 4)),
        _row(Status.RECEIVED, date(2026, 11, 10)),
        _row(Status.AWAITING_INFORMATION, date(2026, 11, 16)),
    ]
    assert pauses(history) == [(date(2026, 11, 4), date(2026, 11, 10)), (date(2026, 11, 16), None)]


def test_a_decision_after_waiting_ends_the_pause() -> None:
    history = [
        _row(Status.RECEIVED, date(2026, 11, 2)),
        _row(Status.AWAITING_INFORMATION, date(2026, 11, 4)),
        _row(Status.DECLINED, date(2026, 11, 9)),
    ]
    assert pauses(history) == [(date(2026, 11, 4), date(2026, 11, 9))]
    assert not triage_clock(date(2026, 11, 2), history, today=date(2026, 11, 9), target=5).paused


def test_no_history_means_no_pauses() -> None:
    assert pauses([]) == []
    clock = triage_clock(date(2026, 11, 2), [], today=date(2026, 11, 4), target=5)
    assert clock == TriageClock(2, 5, False)


def test_status_days_are_london_days() -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    late = ReferralStatus(status=Status.AWAITING_INFORMATION, entered_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    assert pauses([late]) == [(date(2026, 7, 1), None)]


def test_the_target_is_per_team() -> None:
    received = date(2026, 11, 2)
    history = [_row(Status.RECEIVED, received)]
    assert triage_clock(received, history, today=date(2026, 11, 10), target=10).state == "within"
    assert triage_clock(received, history, today=date(2026, 11, 10), target=7).state == "due"
    assert triage_clock(received, history, today=date(2026, 11, 10), target=3).state == "over"


@given(
    st.integers(min_value=0, max_value=40),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 15)), max_size=3),
    st.integers(min_value=0, max_value=60),
)
def test_waiting_for_information_never_adds_days(start_offset: int, waits: list[tuple[int, int]], length: int) -> None:
    received = date(2026, 10, 1) + timedelta(days=start_offset)
    today = received + timedelta(days=length)
    history = [_row(Status.RECEIVED, received)]
    day = received
    for gap, wait in waits:
        day += timedelta(days=gap)
        history.append(_row(Status.AWAITING_INFORMATION, day))
        day += timedelta(days=wait)
        history.append(_row(Status.RECEIVED, day))
    history = [row for row in history if row.entered_at.date() <= today]
    without_pauses = triage_clock(received, history[:1], today=today, target=5).working_days
    clock = triage_clock(received, history, today=today, target=5)
    assert 0 <= clock.working_days <= without_pauses
