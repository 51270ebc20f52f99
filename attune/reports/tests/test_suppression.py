"""Small-number suppression (pure: no database). The rule is NHS Digital's for sub-national
figures: 1-7 shown as *, others rounded to 5, no medians from 1-7 values, percentages from the
rounded counts (domain reference C.4)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.reports.suppression import Rule, present, present_table, rule_note
from attune.reports.tables import Column, Kind, Note, Report, ReportScope, Row, Section, ShownCell, ShownTable, Table

SHARED = Rule()
PEOPLE = Column("people", "Families referred")
SEEN = Column("seen", "Families seen")
SEEN_PERCENT = Column("seen_percent", "Seen", Kind.PERCENT, numerator="seen", denominator="people")
WAIT = Column("wait", "Median wait", Kind.MEDIAN, unit="working days", additive=False)
COST = Column("cost", "Cost", Kind.MONEY)
COST_PER = Column("cost_per", "Cost per family", Kind.COST_PER, numerator="cost", denominator="people")
HOURS = Column("hours", "Hours given", Kind.HOURS)


def table(*counts: int | None, total: bool = True, columns: tuple[Column, ...] = (PEOPLE,)) -> Table:
    """One COUNT column of `counts`, one row each, with their sum as the total row."""
    rows = tuple(Row(f"Row {n}", {"people": count}) for n, count in enumerate(counts, start=1))
    total_row = Row("Total", {"people": sum(c or 0 for c in counts)}) if total else None
    return Table("referrals", "Referrals", columns, rows, total=total_row)


def texts(shown: ShownTable, column: int = 0) -> list[str]:
    return [row.cells[column].text for row in shown.rows]


def one(kind_columns: tuple[Column, ...], values: dict, samples: dict | None = None, rule: Rule | None = SHARED):
    shown = present_table(Table("t", "T", kind_columns, (Row("Only", values, samples or {}),)), rule)
    return shown.rows[0].cells


# The rule itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "text", "number", "withheld"),
    [
        (0, "0", 0.0, False),
        (1, "*", None, True),
        (7, "*", None, True),
        (8, "10", 10.0, False),
        (12, "10", 10.0, False),
        (13, "15", 15.0, False),
        (1234, "1,235", 1235.0, False),
        (None, "–", None, False),
    ],
)
def test_counts_are_hidden_from_1_to_7_and_rounded_to_5(count, text, number, withheld) -> None:
    cell = present_table(table(count, total=False), SHARED).rows[0].cells[0]
    assert cell == ShownCell(text, number, withheld)


@pytest.mark.parametrize("count", [0, 1, 7, 8, 12, 13])
def test_without_a_rule_counts_are_exact(count: int) -> None:
    cell = present_table(table(count, total=False), None).rows[0].cells[0]
    assert cell == ShownCell(str(count), float(count))


def test_halves_round_away_from_zero() -> None:
    assert Rule(up_to=7, round_to=10).round(15) == 20
    assert Rule(up_to=7, round_to=10).round(25) == 30  # not to even, as Python's round() would
    assert Rule(up_to=0, round_to=2).round(1) == 2


def test_a_rule_that_would_show_a_hidden_count_is_refused() -> None:
    with pytest.raises(ValueError, match="inside the hidden range"):
        Rule(up_to=11, round_to=5)  # 12 would show as 10
    with pytest.raises(ValueError, match="inside the hidden range"):
        Rule(up_to=2, round_to=10)  # 3 would show as 0
    Rule(up_to=9, round_to=5)  # ONS-style threshold: 10 shows as 10


def test_the_total_is_rounded_from_its_own_exact_value() -> None:
    # Rows 13 + 13 + 13 show as 15 + 15 + 15 = 45, but the total is 39, shown as 40.
    shown = present_table(table(13, 13, 13), SHARED)
    assert texts(shown) == ["15", "15", "15"]
    assert shown.total is not None
    assert shown.total.cells[0].text == "40"


def test_a_small_total_is_hidden_too() -> None:
    shown = present_table(table(3, 2), SHARED)
    assert shown.total is not None
    assert shown.total.cells[0].withheld


def test_present_keeps_sections_tables_and_order_and_says_it_suppressed() -> None:
    scope = ReportScope(date(2025, 10, 1), date(2025, 12, 31), frozenset(), label="Blackpool")
    first, second = table(20), Table("b", "Second", (PEOPLE,), (Row("x", {"people": 9}),))
    report = Report(scope, (Section("one", "One", (first, second)), Section("two", "Two", ())), notes=(Note("n"),))
    shown = present(report, SHARED)
    assert [s.key for s in shown.sections] == ["one", "two"]
    assert [t.key for t in shown.sections[0].tables] == ["referrals", "b"]
    assert shown.scope == scope
    assert shown.notes == ("n",)
    assert shown.suppressed
    assert shown.sections[0].tables[0].suppressed
    assert not present(report, None).suppressed
    assert not present(report, None).sections[0].tables[0].suppressed


# Secondary suppression ---------------------------------------------------------------------------


def test_one_hidden_cell_in_a_column_with_a_total_hides_the_smallest_other() -> None:
    # Total 48 (shown 50) minus 25 and 20 would give the hidden 3 back.
    shown = present_table(table(25, 3, 20), SHARED)
    assert texts(shown) == ["25", "*", "*"]
    assert [row.cells[0].withheld for row in shown.rows] == [False, True, True]
    assert shown.total is not None
    assert shown.total.cells[0].text == "50"


def test_ties_hide_the_first_row() -> None:
    shown = present_table(table(10, 4, 10), SHARED)
    assert texts(shown) == ["*", "*", "10"]


def test_the_smaller_cell_is_chosen_by_its_shown_figure() -> None:
    # 13 and 12 show as 15 and 10: the 12 goes.
    assert texts(present_table(table(13, 5, 12), SHARED)) == ["15", "*", "*"]


def test_two_hidden_cells_need_nothing_more() -> None:
    assert texts(present_table(table(30, 3, 4, 20), SHARED)) == ["30", "*", "*", "20"]


def test_a_hidden_total_needs_nothing_more() -> None:
    # Total 7 is hidden, so nothing can be worked out from it.
    assert texts(present_table(table(6, 1, 0), SHARED)) == ["*", "*", "0"]
    assert texts(present_table(table(5, 0), SHARED)) == ["*", "0"]


def test_zero_cells_are_never_chosen() -> None:
    assert texts(present_table(table(0, 3, 0, 30, 0), SHARED)) == ["0", "*", "0", "*", "0"]


def test_a_table_without_a_total_needs_no_secondary_suppression() -> None:
    assert texts(present_table(table(25, 3, 20, total=False), SHARED)) == ["25", "*", "20"]


def test_a_column_that_does_not_add_up_needs_no_secondary_suppression() -> None:
    average = Column("people", "Families (on any day)", additive=False)
    assert texts(present_table(table(25, 3, 20, columns=(average,)), SHARED)) == ["25", "*", "20"]


def test_without_a_rule_nothing_is_hidden() -> None:
    assert texts(present_table(table(25, 3, 20), None)) == ["25", "3", "20"]


def test_each_column_is_protected_on_its_own() -> None:
    rows = (
        Row("A", {"people": 25, "seen": 20}),
        Row("B", {"people": 3, "seen": 20}),
        Row("C", {"people": 20, "seen": 2}),
    )
    shown = present_table(
        Table("t", "T", (PEOPLE, SEEN), rows, total=Row("Total", {"people": 48, "seen": 42})),
        SHARED,
    )
    assert texts(shown, 0) == ["25", "*", "*"]
    assert texts(shown, 1) == ["*", "20", "*"]


# Derived and other kinds -------------------------------------------------------------------------


def percent(people: int | None, seen: int | None, rule: Rule | None = SHARED) -> ShownCell:
    return one((PEOPLE, SEEN, SEEN_PERCENT), {"people": people, "seen": seen}, rule=rule)[2]


def test_percentages_come_from_the_rounded_counts() -> None:
    # 13 of 23 is 57%, but the page shows 15 of 25, so it says 60%.
    assert percent(23, 13) == ShownCell("60%", 60.0)
    assert percent(23, 13, rule=None) == ShownCell("57%", 57.0)


def test_percentages_round_half_up() -> None:
    assert percent(40, 10) == ShownCell("25%", 25.0)
    assert percent(8, 1, rule=None) == ShownCell("13%", 13.0)  # 12.5 -> 13
    assert percent(200, 1, rule=None) == ShownCell("1%", 1.0)  # 0.5 -> 1


def test_a_percentage_of_a_hidden_count_is_hidden() -> None:
    assert percent(30, 5) == ShownCell("*", None, withheld=True)
    assert percent(5, 0) == ShownCell("*", None, withheld=True)


def test_a_percentage_of_nothing_is_a_dash() -> None:
    assert percent(0, 0) == ShownCell("–", None)
    assert percent(None, 3, rule=None) == ShownCell("–", None)
    assert percent(20, 0) == ShownCell("0%", 0.0)


def median(value: float | None, samples: int | None, rule: Rule | None = SHARED) -> ShownCell:
    return one((WAIT,), {"wait": value}, {} if samples is None else {"wait": samples}, rule=rule)[0]


def test_no_median_from_1_to_7_values_when_shared() -> None:
    assert median(12.0, 7) == ShownCell("*", None, withheld=True)
    assert median(12.0, 1) == ShownCell("*", None, withheld=True)
    assert median(12.0, 8) == ShownCell("12 working days", 12.0)
    assert median(12.0, 7, rule=None) == ShownCell("12 working days", 12.0)


def test_a_median_from_an_unknown_number_of_values_is_hidden_when_shared() -> None:
    assert median(12.0, None).withheld
    assert median(12.0, None, rule=None).text == "12 working days"


def test_medians_show_a_decimal_only_when_they_need_one() -> None:
    assert median(12.5, 20) == ShownCell("12.5 working days", 12.5)
    assert median(12.04, 20) == ShownCell("12 working days", 12.0)
    assert median(12.25, 20) == ShownCell("12.3 working days", 12.3)
    assert one((Column("w", "Weeks", Kind.MEDIAN),), {"w": 3.0}, {"w": 9})[0].text == "3"


def test_an_empty_median_is_a_dash() -> None:
    assert median(None, 0) == ShownCell("–", None)
    assert median(None, 10) == ShownCell("–", None)
    assert median(4.0, 0) == ShownCell("–", None)


def test_money_is_pounds_and_pence_and_never_hidden() -> None:
    cells = one((COST,), {"cost": Decimal("60371.25")})
    assert cells[0] == ShownCell("£60,371.25", 60371.25)
    assert one((COST,), {"cost": Decimal(5)})[0].text == "£5.00"
    assert one((COST,), {"cost": Decimal("-5")})[0].text == "-£5.00"
    assert one((COST,), {"cost": None})[0] == ShownCell("–", None)


def test_hours_have_no_unit_and_are_never_hidden() -> None:
    assert one((HOURS,), {"hours": Decimal("3.50")})[0] == ShownCell("3.5", 3.5)
    assert one((HOURS,), {"hours": Decimal(3)})[0] == ShownCell("3", 3.0)
    assert one((HOURS,), {"hours": Decimal("1250.25")})[0].text == "1,250.25"
    assert one((HOURS,), {"hours": None})[0].text == "–"


def cost_per(cost: Decimal | None, people: int | None, rule: Rule | None = SHARED) -> ShownCell:
    return one((COST, PEOPLE, COST_PER), {"cost": cost, "people": people}, rule=rule)[2]


def test_cost_per_person_divides_by_the_shown_count() -> None:
    # £60,371.25 over 48 families shown as 50: £1,207.43 (exactly £1,207.425, half up).
    assert cost_per(Decimal("60371.25"), 48) == ShownCell("£1,207.43", 1207.43)
    assert cost_per(Decimal("60371.25"), 48, rule=None) == ShownCell("£1,257.73", 1257.73)


def test_cost_per_person_of_a_hidden_count_is_hidden() -> None:
    # The money is public: dividing it by the cost per person would give the count back.
    assert cost_per(Decimal("60371.25"), 5) == ShownCell("*", None, withheld=True)


def test_cost_per_person_of_nobody_is_a_dash() -> None:
    assert cost_per(Decimal("100"), 0).text == "–"
    assert cost_per(None, 20).text == "–"


def test_a_percentage_may_be_of_hours_which_are_never_hidden() -> None:
    weighted = Column("weighted", "Weighted caseload", Kind.HOURS)
    capacity = Column("capacity", "Capacity", Kind.HOURS)
    used = Column("used", "Capacity used", Kind.PERCENT, numerator="weighted", denominator="capacity")
    cells = one((weighted, capacity, used), {"weighted": Decimal("5.5"), "capacity": Decimal("6")})
    assert cells[2] == ShownCell("92%", 92.0)


def test_a_cost_may_be_per_hour() -> None:
    per_hour = Column("per_hour", "Cost per hour", Kind.COST_PER, numerator="cost", denominator="hours")
    cells = one((COST, HOURS, per_hour), {"cost": Decimal("100"), "hours": Decimal("3")})
    assert cells[2] == ShownCell("£33.33", 33.33)


def test_a_derived_column_cannot_be_worked_out_from_another() -> None:
    twice = Column("twice", "Seen of seen", Kind.PERCENT, numerator="seen_percent", denominator="people")
    with pytest.raises(ValueError, match="seen_percent"):
        present_table(Table("t", "T", (PEOPLE, SEEN, SEEN_PERCENT, twice), ()), None)


def test_a_derived_column_must_name_columns_of_its_table() -> None:
    broken = Column("p", "Seen", Kind.PERCENT, numerator="seen", denominator="peple")
    with pytest.raises(ValueError, match="peple"):
        present_table(Table("t", "T", (PEOPLE, SEEN, broken), ()), None)


# The note --------------------------------------------------------------------------------------


def test_the_shared_note_explains_the_rule() -> None:
    assert rule_note(SHARED) == (
        "To protect privacy, counts from 1 to 7 are shown as * and other counts are rounded to the "
        "nearest 5; percentages are worked out from the rounded counts, a median taken from 1 to 7 "
        "values is shown as *, and a further count is hidden where it could reveal a hidden one."
    )
    assert "1 to 9" in rule_note(Rule(up_to=9))


def test_the_exact_note_warns_against_sharing() -> None:
    assert "exact" in rule_note(None)
    assert "do not share" in rule_note(None)


# Properties ------------------------------------------------------------------------------------


def _valid(up_to: int, round_to: int) -> Rule | None:
    try:
        return Rule(up_to, round_to)
    except ValueError:
        return None


valid_rules = st.builds(_valid, st.integers(0, 12), st.integers(1, 10)).filter(lambda r: r is not None)
counts = st.lists(st.integers(0, 60) | st.integers(0, 10), min_size=1, max_size=8)


@given(rule=valid_rules, values=counts, with_total=st.booleans())
def test_a_shared_count_is_never_small_and_always_rounded(rule: Rule, values: list[int], with_total: bool) -> None:
    shown = present_table(table(*values, total=with_total), rule)
    cells = [row.cells[0] for row in shown.rows] + ([shown.total.cells[0]] if shown.total else [])
    for cell in cells:
        if cell.withheld:
            assert cell.text == "*"
            assert cell.number is None
            continue
        assert cell.number is not None
        assert not 1 <= cell.number <= rule.up_to
        assert cell.number % rule.round_to == 0


@given(rule=valid_rules, values=counts)
def test_a_column_with_a_shown_total_never_has_exactly_one_hidden_cell(rule: Rule, values: list[int]) -> None:
    shown = present_table(table(*values), rule)
    assert shown.total is not None
    if not shown.total.cells[0].withheld:
        assert sum(row.cells[0].withheld for row in shown.rows) != 1
