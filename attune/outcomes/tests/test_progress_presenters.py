"""What the progress pages say, from unsaved models: no database."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from attune.outcomes import due, instruments
from attune.outcomes.models import Administration, MeasureSchedule
from attune.outcomes.presenters import progress as presenters


def given(code: str, total: int | None, on: dt.date, above: bool | None, time_point: str = "review") -> Administration:
    return Administration(
        pk=uuid.uuid4(),
        instrument=code,
        total=None if total is None else Decimal(total),
        completed_on=on,
        time_point=time_point,
        above_cutoff=above,
        complete=True,
        answers=[],
    )


EPDS = instruments.get("EPDS")
KPCS = instruments.get("KPCS")
PBQ = instruments.get("PBQ")
START, LATER = dt.date(2026, 9, 7), dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("instrument", "before", "after", "expected"),
    [
        (EPDS, True, False, "Yes: crossed below the cut-off, out of the clinical range"),
        (EPDS, False, True, "Yes: crossed above the cut-off, into the clinical range"),
        (EPDS, True, True, "No: stayed above the cut-off"),
        (EPDS, False, False, "No: stayed below the cut-off"),
        # KPCS: higher is better, 39 or less is low confidence.
        (KPCS, True, False, "Yes: crossed above the cut-off, out of the clinical range"),
        (KPCS, False, True, "Yes: crossed below the cut-off, into the clinical range"),
        (KPCS, True, True, "No: stayed below the cut-off"),
        (EPDS, None, False, "Not known"),
    ],
)
def test_crossing_the_cut_off_honours_the_direction(
    instrument: instruments.Instrument, before: bool | None, after: bool | None, expected: str
) -> None:
    baseline = given(instrument.code, 1, START, before)
    latest = given(instrument.code, 2, LATER, after)
    assert presenters.crossed_cutoff(instrument, baseline, latest) == expected


def test_a_measure_without_a_cut_off_says_so() -> None:
    assert presenters.crossed_cutoff(PBQ, given("PBQ", 30, START, None), None) == "No cut-off for this measure"


def test_reliable_change_needs_a_threshold() -> None:
    assert presenters.reliable_change(EPDS, 16, 10) == "improved"
    assert presenters.reliable_change(EPDS, 16, 13) == "no reliable change"
    assert presenters.reliable_change(KPCS, 30, 40) == presenters.NO_THRESHOLD


def test_signed_changes_use_a_true_minus() -> None:
    assert presenters.signed(-6) == "\u22126"
    assert presenters.signed(2.5) == "+2.5"
    assert presenters.signed(0) == "0"


def series_for(*administrations: Administration) -> presenters.Series:
    return presenters.Series(EPDS, "Jade Hughes", list(administrations))


def test_summary_with_one_score_is_not_enough_data() -> None:
    rows = presenters.summary_rows([series_for(given("EPDS", 16, START, True))])
    assert [cell.get("text", str(cell.get("html"))) for cell in rows[0]] == [
        "EPDS",
        "Jade Hughes",
        "16 (7 September 2026)",
        "Not enough data",
        "",
        "Not enough data",
        "Not enough data",
    ]


def test_summary_compares_the_latest_with_the_baseline() -> None:
    rows = presenters.summary_rows(
        [
            series_for(
                given("EPDS", 16, START, True, "assessment"),
                given("EPDS", 14, dt.date(2026, 10, 1), True),
                given("EPDS", 10, LATER, False),
            )
        ]
    )
    cells = rows[0]
    assert cells[3]["text"] == "10 (30 November 2026)"
    assert cells[4]["text"] == "\u22126"
    assert ">Improved<" in str(cells[5]["html"])
    assert cells[6]["text"] == "Yes: crossed below the cut-off, out of the clinical range"


def test_the_table_marks_the_baseline_and_judges_each_later_score() -> None:
    rows = presenters.table_rows(
        series_for(given("EPDS", 16, START, True, "assessment"), given("EPDS", 14, LATER, True))
    )
    assert [c.get("text") for c in rows[0][:5]] == ["7 September 2026", "Assessment", "16", "None", "Baseline"]
    assert rows[1][4]["text"] == "\u22122"
    assert "No reliable change" in str(rows[1][5]["html"])


def test_schedule_rows_say_when_and_for_which_ages() -> None:
    assert (
        presenters.when_due(MeasureSchedule(time_point="assessment", weeks_after_start=0)) == "When the episode starts"
    )
    assert presenters.when_due(MeasureSchedule(time_point="review", weeks_after_start=1)) == (
        "1 week after the episode starts"
    )
    assert presenters.when_due(MeasureSchedule(time_point="discharge")) == "When the family is discharged"
    assert presenters.ages_text(MeasureSchedule(infant_min_months=2, infant_max_months=24)) == "2 to 24 months"
    assert presenters.ages_text(MeasureSchedule(infant_min_months=6)) == "From 6 months"
    assert presenters.ages_text(MeasureSchedule(infant_max_months=12)) == "Up to 12 months"
    assert presenters.ages_text(MeasureSchedule()) == "Any age"


def test_the_home_page_summary_of_an_episode() -> None:
    found = due.EpisodeDue(uuid.uuid4(), "Family of Ava Hughes", 2, 1, ["GAD7", "PHQ9"])
    assert presenters.due_summary(found) == "1 overdue, 2 due: GAD-7, PHQ-9"
    assert presenters.progress_url(found.episode_id) == f"/episodes/{found.episode_id}/outcomes"
