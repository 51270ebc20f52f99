"""Opening an uploaded file: what it is, its sheets, formulas and encodings. No database."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from attune.interop import import_sheets
from attune.interop.import_reading import FileRefused, csv_kind, file_type, read_csv, read_workbook
from attune.interop.import_template import template_workbook
from attune.nonprod import import_sample

CODES = import_sheets.code_lists({"parent-infant-psychotherapy": "Parent-infant psychotherapy"})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _book(**sheets: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_has_guidance_every_sheet_and_the_code_lists() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(CODES)))
    assert book.sheetnames == [
        "Guidance",
        "Families",
        "Referrals",
        "Episodes",
        "Appointments",
        "Measures",
        "Code lists",
    ]
    assert [c.value for c in book["Referrals"][1]] == [c.header for c in import_sheets.SHEETS["referrals"].columns]
    codes = [row[0] for row in book["Code lists"].iter_rows(values_only=True)]
    assert {"A2", "EPDS", "parent-infant-psychotherapy"} <= set(codes)
    guidance = " ".join(str(row[0]) for row in book["Guidance"].iter_rows(values_only=True) if row[0])
    assert "day/month/year" in guidance


def test_an_empty_template_reads_as_no_rows() -> None:
    read = read_workbook(template_workbook(CODES), "template.xlsx", CODES)
    assert read.problems == []
    assert set(read.rows_by_sheet.values()) == {0}


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (b"", "caseload.xlsx", "caseload.xlsx is empty"),
        (PDF, "caseload.xlsx", "caseload.xlsx is a PDF, not a spreadsheet"),
        (b"\x00\x01\x02binary", "caseload.csv", "is not a spreadsheet"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\x00" * 600,
            "old.xls",
            "Excel 97-2003",
        ),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_by_content(content: bytes, name: str, said: str) -> None:
    with pytest.raises(FileRefused, match=said):
        file_type(content, name)


def test_a_workbook_with_macros_is_refused_whatever_its_name() -> None:
    with pytest.raises(FileRefused, match="workbook with macros"):
        file_type(_book(Families=[["Source id"]]), "caseload.xlsm")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_book(Families=[["Source id"]]))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(FileRefused, match="has macros in it"):
        file_type(out.getvalue(), "caseload.xlsx")


def test_an_unknown_sheet_is_named_and_the_known_ones_still_read() -> None:
    headers = [c.header for c in import_sheets.SHEETS["families"].columns]
    read = read_workbook(_book(Families=[headers], Sheet1=[["x"]]), "caseload.xlsx", CODES)
    assert [(p.sheet, p.problem) for p in read.problems] == [
        ("Sheet1", "The workbook has a sheet called 'Sheet1', which is not one Attune imports")
    ]
    assert "families" in read.tables


def test_a_workbook_with_none_of_the_sheets_is_refused() -> None:
    # The only sheet is the guidance: nothing to import and nothing unknown.
    with pytest.raises(FileRefused, match="has no Families, Referrals"):
        read_workbook(_book(Guidance=[["x"]]), "caseload.xlsx", CODES)


def test_a_cell_holding_a_formula_is_refused_with_its_place() -> None:
    headers = [c.header for c in import_sheets.SHEETS["families"].columns]
    row: list[object] = ["F1", "baby", "Noah", "Smith", None, "=TODAY()-30"]
    read = read_workbook(_book(Families=[headers, row]), "caseload.xlsx", CODES)
    assert [(p.sheet, p.row, p.column) for p in read.problems] == [("Families", 2, "Date of birth")]
    assert read.problems[0].problem.startswith("The cell holds a formula")


def test_a_csv_tells_its_kind_from_its_headings() -> None:
    rows = import_sample.sample_rows(families=2, practitioners=["pat@example.nhs.uk"], today=dt.date(2027, 3, 1))
    text = import_sample.csv_text("appointments", rows["appointments"])
    assert csv_kind(text.splitlines()[0].split(",")) == "appointments"
    read = read_csv(text.encode("utf-8"), "appointments.csv", "", CODES)
    assert read.problems == []
    assert len(read.tables["appointments"].rows) == 6


def test_a_csv_whose_headings_match_no_sheet_is_refused() -> None:
    with pytest.raises(FileRefused, match="do not match any sheet of the template"):
        read_csv(b"Name,Date\nAmara,01/01/2025\n", "list.csv", "", CODES)


def test_a_csv_not_saved_as_utf8_says_how_to_save_it() -> None:
    content = "Source id,Person,Given name\nF1,carer,Zoë\n".encode("cp1252")
    with pytest.raises(FileRefused, match="is not saved as CSV UTF-8") as refused:
        read_csv(content, "families.csv", "", CODES)
    assert "CSV UTF-8 (Comma delimited)" in str(refused.value)


def test_an_empty_csv_is_refused() -> None:
    with pytest.raises(FileRefused, match="is empty"):
        read_csv(b"\n\n", "families.csv", "", CODES)
