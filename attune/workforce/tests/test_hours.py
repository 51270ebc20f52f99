"""Supervised clinical hours derived from attended contacts and supervision attended (pure)."""

import datetime as dt
import uuid
from decimal import Decimal

from attune.workforce.hours import ContactRow, SupervisionRow, as_hours, derive, months_before

TRAINEE = uuid.uuid4()
OTHER = uuid.uuid4()
TODAY = dt.date(2026, 11, 27)


def contact(
    day: dt.date, minutes: int = 60, attendance: str = "5", who: frozenset[uuid.UUID] | None = None
) -> ContactRow:
    starts = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return ContactRow(who or frozenset({TRAINEE}), starts, starts + dt.timedelta(minutes=minutes), attendance)


def test_only_attended_contacts_count_as_clinical_hours() -> None:
    contacts = [
        contact(dt.date(2026, 11, 2), 60, "5"),
        contact(dt.date(2026, 11, 3), 30, "6"),  # arrived late but seen
        contact(dt.date(2026, 11, 4), 60, "3"),  # did not attend
        contact(dt.date(2026, 11, 5), 60, "7"),  # late, not seen
        contact(dt.date(2026, 11, 6), 60, ""),  # not recorded
    ]
    summary = derive(TRAINEE, contacts, [], today=TODAY)
    assert summary.clinical_minutes == 90
    assert summary.clinical == Decimal("1.5")


def test_second_practitioner_counts_and_other_peoples_contacts_do_not() -> None:
    contacts = [
        contact(dt.date(2026, 11, 2), 60, who=frozenset({OTHER, TRAINEE})),
        contact(dt.date(2026, 11, 3), 60, who=frozenset({OTHER})),
    ]
    assert derive(TRAINEE, contacts, [], today=TODAY).clinical_minutes == 60


def test_supervision_hours_are_the_sessions_the_person_attended() -> None:
    rows = [
        SupervisionRow(TRAINEE, dt.date(2026, 11, 2), 60),
        SupervisionRow(TRAINEE, dt.date(2026, 10, 20), 90),
        SupervisionRow(OTHER, dt.date(2026, 11, 2), 60),
    ]
    summary = derive(TRAINEE, [], rows, today=TODAY)
    assert summary.supervision_minutes == 150
    assert summary.supervision == Decimal("2.5")


def test_by_month_oldest_first_with_both_kinds() -> None:
    summary = derive(
        TRAINEE,
        [contact(dt.date(2026, 9, 30), 60), contact(dt.date(2026, 11, 1), 45)],
        [SupervisionRow(TRAINEE, dt.date(2026, 10, 1), 60)],
        today=TODAY,
    )
    assert [(m.month, m.clinical_minutes, m.supervision_minutes) for m in summary.by_month] == [
        (dt.date(2026, 9, 1), 60, 0),
        (dt.date(2026, 10, 1), 0, 60),
        (dt.date(2026, 11, 1), 45, 0),
    ]


def test_last_three_months_is_after_the_same_day_three_months_ago() -> None:
    summary = derive(
        TRAINEE,
        [contact(dt.date(2026, 8, 27), 60), contact(dt.date(2026, 8, 28), 30)],
        [SupervisionRow(TRAINEE, dt.date(2026, 8, 27), 60), SupervisionRow(TRAINEE, dt.date(2026, 8, 28), 45)],
        today=TODAY,
    )
    assert summary.recent_since == dt.date(2026, 8, 27)
    assert summary.recent_clinical_minutes == 30
    assert summary.recent_supervision_minutes == 45
    assert summary.clinical_minutes == 90


def test_future_and_before_training_do_not_count() -> None:
    summary = derive(
        TRAINEE,
        [contact(dt.date(2026, 11, 28), 60), contact(dt.date(2024, 10, 31), 60), contact(TODAY, 60)],
        [SupervisionRow(TRAINEE, dt.date(2026, 12, 1), 60)],
        today=TODAY,
        since=dt.date(2024, 11, 1),
    )
    assert summary.clinical_minutes == 60
    assert summary.supervision_minutes == 0


def test_contact_month_is_the_london_date() -> None:
    # In summer 11:30pm UTC on 31 May is 12:30am on 1 June in London.
    starts = dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC)
    row = ContactRow(frozenset({TRAINEE}), starts, starts + dt.timedelta(hours=1), "5")
    summary = derive(TRAINEE, [row], [], today=TODAY)
    assert summary.by_month[0].month == dt.date(2026, 6, 1)


def test_months_before_clamps_to_the_end_of_a_short_month() -> None:
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 5, 31), 3) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 2, 15), 3) == dt.date(2025, 11, 15)


def test_hours_round_to_one_decimal_place() -> None:
    assert as_hours(0) == Decimal("0.0")
    assert as_hours(50) == Decimal("0.8")
    assert as_hours(135) == Decimal("2.3")
