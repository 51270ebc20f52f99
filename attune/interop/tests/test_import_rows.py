"""The pure checks of a caseload file's cells and rows: no database."""

import datetime as dt

import pytest

from attune.interop import import_sheets
from attune.interop.import_rows import (
    CellProblem,
    Formula,
    Known,
    Problem,
    check_file,
    parse_answers,
    parse_cell,
    parse_date,
    read_table,
    summarise,
)

TODAY = dt.date(2027, 3, 15)
CODES = import_sheets.code_lists({"parent-infant-psychotherapy": "Parent-infant psychotherapy"})
FAMILIES = import_sheets.SHEETS[import_sheets.FAMILIES]
REFERRALS = import_sheets.SHEETS[import_sheets.REFERRALS]
EPISODES = import_sheets.SHEETS[import_sheets.EPISODES]
APPOINTMENTS = import_sheets.SHEETS[import_sheets.APPOINTMENTS]
MEASURES = import_sheets.SHEETS[import_sheets.MEASURES]


def _table(sheet: import_sheets.Sheet, rows: list[dict[str, object]], problems: list[Problem]) -> object:
    header = [c.header for c in sheet.columns]
    numbered = [(n, [row.get(c.key) for c in sheet.columns]) for n, row in enumerate(rows, start=2)]
    return read_table(sheet, sheet.name, header, numbered, CODES, problems)


def test_dates_are_day_month_year_or_iso() -> None:
    assert parse_date("31/01/2025") == dt.date(2025, 1, 31)
    assert parse_date("3.2.2025") == dt.date(2025, 2, 3)
    assert parse_date("2025-01-31") == dt.date(2025, 1, 31)
    assert parse_date(dt.datetime(2025, 1, 31, 0, 0)) == dt.date(2025, 1, 31)


def test_a_date_in_american_order_says_to_write_day_month_year() -> None:
    with pytest.raises(CellProblem) as refused:
        parse_date("01/13/2025")
    assert refused.value.fix == "Write dates as day/month/year, for example 31/01/2025"
    assert "month 13" in refused.value.problem


@pytest.mark.parametrize(
    ("typed", "said"),
    [("31/02/2025", "is not a real date"), ("31/01/25", "2-digit year"), ("next week", "is not a date")],
)
def test_other_bad_dates_say_what_is_wrong(typed: str, said: str) -> None:
    with pytest.raises(CellProblem) as refused:
        parse_date(typed)
    assert said in refused.value.problem


def test_a_number_where_a_date_belongs_asks_for_a_date_cell() -> None:
    with pytest.raises(CellProblem, match="is a number, not a date"):
        parse_date(45678)


def test_nhs_numbers_need_their_check_digit() -> None:
    column = FAMILIES.columns[4]
    assert parse_cell(column, "943 476 5919", CODES) == "9434765919"
    assert parse_cell(column, 9434765919, CODES) == "9434765919"  # typed into a number cell
    with pytest.raises(CellProblem, match="is not a valid NHS number"):
        parse_cell(column, "943 476 5918", CODES)


def test_a_formula_is_refused_where_it_is() -> None:
    problems: list[Problem] = []
    _table(FAMILIES, [{"source_id": "F1", "person": "baby", "date_of_birth": Formula("=TODAY()-90")}], problems)
    assert problems == [
        Problem(
            "Families",
            2,
            "Date of birth",
            "The cell holds a formula (=TODAY()-90)",
            "Replace the formula with the value itself: copy the cells, then paste as values",
        )
    ]


def test_codes_are_taken_by_code_or_by_their_words() -> None:
    column = REFERRALS.columns[3]
    assert parse_cell(column, "a2", CODES) == "A2"
    assert parse_cell(column, "Health visitor", CODES) == "A2"
    with pytest.raises(CellProblem, match="is not on the Source of referral code list"):
        parse_cell(column, "Z9", CODES)


def test_missing_columns_are_named_once_for_the_sheet() -> None:
    problems: list[Problem] = []
    header = ["Source id", "Person"]
    table = read_table(FAMILIES, "Families", header, [(2, ["F1", "baby"])], CODES, problems)
    assert table is not None  # Families needs only these two
    table = read_table(REFERRALS, "Referrals", ["Source id"], [(2, ["R1"])], CODES, problems)
    assert table is None
    assert problems[-1].problem == (
        "The Referrals sheet has no 'Family source id', 'Received date', 'Source of referral' or 'Status' columns"
    )


def _family(source_id: str, nhs: str = "") -> list[dict[str, object]]:
    return [
        {"source_id": source_id, "person": "baby", "date_of_birth": "01/01/2027", "nhs_number": nhs},
        {"source_id": source_id, "person": "carer", "given_name": "Amara", "relationship": "mother"},
    ]


def _check(
    tables: dict[str, tuple[import_sheets.Sheet, list[dict[str, object]]]], known: Known | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    read = {kind: _table(sheet, rows, problems) for kind, (sheet, rows) in tables.items()}
    _, between = check_file(read, known or Known(), today=TODAY, kinds=import_sheets.KINDS)  # type: ignore[arg-type]
    return problems + between


def test_references_between_sheets_must_exist() -> None:
    problems = _check(
        {
            "families": (FAMILIES, _family("F1")),
            "referrals": (
                REFERRALS,
                [
                    {
                        "source_id": "R1",
                        "family": "F2",
                        "received_on": "01/02/2027",
                        "source": "A2",
                        "status": "received",
                    }
                ],
            ),
            "episodes": (
                EPISODES,
                [
                    {
                        "source_id": "E1",
                        "referral": "R1",
                        "practitioner": "pat@example.nhs.uk",
                        "opened_on": "02/02/2027",
                    }
                ],
            ),
        }
    )
    assert [(p.sheet, p.column, p.problem) for p in problems] == [
        ("Referrals", "Family source id", "There is no family F2 on the Families sheet or imported before"),
        ("Episodes", "Referral source id", "Referral R1 is not accepted"),
    ]


def test_the_same_nhs_number_on_two_families_in_the_file_is_a_problem() -> None:
    problems = _check({"families": (FAMILIES, _family("F1", "9434765919") + _family("F2", "9434765919"))})
    assert [p.problem for p in problems] == ["NHS number 9434765919 is on more than one person in the file"]


def test_a_baby_needs_a_date_and_a_carer_a_relationship() -> None:
    rows = [
        {"source_id": "F1", "person": "baby"},
        {"source_id": "F1", "person": "carer", "given_name": "Amara"},
    ]
    problems = _check({"families": (FAMILIES, rows)})
    assert [p.problem for p in problems] == [
        "The baby has no date of birth or due date",
        "Relationship is blank for a carer",
    ]


def test_appointments_are_in_the_past_after_the_episode_and_do_not_overlap() -> None:
    referral = {
        "source_id": "R1",
        "family": "F1",
        "received_on": "01/02/2027",
        "source": "A2",
        "status": "accepted",
        "level_of_need": "distress",
        "priority": "routine",
    }
    episode = {"source_id": "E1", "referral": "R1", "practitioner": "pat@example.nhs.uk", "opened_on": "10/02/2027"}
    base = {"episode": "E1", "start": "10:00", "kind": "home_visit", "attendance": "5"}
    problems = _check(
        {
            "families": (FAMILIES, _family("F1")),
            "referrals": (REFERRALS, [referral]),
            "episodes": (EPISODES, [episode]),
            "appointments": (
                APPOINTMENTS,
                [
                    {**base, "source_id": "A1", "date": "01/02/2027"},
                    {**base, "source_id": "A2", "date": "01/04/2027"},
                    {**base, "source_id": "A3", "date": "20/02/2027"},
                    {**base, "source_id": "A4", "date": "20/02/2027", "start": "10:30"},
                ],
            ),
        }
    )
    assert [(p.row, p.problem) for p in problems] == [
        (2, "The date is before the episode opened"),
        (3, "The date is in the future"),
        (5, "pat@example.nhs.uk has another appointment at this time (row 4)"),
    ]


def test_rows_imported_before_are_counted_not_checked_again() -> None:
    known = Known(imported={"families": frozenset({"F1"})}, families={"F1": frozenset()})
    problems: list[Problem] = []
    read = {"families": _table(FAMILIES, _family("F1"), problems)}
    plan, between = check_file(read, known, today=TODAY, kinds=import_sheets.KINDS)  # type: ignore[arg-type]
    assert (problems, between) == ([], [])
    assert plan.already["families"] == 1
    assert plan.new["families"] == []


def test_measure_answers_must_fit_the_instrument() -> None:
    assert parse_answers("1 - 2") == [1, None, 2]
    row = {"source_id": "M1", "episode": "E1", "instrument": "EPDS", "time_point": "assessment"}
    problems = _check(
        {
            "measures": (
                MEASURES,
                [
                    {**row, "completed_on": "01/03/2027", "answers": "0 0 0"},
                    {**row, "source_id": "M2", "completed_on": "01/03/2027", "answers": "0 0 3 0 3 3 3 3 3 -"},
                ],
            )
        }
    )
    texts = [p.problem for p in problems if p.column == "Answers"]
    assert texts[0].startswith("The answers do not fit the EPDS: EPDS has 10 items but 3 answers were given")
    assert texts[1] == "Item 10 is not answered, and the EPDS cannot be scored without it"


def test_ten_thousand_bad_rows_are_counted_by_kind() -> None:
    problems: list[Problem] = []
    rows = [{"source_id": f"F{n}", "person": "baby", "date_of_birth": "13/13/2025"} for n in range(10_000)]
    _table(FAMILIES, rows, problems)
    assert len(problems) == 10_000
    assert summarise(problems) == [
        {
            "sheet": "Families",
            "column": "Date of birth",
            "fix": "Check the day and month, for example 31/01/2025",
            "example": "'13/13/2025' is not a real date",
            "count": 10_000,
        }
    ]
