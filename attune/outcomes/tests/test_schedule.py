"""The due and overdue rules (pure: no database)."""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

from attune.outcomes import schedule
from attune.outcomes.schedule import Person, Recorded, Scheduled, Status

OPENED = date(2026, 9, 7)  # a Monday
MUM = Person("carer:mum", born_on=date(2026, 5, 1))
BABY = Person("infant:baby", born_on=date(2026, 5, 1))
EPDS_ASSESSMENT = Scheduled("EPDS", "assessment", 0)
EPDS_REVIEW = Scheduled("EPDS", "review", 12)
EPDS_DISCHARGE = Scheduled("EPDS", "discharge", None)


def status(
    scheduled: Scheduled,
    *,
    today: date,
    person: Person = MUM,
    discharged_on: date | None = None,
    done: bool = False,
) -> schedule.MeasureStatus:
    return schedule.status_of(scheduled, person, opened_on=OPENED, discharged_on=discharged_on, today=today, done=done)


def test_schedule_module_imports_no_django() -> None:
    tree = ast.parse(Path(schedule.__file__).read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not [m for m in modules if m.split(".")[0] == "django"]


def test_a_measure_is_upcoming_the_day_before_it_falls_due() -> None:
    review_day = OPENED + timedelta(weeks=12)
    found = status(EPDS_REVIEW, today=review_day - timedelta(days=1))
    assert found.status == Status.UPCOMING
    assert found.due_on == review_day


def test_a_measure_is_due_from_its_date() -> None:
    assert status(EPDS_REVIEW, today=OPENED + timedelta(weeks=12)).status == Status.DUE


def test_a_measure_is_still_due_on_the_last_day_of_its_two_week_window() -> None:
    found = status(EPDS_REVIEW, today=OPENED + timedelta(weeks=14))
    assert found.status == Status.DUE
    assert found.overdue_from == OPENED + timedelta(weeks=14, days=1)


def test_a_measure_is_overdue_the_day_after_its_window_closes() -> None:
    assert status(EPDS_REVIEW, today=OPENED + timedelta(weeks=14, days=1)).status == Status.OVERDUE


def test_assessment_is_due_the_day_the_episode_opens() -> None:
    assert status(EPDS_ASSESSMENT, today=OPENED).status == Status.DUE


def test_a_recorded_measure_is_done_even_when_late() -> None:
    assert status(EPDS_REVIEW, today=OPENED + timedelta(weeks=30), done=True).status == Status.DONE


def test_a_discharge_measure_waits_for_discharge_and_is_never_overdue_before_it() -> None:
    found = status(EPDS_DISCHARGE, today=OPENED + timedelta(weeks=100))
    assert found.status == Status.AT_DISCHARGE
    assert found.due_on is None
    assert not found.outstanding


def test_a_discharge_measure_is_due_on_discharge_then_overdue_after_the_window() -> None:
    left = OPENED + timedelta(weeks=20)
    assert status(EPDS_DISCHARGE, today=left, discharged_on=left).status == Status.DUE
    assert status(EPDS_DISCHARGE, today=left + timedelta(weeks=2), discharged_on=left).status == Status.DUE
    assert status(EPDS_DISCHARGE, today=left + timedelta(weeks=2, days=1), discharged_on=left).status == Status.OVERDUE


def test_a_review_falling_after_discharge_is_not_applicable() -> None:
    left = OPENED + timedelta(weeks=8)
    found = status(EPDS_REVIEW, today=left + timedelta(days=30), discharged_on=left)
    assert found.status == Status.NOT_APPLICABLE
    assert found.reason == "The episode ended before it was due"


def test_a_follow_up_stays_applicable_after_discharge() -> None:
    follow_up = Scheduled("EPDS", "follow_up", 26)
    left = OPENED + timedelta(weeks=20)
    assert status(follow_up, today=OPENED + timedelta(weeks=26), discharged_on=left).status == Status.DUE


# Infant ages --------------------------------------------------------------------------------------

ADBB_REVIEW = Scheduled("ADBB", "review", 12, instrument_ages=(2, 24))


@pytest.mark.parametrize(
    ("born_on", "expected"),
    [
        # The review falls due on 30 November 2026; "2 to 24 months" includes both ends.
        (date(2024, 10, 30), Status.NOT_APPLICABLE),  # 25 months
        (date(2024, 10, 31), Status.DUE),  # 24 months and 30 days: still 24 completed months
        (date(2024, 11, 30), Status.DUE),  # exactly 24 months
        (date(2026, 9, 30), Status.DUE),  # exactly 2 months
        (date(2026, 10, 1), Status.NOT_APPLICABLE),  # a day short of 2 months
    ],
)
def test_an_infant_measure_fits_only_inside_the_age_range_on_the_due_date(born_on: date, expected: Status) -> None:
    due = OPENED + timedelta(weeks=12)
    assert due == date(2026, 11, 30)
    assert status(ADBB_REVIEW, today=due, person=Person("infant:baby", born_on=born_on)).status == expected


def test_a_baby_over_the_range_is_told_why() -> None:
    found = status(ADBB_REVIEW, today=OPENED + timedelta(weeks=12), person=Person("infant:b", date(2024, 1, 1)))
    assert found.status == Status.NOT_APPLICABLE
    assert found.reason == "The baby will be over 24 months old"


def test_the_team_range_narrows_the_instrument_range() -> None:
    narrow = Scheduled("ADBB", "review", 12, infant_min_months=6, infant_max_months=60, instrument_ages=(2, 24))
    assert narrow.age_range == (6, 24)
    found = status(narrow, today=OPENED + timedelta(weeks=12), person=Person("infant:b", date(2026, 7, 1)))
    assert found.status == Status.NOT_APPLICABLE
    assert found.reason == "The baby will be under 6 months old"


def test_an_unborn_baby_does_not_fit_an_age_range() -> None:
    found = status(ADBB_REVIEW, today=OPENED + timedelta(weeks=12), person=Person("infant:b", None))
    assert found.status == Status.NOT_APPLICABLE
    assert found.reason == "The baby is not born yet"


def test_age_does_not_matter_for_a_measure_without_a_range() -> None:
    assert EPDS_REVIEW.age_range is None
    assert status(EPDS_REVIEW, today=OPENED + timedelta(weeks=12), person=Person("carer:m", None)).status == Status.DUE


def test_a_discharge_measure_for_a_baby_already_too_old_is_not_applicable() -> None:
    at_discharge = Scheduled("ADBB", "discharge", None, instrument_ages=(2, 24))
    found = status(at_discharge, today=date(2026, 12, 1), person=Person("infant:b", date(2024, 1, 1)))
    assert found.status == Status.NOT_APPLICABLE
    assert found.reason == "The baby is over 24 months old"
    young = status(at_discharge, today=date(2026, 12, 1), person=Person("infant:b", date(2026, 11, 1)))
    assert young.status == Status.AT_DISCHARGE


# The whole episode --------------------------------------------------------------------------------


def test_statuses_cover_each_measure_for_each_person_it_is_for() -> None:
    dad = Person("carer:dad")
    found = schedule.statuses(
        opened_on=OPENED,
        discharged_on=None,
        today=OPENED + timedelta(weeks=13),
        schedules=[EPDS_ASSESSMENT, EPDS_REVIEW, ADBB_REVIEW, Scheduled("PHQ9", "review", 12)],
        people={"EPDS": [MUM, dad], "ADBB": [BABY]},
        recorded=[Recorded("EPDS", "assessment", "carer:mum"), Recorded("EPDS", "review", "carer:dad")],
    )
    assert [(s.instrument, s.time_point, s.person, s.status) for s in found] == [
        ("EPDS", "assessment", "carer:mum", Status.DONE),
        ("EPDS", "assessment", "carer:dad", Status.OVERDUE),
        ("EPDS", "review", "carer:mum", Status.DUE),
        ("EPDS", "review", "carer:dad", Status.DONE),
        ("ADBB", "review", "infant:baby", Status.DUE),
    ]
    assert [(s.instrument, s.time_point, s.person) for s in schedule.outstanding(found)] == [
        ("EPDS", "assessment", "carer:dad"),
        ("ADBB", "review", "infant:baby"),
        ("EPDS", "review", "carer:mum"),
    ]


def test_a_recording_at_another_time_point_does_not_count() -> None:
    found = schedule.statuses(
        opened_on=OPENED,
        discharged_on=None,
        today=OPENED + timedelta(weeks=12),
        schedules=[EPDS_REVIEW],
        people={"EPDS": [MUM]},
        recorded=[Recorded("EPDS", "assessment", "carer:mum")],
    )
    assert found[0].status == Status.DUE
