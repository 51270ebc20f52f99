"""The far-from-booking rule for lone-working check-ins, without the database."""

import datetime as dt

import pytest

from attune.care import checkin
from attune.core.formatting import LONDON

NINE = dt.datetime(2026, 12, 2, 9, tzinfo=LONDON)
TWO_HOURS = dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("checking_in", "far"),
    [
        (NINE, False),
        (NINE - dt.timedelta(minutes=20), False),
        (NINE + TWO_HOURS, False),  # exactly two hours late is near enough
        (NINE - TWO_HOURS, False),
        (NINE + TWO_HOURS + dt.timedelta(minutes=1), True),
        (NINE - TWO_HOURS - dt.timedelta(minutes=1), True),
        (dt.datetime(2026, 12, 2, 23, 4, tzinfo=LONDON), True),  # 11:04pm to a 9:00am visit
        (dt.datetime(2026, 12, 2, 6, 30, tzinfo=LONDON), True),
    ],
)
def test_a_check_in_more_than_the_window_either_side_of_the_booking_is_far(checking_in: dt.datetime, far: bool) -> None:
    assert checkin.far_from_booking(NINE, checking_in, TWO_HOURS) is far


def test_the_window_is_a_setting() -> None:
    late = NINE + dt.timedelta(hours=3)
    assert checkin.far_from_booking(NINE, late, TWO_HOURS)
    assert not checkin.far_from_booking(NINE, late, dt.timedelta(hours=4))


def test_minutes_from_booking_are_negative_when_early() -> None:
    assert checkin.minutes_from_booking(NINE, dt.datetime(2026, 12, 2, 23, 4, tzinfo=LONDON)) == 844
    assert checkin.minutes_from_booking(NINE, NINE - dt.timedelta(hours=3)) == -180
