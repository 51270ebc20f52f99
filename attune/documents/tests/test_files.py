"""The checks on an uploaded file: its type from its content (not its name or the browser's
word), its name agreeing with that type, its size, an empty file, hostile names."""

import io

import pytest

from attune.documents import files
from attune.documents.tests import document_samples as samples


def check(content: bytes, name: str, *, max_mb: int = 20, size: int | None = None) -> files.CheckedFile:
    return files.check_document(
        io.BytesIO(content), name=name, size=len(content) if size is None else size, max_mb=max_mb
    )


@pytest.mark.parametrize(
    ("make", "name", "key"),
    [
        (samples.pdf, "plan.pdf", "pdf"),
        (samples.png, "photo.png", "png"),
        (samples.jpeg, "photo.jpg", "jpeg"),
        (samples.jpeg, "photo.JPEG", "jpeg"),
        (samples.gif, "drawing.gif", "gif"),
        (samples.heic, "IMG_0001.HEIC", "heic"),
        (samples.docx, "letter.docx", "docx"),
        (samples.xlsx, "scores.xlsx", "xlsx"),
        (samples.pptx, "slides.pptx", "pptx"),
        (samples.odt, "letter.odt", "odt"),
        (samples.ods, "scores.ods", "ods"),
        (samples.doc, "old letter.doc", "doc"),
        (samples.xls, "old scores.xls", "xls"),
    ],
)
def test_each_allowed_kind_is_known_from_its_content(make, name: str, key: str) -> None:  # type: ignore[no-untyped-def]
    checked = check(make(), name)
    assert checked.kind.key == key
    assert checked.kind.content_type == files.KINDS[key].content_type
    assert checked.size == len(make())


def test_the_sha256_is_of_the_whole_content() -> None:
    import hashlib

    content = samples.pdf()
    assert check(content, "plan.pdf").sha256 == hashlib.sha256(content).hexdigest()


def test_a_png_named_as_a_pdf_is_refused_saying_what_it_is() -> None:
    with pytest.raises(files.UploadRefused) as refused:
        check(samples.png(), "plan.pdf")
    assert str(refused.value) == "plan.pdf is a PNG image but its name ends in .pdf. Choose the right file or rename it"


def test_a_word_file_named_as_a_spreadsheet_is_refused() -> None:
    with pytest.raises(files.UploadRefused, match=r"scores.xlsx is a Word document but its name ends in .xlsx"):
        check(samples.docx(), "scores.xlsx")


@pytest.mark.parametrize(
    ("make", "name", "said"),
    [
        (samples.exe, "plan.pdf", "plan.pdf is a program, which you cannot upload."),
        (samples.plain_zip, "notes.zip", "notes.zip is a zip file, which you cannot upload."),
        (samples.ppt, "slides.ppt", "slides.ppt is a PowerPoint 97-2003 presentation"),
        (lambda: b"<script>alert(1)</script>", "plan.pdf", "plan.pdf is not a type of file you can upload."),
    ],
)
def test_other_kinds_are_refused_naming_the_file_and_what_to_choose(make, name: str, said: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(files.UploadRefused) as refused:
        check(make(), name)
    assert said in str(refused.value)
    assert str(refused.value).endswith(f"Choose {files.ALLOWED_TYPES_TEXT}")


def test_a_broken_zip_is_not_a_type_that_can_be_uploaded() -> None:
    with pytest.raises(files.UploadRefused, match="not a type of file"):
        check(samples.docx()[:200], "letter.docx")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(files.UploadRefused) as refused:
        check(b"", "plan.pdf")
    assert str(refused.value) == "plan.pdf is empty. Choose a file that has something in it"


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    class Unreadable(io.BytesIO):
        def read(self, *args: object) -> bytes:
            raise AssertionError("read a file that was already too big")

    with pytest.raises(files.UploadRefused) as refused:
        files.check_document(Unreadable(), name="scan.pdf", size=21 * 1024 * 1024, max_mb=20)
    assert str(refused.value) == "scan.pdf is larger than 20 MB. Choose a file smaller than 20 MB"


def test_a_name_without_an_extension_gets_the_one_its_content_calls_for() -> None:
    assert check(samples.pdf(), "plan").name == "plan.pdf"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\plan.pdf", "plan.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("plan\x00\x1b[31m.pdf", "plan31m.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("....pdf", "pdf.pdf"),
    ],
)
def test_hostile_names_are_made_safe(name: str, safe: str) -> None:
    checked = check(samples.pdf(), name)
    assert checked.name == safe
    assert "/" not in checked.name
    assert "\\" not in checked.name
    assert len(checked.name) <= files.LONGEST_NAME


def test_sizes_are_described_for_people() -> None:
    assert files.describe_size(840) == "840 bytes"
    assert files.describe_size(12 * 1024) == "12 KB"
    assert files.describe_size(3_565_158) == "3.4 MB"
