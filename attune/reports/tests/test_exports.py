"""CSV and Excel downloads of a shown report (pure: no database)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from attune.reports.exports import BOM, safe_text, sheet_name, to_csv, to_xlsx
from attune.reports.suppression import Rule, present, rule_note
from attune.reports.tables import Column, Kind, Note, Report, ReportScope, Row, Section, ShownReport, Table

GENERATED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
NOTE = rule_note(Rule())
COLUMNS = (
    Column("people", "Families referred"),
    Column("seen", "Families seen"),
    Column("seen_percent", "Seen", Kind.PERCENT, numerator="seen", denominator="people"),
    Column("wait", "Median wait", Kind.MEDIAN, unit="working days", additive=False),
    Column("cost", "Cost", Kind.MONEY),
    Column("hours", "Hours given", Kind.HOURS),
)


def report(*, label: str = "Blackpool PAIRS hub team", row_label: str = "Health visitor") -> Report:
    rows = (
        Row(
            row_label,
            {"people": 42, "seen": 38, "wait": 12.5, "cost": Decimal("60371.25"), "hours": Decimal("3.5")},
            {"wait": 38},
        ),
        Row("GP", {"people": 3, "seen": 2, "wait": 9.0, "cost": None, "hours": None}, {"wait": 2}),
        Row(
            "Self-referral",
            {"people": 20, "seen": 18, "wait": 8.0, "cost": Decimal(0), "hours": Decimal(1)},
            {"wait": 18},
        ),
    )
    total = Row(
        "Total",
        {"people": 65, "seen": 58, "wait": 11.0, "cost": Decimal("60371.25"), "hours": Decimal("4.5")},
        {"wait": 58},
    )
    referrals = Table(
        "by-source", "Referrals by source", COLUMNS, rows, total=total, notes=(Note("Two referrals had no source."),)
    )
    small = Table("sites", "Families by site", (COLUMNS[0],), (Row("Hub", {"people": 9}),))
    return Report(
        ReportScope(date(2025, 10, 1), date(2025, 12, 31), frozenset(), label=label),
        (Section("referrals", "Referrals", (referrals, small)), Section("sites", "Where families are seen", (small,))),
        notes=(Note("Figures for December are provisional."),),
    )


def shared(**kwargs: str) -> ShownReport:
    return present(report(**kwargs), Rule())


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)  # so Excel reads the £ as £
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def test_the_csv_says_what_it_is_first() -> None:
    lines = read_csv(to_csv(shared(), title="Quarterly report", generated_at=GENERATED, note=NOTE))
    assert lines[:6] == [
        ["Report", "Quarterly report"],
        ["Covers", "Blackpool PAIRS hub team"],
        ["Period", "1 October 2025 to 31 December 2025"],
        ["Generated", "5 January 2026 at 9:30am"],
        ["Small numbers", NOTE],
        ["Note", "Figures for December are provisional."],
    ]


def test_the_csv_has_each_table_as_shown() -> None:
    lines = read_csv(to_csv(shared(), title="Quarterly report", generated_at=GENERATED, note=NOTE))
    start = lines.index(["Referrals by source"])
    assert lines[start + 1] == [
        "Category",
        "Families referred",
        "Families seen",
        "Seen",
        "Median wait",
        "Cost",
        "Hours given",
    ]
    assert lines[start + 2] == ["Health visitor", "40", "40", "100%", "12.5 working days", "£60,371.25", "3.5"]
    assert lines[start + 3] == ["GP", "*", "*", "*", "*", "–", "–"]  # 3 and 2 hidden, the median of 2 values too
    assert lines[start + 4] == ["Self-referral", "*", "*", "*", "8 working days", "£0.00", "1"]  # secondary
    assert lines[start + 5] == ["Total", "65", "60", "92%", "11 working days", "£60,371.25", "4.5"]
    assert lines[start + 6] == ["Note: Two referrals had no source."]
    assert lines[start + 7] == []
    assert lines[start + 8] == ["Families by site"]
    assert lines[start + 10] == ["Hub", "10"]


def test_the_team_csv_is_exact() -> None:
    shown = present(report(), None)
    lines = read_csv(to_csv(shown, title="Team report", generated_at=GENERATED, note=rule_note(None)))
    start = lines.index(["Referrals by source"])
    assert lines[start + 3][:3] == ["GP", "3", "2"]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_starts_like_a_formula_is_made_safe(dangerous: str) -> None:
    assert safe_text(dangerous) == "'" + dangerous
    lines = read_csv(
        to_csv(shared(label=dangerous, row_label=dangerous), title=dangerous, generated_at=GENERATED, note=NOTE)
    )
    assert lines[0] == ["Report", "'" + dangerous]
    assert lines[1] == ["Covers", "'" + dangerous]
    assert ["'" + dangerous, "40"] == lines[lines.index(["Referrals by source"]) + 2][:2]


def test_ordinary_text_and_figures_are_left_alone() -> None:
    assert safe_text("Health visitor") == "Health visitor"
    assert safe_text("–") == "–"  # an en dash, not a minus


def load(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_the_workbook_has_an_about_sheet_then_a_sheet_per_section() -> None:
    book = load(to_xlsx(shared(), title="Quarterly report", generated_at=GENERATED, note=NOTE))
    assert book.sheetnames == ["About", "Referrals", "Where families are seen"]
    about = book["About"]
    assert [[cell.value for cell in row] for row in about.iter_rows()] == [
        ["Report", "Quarterly report"],
        ["Covers", "Blackpool PAIRS hub team"],
        ["Period", "1 October 2025 to 31 December 2025"],
        ["Generated", "5 January 2026 at 9:30am"],
        ["Small numbers", NOTE],
        ["Note", "Figures for December are provisional."],
    ]


def find(sheet, value: str):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not in {sheet.title}")


def test_the_workbook_holds_numbers_as_numbers_and_hidden_figures_as_stars() -> None:
    sheet = load(to_xlsx(shared(), title="Quarterly report", generated_at=GENERATED, note=NOTE))["Referrals"]
    title = find(sheet, "Referrals by source")
    assert title.font.bold
    heading = find(sheet, "Category").row
    assert [cell.value for cell in sheet[heading]][:7] == [
        "Category",
        "Families referred",
        "Families seen",
        "Seen",
        "Median wait (working days)",
        "Cost",
        "Hours given",
    ]
    visitor = list(sheet[heading + 1])
    assert visitor[1].value == 40
    assert visitor[3].value == 1
    assert visitor[3].number_format == "0%"
    assert visitor[4].value == 12.5
    assert visitor[5].value == 60371.25
    assert visitor[5].number_format == '"£"#,##0.00'
    gp = [cell.value for cell in sheet[heading + 2]]
    assert gp[:7] == ["GP", "*", "*", "*", "*", "–", "–"]
    total = list(sheet[heading + 4])
    assert total[0].value == "Total"
    assert total[0].font.bold
    assert total[3].value == pytest.approx(0.92)
    assert find(sheet, "Families by site").row > total[0].row + 1  # stacked, with a gap
    assert find(sheet, "Note: Two referrals had no source.")


def test_the_workbook_guards_text_against_formulas() -> None:
    data = to_xlsx(shared(row_label="=1+1"), title="=cmd", generated_at=GENERATED, note=NOTE)
    book = load(data)
    assert book["About"]["B1"].value == "'=cmd"
    assert book["About"]["B1"].data_type == "s"
    assert find(book["Referrals"], "'=1+1").data_type == "s"


def test_the_workbook_keeps_the_generated_time_not_the_machines() -> None:
    book = load(to_xlsx(shared(), title="Quarterly report", generated_at=GENERATED, note=NOTE))
    assert book.properties.created == datetime(2026, 1, 5, 9, 30)


def test_control_characters_do_not_break_the_workbook() -> None:
    book = load(to_xlsx(shared(label="Blackpool\x07 hub"), title="Report", generated_at=GENERATED, note=NOTE))
    assert book["About"]["B2"].value == "Blackpool hub"


def test_sheet_names_are_ones_excel_accepts() -> None:
    taken = {"about"}
    assert sheet_name("Referrals: by source [Q3] / 2025?", taken) == "Referrals by source Q3 2025"
    assert sheet_name("About", taken) == "About (2)"
    long = "Families waiting for a first appointment by site"
    first = sheet_name(long, taken)
    second = sheet_name(long, taken)
    assert first == "Families waiting for a first ap"
    assert len(first) == len(second) == 31
    assert second.endswith(" (2)")
    assert sheet_name("REFERRALS BY SOURCE Q3 2025", taken).endswith("(2)")  # Excel ignores case
    assert sheet_name("'*'", taken) == "Section"
    assert sheet_name("History", taken) == "History (2)"


def test_the_reporting_core_runs_without_django() -> None:
    """Suppression, statistics, charts and exports are pure (DESIGN.md convention 9): importing
    them, and everything they import, loads no Django."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import attune.reports.suppression, attune.reports.stats, attune.reports.charts, attune.reports.exports\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "[]"
