"""Every number a shared report shows obeys the rule: table cells, the weighted caseload, the
figures inside notes, chart labels, the CSV and the Excel workbook; and no hidden cell can be
worked out from what else is shown. Property-based (hypothesis) on generated report structures,
plus the database case that once leaked: a one-day period with 3 unmatched postcodes."""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.accounts.models import User
from attune.organisations.tests.world import World
from attune.reports import exports
from attune.reports.charts import bar_chart
from attune.reports.indicators import build_report
from attune.reports.suppression import STAR, Rule, note_text, present
from attune.reports.tables import (
    Column,
    Figure,
    Fixed,
    Kind,
    Note,
    Report,
    ReportScope,
    Row,
    Section,
    ShownCell,
    ShownReport,
    Table,
)
from attune.reports.tests.factories import at, referral, scope

RULE = Rule()
SCOPE = ReportScope(dt.date(2025, 11, 5), dt.date(2025, 11, 5), frozenset(), label="Example")
GENERATED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
NUMBER = re.compile(r"(?<![\w.,£])\d[\d,]*(?:\.\d+)?(?![\w%])")


def obeys(text: str) -> bool:
    """A count as a shared report may show it: hidden, none, 0, or a multiple of 5 from 10."""
    if text in (STAR, "–"):
        return True
    count = float(text.replace(",", ""))
    return count == 0 or (count >= 10 and count % 5 == 0)


def counted(kind: Kind) -> bool:
    return kind in (Kind.COUNT, Kind.WEIGHTED)


# Generated reports ------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=40)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """Tables of counts with a total, a weighted column built from the first count, a percentage,
    and notes carrying counts as figures."""
    tables = []
    for number in range(draw(st.integers(1, 3))):
        size = draw(st.integers(1, 6))
        opened = [draw(counts) for _ in range(size)]
        other = [draw(counts) for _ in range(size)]
        weights = [Decimal(draw(st.sampled_from(["1", "1.5", "2"]))) for _ in range(size)]
        rows = tuple(
            Row(f"Row {chr(65 + n)}", {"open": opened[n], "weighted": opened[n] * weights[n], "other": other[n]})
            for n in range(size)
        )
        total = Row(
            "Total",
            {
                "open": sum(opened),
                "weighted": sum((o * w for o, w in zip(opened, weights, strict=True)), Decimal(0)),
                "other": sum(other),
            },
        )
        notes = tuple(
            Note("{count} had no postcode.", {"count": Figure(draw(counts), one="referral", many="referrals")})
            for _ in range(draw(st.integers(0, 2)))
        )
        tables.append(
            Table(
                key=f"t{number}",
                title=f"Table {chr(65 + number)}",
                columns=(
                    Column("open", "Open episodes"),
                    Column("weighted", "Weighted caseload", Kind.WEIGHTED, basis="open"),
                    Column("other", "Seen"),
                    Column("pct", "Seen (%)", Kind.PERCENT, numerator="other", denominator="open"),
                ),
                rows=rows,
                total=total,
                notes=notes,
                chart="bar",
                chart_column="open",
            )
        )
    report_notes = tuple(
        Note("No attendance is recorded for {count}.", {"count": Figure(draw(counts), many="past appointments")})
        for _ in range(draw(st.integers(0, 2)))
    )
    return Report(SCOPE, (Section("s", "Section", tuple(tables)),), notes=report_notes)


def note_numbers(text: str) -> list[str]:
    return [match.group(0) for match in NUMBER.finditer(text)] + [STAR] * text.count(STAR)


def _pinned(column: list[ShownCell], total: ShownCell) -> bool:
    """Whether a lone hidden cell could be worked out from the shown total and the other cells:
    each shown count c stands for [c - 2, c + 2] (at least 8), 0 for exactly 0, "*" for 1 or more.
    A hidden cell is pinned when the bounds leave one value."""
    if total.withheld or total.number is None:
        return False
    hidden = [cell for cell in column if cell.withheld]
    if len(hidden) != 1:
        return False
    low_total, high_total = (0.0, 0.0) if total.number == 0 else (max(total.number - 2, 8), total.number + 2)
    low = sum(0 if not c.number else max(c.number - 2, 8) for c in column if not c.withheld)
    high = sum(0 if not c.number else c.number + 2 for c in column if not c.withheld)
    return max(low_total - high, 1) == high_total - low


def check_shown(shown: ShownReport, fixed: tuple[str, ...] = ()) -> None:
    """`fixed`: words with digits that are not data (a code, a date) to leave out of the notes."""

    def numbers(note: str) -> list[str]:
        for words in fixed:
            note = note.replace(words, "")
        return note_numbers(note)

    for note in shown.notes:
        assert all(obeys(n) for n in numbers(note)), note
    for section in shown.sections:
        for table in section.tables:
            for note in table.notes:
                assert all(obeys(n) for n in numbers(note)), note
            lines = [*table.rows, *([table.total] if table.total else [])]
            for index, column in enumerate(table.columns):
                cells = [line.cells[index] for line in lines]
                if counted(column.kind):
                    assert all(obeys(cell.text) for cell in cells), (column.key, cells)
                    if table.total is not None and column.additive:
                        assert not _pinned(cells[:-1], cells[-1]), (column.key, cells)
                if column.kind == Kind.WEIGHTED:
                    basis = [c.key for c in table.columns].index(column.basis)
                    for line in lines:
                        # A weighted figure and its count are hidden together.
                        assert line.cells[index].withheld == line.cells[basis].withheld
            chart = bar_chart(table, chart_id="c")
            for label in re.findall(r'font-weight="bold">([^<]*)</text>', chart):
                if label != table.columns[[c.key for c in table.columns].index(table.chart_column)].label:
                    assert obeys(label), label


def check_files(shown: ShownReport) -> None:
    text = exports.to_csv(shown, title="Report", generated_at=GENERATED, note="note")
    lines = list(csv.reader(io.StringIO(text.lstrip(exports.BOM))))
    body = lines[lines.index([]) :]  # after the "what it is" lines (dates, the rule's own words)
    for line in body:
        if line and line[0].startswith("Note: "):
            assert all(obeys(n) for n in note_numbers(line[0])), line
    for line in lines:
        if line and line[0] == "Note":
            assert all(obeys(n) for n in note_numbers(line[1])), line
    for section in shown.sections:
        for table in section.tables:
            start = lines.index([table.title])
            kinds = [c.kind for c in table.columns]
            for line in lines[start + 2 : start + 2 + len(table.rows) + (table.total is not None)]:
                for kind, value in zip(kinds, line[1:], strict=True):
                    if counted(kind):
                        assert obeys(value), line
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(shown, title="R", generated_at=GENERATED, note="n")))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, int | float) and cell.number_format != exports.PERCENT_FORMAT:
                    assert obeys(str(value)), [c.value for c in row]
                elif isinstance(value, str) and value.startswith("Note"):
                    assert all(obeys(n) for n in note_numbers(value)), value


@settings(max_examples=150, deadline=None)
@given(reports())
def test_every_number_in_a_shared_report_obeys_the_rule(report: Report) -> None:
    shown = present(report, RULE)
    check_shown(shown)
    check_files(shown)


@settings(max_examples=60, deadline=None)
@given(reports())
def test_the_teams_own_report_stays_exact(report: Report) -> None:
    shown = present(report, None)
    for table, original in zip(shown.sections[0].tables, report.sections[0].tables, strict=True):
        assert [row.cells[0].text for row in table.rows] == [str(row.values["open"]) for row in original.rows]
    assert shown.notes == tuple(note_text(note, None) for note in report.notes)


# Notes carry figures, never counts in their words -----------------------------------------------


def test_a_note_with_a_count_in_its_words_is_refused() -> None:
    with pytest.raises(ValueError, match="digit"):
        Note("3 referrals had a postcode that is not in the deprivation lookup.")
    with pytest.raises(ValueError, match="names"):
        Note("{count} referrals", {})


def test_a_plain_string_note_is_refused_whoever_reads() -> None:
    for rule in (RULE, None):
        with pytest.raises(TypeError):
            present(Report(SCOPE, (), notes=("3 referrals had no postcode.",)), rule)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("count", "shared", "exact"),
    [(1, "* referrals", "1 referral"), (3, "* referrals", "3 referrals"), (12, "10 referrals", "12 referrals")],
)
def test_a_notes_figure_is_shown_by_the_rule(count: int, shared: str, exact: str) -> None:
    note = Note("{count} had no postcode ({edition}).", {"count": _referrals(count), "edition": Fixed("IoD2025")})
    assert note_text(note, RULE) == f"{shared} had no postcode (IoD2025)."
    assert note_text(note, None) == f"{exact} had no postcode (IoD2025)."


def _referrals(count: int) -> Figure:
    return Figure(count, one="referral", many="referrals")


def test_weighted_caseload_is_hidden_with_the_count_it_is_built_from() -> None:
    columns = (
        Column("open", "Open episodes"),
        Column("weighted", "Weighted caseload", Kind.WEIGHTED, basis="open"),
    )
    table = Table(
        "caseload",
        "Caseload",
        columns,
        rows=(Row("Hub", {"open": 3, "weighted": Decimal("3.00")}), Row("Satellite", {"open": 9, "weighted": 18})),
        total=Row("Total", {"open": 12, "weighted": Decimal("21.00")}),
    )
    shared = present(Report(SCOPE, (Section("c", "C", (table,)),)), RULE).sections[0].tables[0]
    assert [cell.text for cell in shared.rows[0].cells] == ["*", "*"]
    # Secondary: the satellite is hidden too, or the total would give the hub back.
    assert [cell.text for cell in shared.rows[1].cells] == ["*", "*"]
    assert [cell.text for cell in shared.total.cells] == ["10", "20"]  # type: ignore[union-attr]
    exact = present(Report(SCOPE, (Section("c", "C", (table,)),)), None).sections[0].tables[0]
    assert [cell.text for cell in exact.rows[0].cells] == ["3", "3"]


# The case that leaked, through the database and the pages ----------------------------------------


@pytest.mark.django_db
def test_one_day_with_three_unmatched_postcodes_shows_no_three_to_a_commissioner(
    world: World, commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    day = dt.date(2025, 11, 5)
    for hour in (9, 10, 11):
        referral(world.hub, at(day, hour), postcode="ZZ9 9ZZ")  # not in the deprivation lookup
    client = signed_in(commissioner)
    base = f"/reports/teams/{world.hub.pk}/"
    query = "?period=2025-11-05..2025-11-05"

    shown = present(build_report(scope(world.hub, start=day, end=day), today=dt.date(2026, 1, 20)), RULE)
    check_shown(shown, fixed=("code 7", "3 years", "365", "£0", "IoD2025"))
    unmatched = [note for note in shown.notes if "not in the deprivation lookup" in note]
    assert unmatched
    assert unmatched[0].startswith("* referrals had a postcode")

    page = client.get(base + query).content.decode()
    printed = client.get(base + "print" + query).content.decode()
    text = client.get(base + "export.csv" + query).content.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "export.xlsx" + query).content))
    # Figures and sentences, not row labels (deciles are named 1 to 10) or markup.
    csv_words = [" ".join(line[1:]) if len(line) > 1 else " ".join(line) for line in csv.reader(io.StringIO(text))]
    sheet_words = [
        " ".join(str(c) for c in (row[1:] if len(row) > 1 and row[1] is not None else row) if c is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    for where in (page, printed, "\n".join(csv_words), "\n".join(sheet_words)):
        assert "* referrals had a postcode that is not in the deprivation lookup" in where
        assert "3 referrals" not in where
        stripped = re.sub(r"<(th|tspan|desc)\b[^>]*>.*?</\1>", " ", where, flags=re.S)
        stripped = re.sub(r"<[^>]*>", " ", stripped)
        # No "3" stands alone anywhere but in words fixed by the report itself.
        for words in ("code 3", "3 years", "3 to 5 years", "Quarter 3"):
            stripped = stripped.replace(words, "")
        alone = r"(?<![\w.,:/#-])3(?![\w.,:%/-])"
        assert not re.search(alone, stripped), re.findall(r".{200}" + alone + r".{60}", re.sub(r"\s+", " ", stripped))
