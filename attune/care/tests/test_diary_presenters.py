"""The diary's presenters, without the database: weeks, times, places, tags and what the
appointment page offers to whom."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from attune.accounts.models import User
from attune.care.codes import Attendance, ContactKind
from attune.care.models import Appointment, Note, NoteStatus, Room
from attune.care.presenters import diary as presenters
from attune.core.formatting import parse_time
from attune.organisations.models import Site

LONDON = ZoneInfo("Europe/London")


def visit(**fields: object) -> Appointment:
    starts = dt.datetime(2026, 12, 2, 10, tzinfo=LONDON)
    values: dict[str, object] = {
        "kind": ContactKind.HOME_VISIT,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=1),
        "practitioner_id": uuid.uuid4(),
    }
    values.update(fields)
    return Appointment(**values)


def test_chosen_week_is_the_monday_of_the_date_given_or_of_today() -> None:
    today = dt.date(2026, 12, 2)
    assert presenters.chosen_week("2026-12-06", today) == dt.date(2026, 11, 30)
    assert presenters.chosen_week("2026-12-07", today) == dt.date(2026, 12, 7)
    assert presenters.chosen_week(None, today) == dt.date(2026, 11, 30)
    assert presenters.chosen_week("31/12/2026", today) == dt.date(2026, 11, 30)


def test_week_bounds_are_london_midnights_across_the_clock_change() -> None:
    starts, ends = presenters.week_bounds(dt.date(2026, 10, 19))  # the clocks go back on 25 October
    assert starts.isoformat() == "2026-10-19T00:00:00+01:00"
    assert ends.isoformat() == "2026-10-26T00:00:00+00:00"


def test_week_nav_links_either_side_and_back_to_this_week() -> None:
    nav = presenters.week_nav("/diary", dt.date(2026, 12, 7), dt.date(2026, 12, 2), query="site=x&")
    assert nav.heading == "Monday 7 December 2026 to Sunday 13 December 2026"
    assert nav.previous_url == "/diary?site=x&week=2026-11-30"
    assert nav.next_url == "/diary?site=x&week=2026-12-14"
    assert nav.this_week_url == "/diary?site=x&week=2026-12-02"
    assert presenters.week_nav("/diary", dt.date(2026, 11, 30), dt.date(2026, 12, 2)).this_week_url is None


def test_times_and_days_read_uk_style() -> None:
    appointment = visit()
    assert presenters.time_range(appointment) == "10:00am to 11:00am"
    assert presenters.when(appointment) == "Wednesday 2 December 2026, 10:00am to 11:00am"


def test_place_says_where() -> None:
    site = Site(name="Daisyfield Family Hub")
    room = Room(name="Room 1", site=site)
    assert presenters.place(visit(kind=ContactKind.FAMILY_HUB, site=site, room=room)) == "Room 1, Daisyfield Family Hub"
    assert presenters.place(visit(kind=ContactKind.CLINIC, site=site)) == "Daisyfield Family Hub (no room booked)"
    assert presenters.place(visit()) == "The family's home"
    assert presenters.place(visit(kind=ContactKind.VIDEO)) == "Video call"
    assert presenters.room_label(room) == "Room 1, Daisyfield Family Hub"


def test_attendance_tag_words_and_colours() -> None:
    assert 'nhsuk-tag--blue">Booked' in presenters.attendance_tag(visit())
    assert 'nhsuk-tag--red">Did not attend' in presenters.attendance_tag(visit(attendance=Attendance.DID_NOT_ATTEND))
    assert 'nhsuk-tag--green">Attended' in presenters.attendance_tag(visit(attendance=Attendance.ATTENDED))


def test_note_status_follows_the_notes_life() -> None:
    assert presenters.note_status(None) == ("No note", "white")
    assert presenters.note_status(Note(status=NoteStatus.DRAFT)) == ("Draft note", "yellow")
    signed = Note(status=NoteStatus.SIGNED, needs_countersignature=True)
    assert presenters.note_status(signed) == ("Awaiting countersignature", "orange")
    signed.countersigned_at = dt.datetime(2026, 12, 3, tzinfo=LONDON)
    assert presenters.note_status(signed) == ("Signed and countersigned", "green")
    assert presenters.note_status(Note(status=NoteStatus.SIGNED)) == ("Signed", "green")


def test_check_in_is_offered_to_the_practitioners_on_the_day_only() -> None:
    me = User(id=uuid.uuid4())
    other = User(id=uuid.uuid4())
    today = dt.date(2026, 12, 2)
    mine = visit(practitioner_id=me.pk)
    found = presenters.lone_working(mine, user=me, today=today)
    assert found == presenters.LoneWorking(lines=["Not checked in."], can_check_in=True, can_check_out=False)
    other_view = presenters.lone_working(mine, user=other, today=today)
    assert other_view == presenters.LoneWorking(lines=["Not checked in."], can_check_in=False, can_check_out=False)
    tomorrow = presenters.lone_working(mine, user=me, today=dt.date(2026, 12, 1))
    assert tomorrow == presenters.LoneWorking(lines=["Not checked in."], can_check_in=False, can_check_out=False)
    mine.checked_in_at = dt.datetime(2026, 12, 2, 9, 58, tzinfo=LONDON)
    found = presenters.lone_working(mine, user=me, today=today)
    assert found == presenters.LoneWorking(
        lines=["Checked in at 9:58am on 2 December 2026"], can_check_in=False, can_check_out=True
    )
    assert presenters.lone_working(visit(kind=ContactKind.PHONE), user=me, today=today) is None


def test_times_are_understood_as_people_type_them() -> None:
    assert parse_time("9:30am") == dt.time(9, 30)
    assert parse_time("9.30") == dt.time(9, 30)
    assert parse_time("14:30") == dt.time(14, 30)
    assert parse_time("2pm") == dt.time(14)
    assert parse_time("12am") == dt.time(0)
    assert parse_time("12 noon") == dt.time(12)
    assert parse_time("12:15pm") == dt.time(12, 15)
    for wrong in ("25:00", "13pm", "9:75", "half nine", ""):
        assert parse_time(wrong) is None
