"""Opening an uploaded caseload file: what kind of file it is, its sheets and their rows.

The type comes from the content (documents.files' check), not the name. A workbook is opened
once, without evaluating anything (openpyxl never runs a formula or a macro), and every cell
holding a formula is refused by its sheet, row and column. A CSV must be UTF-8 (what Excel's
"CSV UTF-8" writes): other encodings are refused rather than guessed, since a wrong guess would
import "ZoÃ«" for "Zoë" without a word.
"""

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import openpyxl  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from attune.documents import files
from attune.interop import import_sheets
from attune.interop.import_rows import Formula, Problem, Table, read_table

SAVE_AS_XLSX = "Save it as an Excel workbook (.xlsx) or as CSV UTF-8, then upload it again"


class FileRefused(ValueError):
    """The file as a whole cannot be read, in words for the person who chose it."""


@dataclass
class ReadFile:
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows_by_sheet: dict[str, int] = field(default_factory=dict)


def file_type(content: bytes, name: str) -> str:
    """ "xlsx" or "csv", or FileRefused saying what the file is and what to do."""
    shown = files.safe_name(name)
    if not content:
        raise FileRefused(f"{shown} is empty. Choose a file that has the caseload in it")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("xlsm", "xltm", "xlam"):
        raise FileRefused(f"{shown} is a workbook with macros, which Attune does not open. {SAVE_AS_XLSX}")
    kind = files.detect_kind(io.BytesIO(content))
    if kind == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if any(part.lower().endswith("vbaproject.bin") for part in archive.namelist()):
                raise FileRefused(f"{shown} has macros in it, which Attune does not open. {SAVE_AS_XLSX}")
        return "xlsx"
    if kind == "xls":
        raise FileRefused(f"{shown} is an Excel 97-2003 workbook. {SAVE_AS_XLSX}")
    if kind is not None:
        label = files.KINDS[kind].label if kind in files.KINDS else "not a spreadsheet"
        raise FileRefused(f"{shown} is {label}, not a spreadsheet. Choose the Excel workbook (.xlsx) or CSV file")
    if b"\x00" in content[:4096]:
        raise FileRefused(f"{shown} is not a spreadsheet. Choose the Excel workbook (.xlsx) or CSV file")
    return "csv"


def _cell(cell: object) -> object:
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(getattr(cell, "value", "")))
    return getattr(cell, "value", None)


def read_workbook(content: bytes, name: str, codes: Mapping[str, Mapping[str, str]]) -> ReadFile:
    read = ReadFile()
    try:
        # read_only streams the rows (a 20,000-row sheet in little memory); data_only=False keeps
        # formulas as formulas, so they can be refused rather than their cached results taken.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            f"{files.safe_name(name)} could not be opened as an Excel workbook. {SAVE_AS_XLSX}"
        ) from error
    try:
        known = [n for n in workbook.sheetnames if n.strip().casefold() in import_sheets.BY_NAME]
        ignored = {import_sheets.GUIDANCE_SHEET.casefold(), import_sheets.CODES_SHEET.casefold()}
        for sheet_name in workbook.sheetnames:
            folded = sheet_name.strip().casefold()
            if folded in ignored or folded in import_sheets.BY_NAME:
                continue
            read.problems.append(
                Problem(
                    sheet_name,
                    0,
                    "",
                    f"The workbook has a sheet called '{sheet_name}', which is not one Attune imports",
                    "Rename it to Families, Referrals, Episodes, Appointments or Measures, or remove it",
                )
            )
        if not known and not read.problems:
            raise FileRefused(
                f"{files.safe_name(name)} has no Families, Referrals, Episodes, Appointments or Measures sheet. "
                "Download the template and put the caseload on its sheets"
            )
        for sheet_name in known:
            spec = import_sheets.BY_NAME[sheet_name.strip().casefold()]
            rows = workbook[sheet_name].iter_rows()
            header_cells = next(rows, ())
            header = [_cell(cell) for cell in header_cells]
            numbered = ((index, [_cell(cell) for cell in row]) for index, row in enumerate(rows, start=2))
            table = read_table(spec, sheet_name, header, numbered, codes, read.problems)
            if table is not None:
                read.tables[spec.kind] = table
                read.rows_by_sheet[sheet_name] = len(table.rows)
    finally:
        workbook.close()
    return read


def csv_kind(header: list[str]) -> str | None:
    """The kind of rows a CSV holds, from its header row: the sheet all of whose required
    columns it has (the most specific first, as Episodes' columns are also on Appointments')."""
    folded = {h.strip().casefold() for h in header}
    matches = [
        sheet.kind
        for sheet in import_sheets.SHEETS.values()
        if all(column.header.casefold() in folded for column in sheet.required)
    ]
    return max(matches, key=lambda kind: len(import_sheets.SHEETS[kind].required), default=None)


def csv_text(content: bytes, name: str) -> str:
    """A CSV file's text, or FileRefused if it is not in UTF-8 (refused rather than guessed)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            f"{files.safe_name(name)} is not saved as CSV UTF-8, so names with accents would come out wrong. "
            "In Excel, choose File, Save As, then 'CSV UTF-8 (Comma delimited)', and upload it again"
        ) from None


def read_csv(content: bytes, name: str, kind: str, codes: Mapping[str, Mapping[str, str]]) -> ReadFile:
    """A CSV of one kind of row: `kind` chosen on the form, or "" to tell it from the header."""
    shown = files.safe_name(name)
    rows = list(csv.reader(io.StringIO(csv_text(content, name), newline="")))
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise FileRefused(f"{shown} is empty. Choose a file that has the caseload in it")
    header = rows[0]
    found = kind or csv_kind(header)
    if found is None:
        raise FileRefused(
            f"The columns of {shown} do not match any sheet of the template. "
            "Use the headings in row 1 of the template's sheet, or choose what the file holds"
        )
    spec = import_sheets.SHEETS[found]
    read = ReadFile()
    numbered = ((index, row) for index, row in enumerate(rows[1:], start=2))
    table = read_table(spec, spec.name, header, numbered, codes, read.problems)
    if table is not None:
        read.tables[found] = table
        read.rows_by_sheet[spec.name] = len(table.rows)
    return read
