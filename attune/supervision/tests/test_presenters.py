"""Supervision presenters: how long a trainee's note has waited for countersigning, in London days."""

import datetime as dt

from attune.supervision.presenters import age_in_days


def test_a_note_signed_just_after_midnight_in_summer_was_signed_that_day() -> None:
    # Signed at 00:20 on 1 July 2027 in London (23:20 on 30 June in UTC, as stored).
    signed = dt.datetime(2027, 6, 30, 23, 20, tzinfo=dt.UTC)
    assert age_in_days(signed, dt.date(2027, 7, 1)) == 0
    assert age_in_days(signed, dt.date(2027, 7, 10)) == 9
    assert age_in_days(None, dt.date(2027, 7, 10)) == 0
