"""The rules a contact's times, episode and attendance must meet, shared by booking, recording
attendance and the import's bulk contacts (care.services, care.bulk): each broken rule in words."""

import datetime as dt

import pytest

from attune.care import services
from attune.core.formatting import LONDON

NINE = dt.datetime(2025, 3, 4, 9, 0, tzinfo=LONDON)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("ends_at", "problem"),
    [
        (NINE + HOUR, ""),
        (NINE + 8 * HOUR, ""),
        (NINE, "The end time must be after the start time"),
        (NINE - HOUR, "The end time must be after the start time"),
        (NINE + 8 * HOUR + dt.timedelta(minutes=1), "An appointment cannot be longer than 8 hours"),
    ],
)
def test_a_contacts_times(ends_at: dt.datetime, problem: str) -> None:
    assert services.times_problem(NINE, ends_at) == problem


def test_a_contact_belongs_in_an_open_episode_after_it_opened() -> None:
    assert services.episode_problem(is_open=True, opened_at=NINE - HOUR, starts_at=NINE) == ""
    assert services.episode_problem(is_open=True, opened_at=NINE, starts_at=NINE) == ""
    assert (
        services.episode_problem(is_open=False, opened_at=NINE - HOUR, starts_at=NINE)
        == "This episode is closed, so nothing can be booked in it"
    )
    assert (
        services.episode_problem(is_open=True, opened_at=NINE + HOUR, starts_at=NINE)
        == "The appointment must be after the episode opened"
    )


@pytest.mark.parametrize(
    ("attendance", "starts_at", "problem"),
    [
        ("5", NINE - HOUR, ""),  # attended, in the past
        ("3", NINE - HOUR, ""),  # did not attend
        ("2", NINE + HOUR, ""),  # cancelled by the family ahead of time
        ("4", NINE + HOUR, ""),  # cancelled by the service
        ("5", NINE + HOUR, "This appointment has not happened yet. You can record a cancellation, but not attendance"),
        ("", NINE - HOUR, "Select what happened at the appointment"),
        ("99", NINE - HOUR, "Select what happened at the appointment"),
    ],
)
def test_what_happened_at_a_contact(attendance: str, starts_at: dt.datetime, problem: str) -> None:
    assert services.attendance_problem(attendance, starts_at=starts_at, now=NINE) == problem
