"""The template workbook a team lead downloads to fill in: a Guidance sheet, one empty sheet per
kind of row with its headings, and the code lists, all written from import_sheets' entries."""

import io
from collections.abc import Mapping

import openpyxl  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from attune.interop import import_sheets
from attune.interop.import_rows import DATE_EXAMPLE

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

INTRODUCTION = (
    "How to fill in this workbook",
    "Put each kind of record on its own sheet: Families, Referrals, Episodes, Appointments and Measures. "
    "Leave a sheet empty (or delete it) if you have nothing of that kind. Keep the headings in row 1 as they are.",
    f"Dates: day/month/year, like {DATE_EXAMPLE}, or year-month-day, like 2025-01-31. "
    "Times: the 24-hour clock, like 14:30.",
    "Codes: use the codes on the Code lists sheet (the words beside a code are accepted too).",
    "Source id: every row has one, your own reference from the system or spreadsheet you use now. "
    "Rows refer to each other by it (an episode names its referral's source id). Attune remembers them, "
    "so importing the same file again changes nothing: rows imported before are skipped.",
    "Type values, not formulas: a cell holding a formula is refused.",
    "Upload the workbook in Attune (Import a caseload). First it is checked and nothing is saved: "
    "mend any problems it lists and upload it again. When it is clean you can import it.",
)


def _guidance(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    sheet.append([INTRODUCTION[0]])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in INTRODUCTION[1:]:
        sheet.append([line])
    for spec in import_sheets.SHEETS.values():
        sheet.append([])
        sheet.append([spec.name])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([spec.what])
        sheet.append(["Column", "Required", "What to put in it"])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for column in spec.columns:
            note = column.note
            if column.codes:
                note = f"{note} Codes: {import_sheets.CODE_LIST_TITLES[column.codes]} on the Code lists sheet.".strip()
            if column.example:
                note = f"{note} For example: {column.example}".strip()
            sheet.append([column.header, "Yes" if column.required else "", note])
            sheet.cell(row=sheet.max_row, column=3).alignment = WRAP


def _codes(sheet: Worksheet, codes: Mapping[str, Mapping[str, str]]) -> None:
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    for key, title in import_sheets.CODE_LIST_TITLES.items():
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append(["Code", "Meaning"])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for code, meaning in codes[key].items():
            sheet.append([code, meaning])
        sheet.append([])


def template_workbook(codes: Mapping[str, Mapping[str, str]]) -> bytes:
    workbook = openpyxl.Workbook()
    guidance = workbook.active
    assert guidance is not None
    guidance.title = import_sheets.GUIDANCE_SHEET
    _guidance(guidance)
    for spec in import_sheets.SHEETS.values():
        sheet = workbook.create_sheet(spec.name)
        sheet.append([column.header for column in spec.columns])
        for index, cell in enumerate(sheet[1], start=1):
            cell.font = BOLD
            sheet.column_dimensions[cell.column_letter].width = max(14, len(spec.columns[index - 1].header) + 4)
            if spec.columns[index - 1].kind in ("text", "nhs_number", "code"):
                # The whole column kept as text, so Excel does not turn an NHS number into
                # 9.43E+09 or drop a source id's leading 0.
                sheet.column_dimensions[cell.column_letter].number_format = "@"
        sheet.freeze_panes = "A2"
    _codes(workbook.create_sheet(import_sheets.CODES_SHEET), codes)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
