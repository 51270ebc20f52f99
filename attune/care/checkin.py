"""Whether a lone-working check-in is far from the time the visit was booked for. Checking in at
11:04pm to a 9:00am visit is more likely a slip (the wrong visit, or a forgotten check-in) than
the truth, and the team lead's overdue alert runs from this time, so the person is asked first.
Plain Python, no Django."""

import datetime as dt

# How far from the booked start a check-in may be before the person is asked to confirm it
# (the CARE_CHECK_IN_CONFIRM_HOURS setting, when set, overrides it).
DEFAULT_WINDOW = dt.timedelta(hours=2)


def far_from_booking(starts_at: dt.datetime, checking_in_at: dt.datetime, window: dt.timedelta) -> bool:
    """More than `window` before or after the booked start (exactly `window` is near enough)."""
    return abs(checking_in_at - starts_at) > window


def minutes_from_booking(starts_at: dt.datetime, checking_in_at: dt.datetime) -> int:
    """Whole minutes after the booked start (negative: before it)."""
    return int((checking_in_at - starts_at).total_seconds() // 60)
