"""A shown report as a CSV file or an Excel workbook, for commissioners. No Django here.

Both read only a `ShownReport`, so a download carries exactly what the page showed: a "*" stays a
"*" and no exact figure rides along in a hidden column. Each file says what it is at the top
(title, what it covers, the period, when it was made, how small numbers were protected), because
a spreadsheet is forwarded without the page around it.

Text that starts like a formula (=, +, -, @, tab, carriage return) gets a leading apostrophe, so
a spreadsheet opens it as text and never runs it: OWASP's advice on CSV injection.
https://owasp.org/www-community/attacks/CSV_Injection
Figures are ours and are left alone; labels (team, site and category names) may have been typed by
anyone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from attune.core.formatting import date_long, datetime_long
from attune.reports.tables import Column, Kind, ShownCell, ShownReport, ShownRow, ShownTable

FIRST_HEADING = "Category"
TOTAL = "Total"
# Excel opens a CSV as Windows-1252 unless it starts with a byte order mark, and would show
# "£" as "Â£".
BOM = "\ufeff"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
MONEY_FORMAT = '"£"#,##0.00'
PERCENT_FORMAT = "0%"


def safe_text(text: str) -> str:
    """Text a spreadsheet will not read as a formula (OWASP: prefix an apostrophe)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell_text(cell: ShownCell) -> str:
    # A figure ("-£5.00" for a refund) is written by us from a number; anything else is guarded.
    return cell.text if cell.number is not None else safe_text(cell.text)


def _header(column: Column) -> str:
    """A median's unit goes into its heading, since the spreadsheet cell holds only the number."""
    if column.kind == Kind.MEDIAN and column.unit and column.unit not in column.label:
        return f"{column.label} ({column.unit})"
    return column.label


def _about(report: ShownReport, *, title: str, generated_at: datetime, note: str) -> list[tuple[str, str]]:
    scope = report.scope
    lines = [
        ("Report", title),
        ("Covers", scope.label),
        ("Period", f"{date_long(scope.start)} to {date_long(scope.end)}"),
        ("Generated", datetime_long(generated_at)),
        ("Small numbers", note),
    ]
    lines += [("Note", text) for text in report.notes]
    return lines


def _tables(report: ShownReport) -> Iterator[tuple[str, ShownTable]]:
    for section in report.sections:
        for table in section.tables:
            yield section.title, table


# CSV ---------------------------------------------------------------------------------------------


def to_csv(report: ShownReport, *, title: str, generated_at: datetime, note: str) -> str:
    """The report as CSV text, starting with a byte order mark (encode it as UTF-8).

    What it is comes first (one "name,value" line each), then each table: its title, a heading
    line, a line per row with the figures exactly as shown, the total, any notes, a blank line.
    """
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    for name, value in _about(report, title=title, generated_at=generated_at, note=note):
        writer.writerow([name, safe_text(value)])
    writer.writerow([])
    for _section, table in _tables(report):
        writer.writerow([safe_text(table.title)])
        # Headings as on the page: each figure carries its own unit here ("12 working days").
        writer.writerow([FIRST_HEADING, *(safe_text(column.label) for column in table.columns)])
        for row in table.rows:
            writer.writerow(_csv_row(row))
        if table.total is not None:
            writer.writerow(_csv_row(table.total, label=TOTAL))
        for text in table.notes:
            writer.writerow([f"Note: {safe_text(text)}"])
        writer.writerow([])
    return out.getvalue()


def _csv_row(row: ShownRow, *, label: str = "") -> list[str]:
    return [safe_text(label or row.label), *(_cell_text(cell) for cell in row.cells)]


# Excel -------------------------------------------------------------------------------------------


def to_xlsx(report: ShownReport, *, title: str, generated_at: datetime, note: str) -> bytes:
    """The report as an Excel workbook: an "About" sheet, then a sheet per section with its
    tables one under another. Figures are numbers (a percentage as 0.42 shown as 42%, money in
    pounds); a hidden figure is the text "*" and an empty one a dash, as on the page."""
    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook always has one sheet
    about.title = "About"
    for name, value in _about(report, title=title, generated_at=generated_at, note=note):
        about.append([name, _text(value)])
    for (cell,) in about.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    for (cell,) in about.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    about["B1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 100

    names = {"about"}
    for section in report.sections:
        sheet = book.create_sheet(sheet_name(section.title, names))
        widths: dict[int, int] = {}
        for table in section.tables:
            _write_table(sheet, table, widths)
        _set_widths(sheet, widths)

    # Our time, not the machine's, so the same report gives the same file (openpyxl wants naive UTC).
    book.properties.created = book.properties.modified = generated_at.astimezone(UTC).replace(tzinfo=None)
    book.properties.creator = "Attune"
    book.properties.title = _text(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_name(title: str, taken: set[str]) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\, not starting or ending with
    an apostrophe, and unique ignoring case (Excel's rule). Adds the name to `taken`."""
    base = _SHEET_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title))
    base = " ".join(base.split()).strip("'").strip() or "Section"
    name = base[:SHEET_NAME_MAX].rstrip().rstrip("'")
    number = 2
    while name.lower() in taken or name.lower() == "history":  # "History" is reserved by Excel
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip().rstrip("'") + suffix
        number += 1
    taken.add(name.lower())
    return name


def _write_table(sheet: Worksheet, table: ShownTable, widths: dict[int, int]) -> None:
    """Title, description, headings, rows, total and notes, under what is already there.
    `widths` collects the longest heading or figure per column (not titles and sentences, which
    run on across the empty cells beside them)."""
    start = sheet.max_row + 2 if sheet.max_row > 1 else 1
    sheet.cell(start, 1, _text(table.title)).font = Font(bold=True, size=13)
    row_number = start + 1
    if table.description:
        sheet.cell(row_number, 1, _text(table.description))
        row_number += 1
    for offset, heading in enumerate([FIRST_HEADING, *(_header(column) for column in table.columns)]):
        cell = sheet.cell(row_number, offset + 1, _text(heading))
        _widen(widths, offset + 1, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    rows = [(row.label, row, False) for row in table.rows]
    if table.total is not None:
        rows.append((TOTAL, table.total, True))
    for label, row, bold in rows:
        row_number += 1
        sheet.cell(row_number, 1, _text(label)).font = Font(bold=bold)
        _widen(widths, 1, label)
        for offset, (column, shown) in enumerate(zip(table.columns, row.cells, strict=True)):
            cell = sheet.cell(row_number, offset + 2)
            _put(cell, column, shown)
            _widen(widths, offset + 2, shown.text)
            cell.font = Font(bold=bold)
            cell.alignment = Alignment(horizontal="right")
    for text in table.notes:
        row_number += 1
        sheet.cell(row_number, 1, _text(f"Note: {text}"))


def _put(cell: Cell, column: Column, shown: ShownCell) -> None:
    if shown.number is None:
        cell.value = _text(shown.text)
        return
    if column.kind == Kind.PERCENT:
        # 42% is stored as 0.42 so it sums and charts like a percentage; round() keeps float
        # noise (0.42000000000000004) out of the cell.
        cell.value = round(shown.number / 100, 4)
        cell.number_format = PERCENT_FORMAT
    elif column.kind in (Kind.MONEY, Kind.COST_PER):
        cell.value = shown.number
        cell.number_format = MONEY_FORMAT
    elif column.kind == Kind.COUNT:
        cell.value = int(shown.number)
        cell.number_format = "#,##0"
    else:
        cell.value = shown.number  # hours and medians: General shows 12 and 12.5 as they are


def _text(text: str) -> str:
    """Text for a cell: guarded against formulas, and without the control characters Excel's
    file format cannot hold (openpyxl refuses them rather than writing a broken file)."""
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", text))


def _widen(widths: dict[int, int], column: int, text: str) -> None:
    widths[column] = max(widths.get(column, 0), len(text) + 2)


def _set_widths(sheet: Worksheet, widths: dict[int, int]) -> None:
    """Wide enough for the longest entry, within reason: longer headings wrap."""
    for column, width in widths.items():
        limit = 60 if column == 1 else 24
        sheet.column_dimensions[get_column_letter(column)].width = max(10, min(width, limit))
