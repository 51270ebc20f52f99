"""Small files of each kind, made in the tests rather than committed: just enough bytes for the
content checks to know what they are."""

import io
import struct
import zipfile
import zlib

from attune.documents.files import OLE_MAGIC


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    """A real 1 by 1 pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def gif() -> bytes:
    return b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            # OpenDocument's "mimetype" is stored first and uncompressed, as office suites write it.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def _office_open(folder: str) -> bytes:
    """A Word, Excel or PowerPoint file as LibreOffice orders it (the content folder before the
    [Content_Types].xml a first-bytes check looks for)."""
    return _zip(
        [
            ("_rels/.rels", b"<Relationships/>"),
            (f"{folder}/_rels/document.xml.rels", b"<Relationships/>"),
            (f"{folder}/document.xml", b"<document/>"),
            ("docProps/app.xml", b"<Properties/>"),
            ("[Content_Types].xml", b"<Types/>"),
        ]
    )


def docx() -> bytes:
    return _office_open("word")


def xlsx() -> bytes:
    return _office_open("xl")


def pptx() -> bytes:
    return _office_open("ppt")


def odt() -> bytes:
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")])


def ods() -> bytes:
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<office/>")])


def plain_zip() -> bytes:
    return _zip([("notes.txt", b"hello")])


def _ole(stream: str) -> bytes:
    """An OLE compound file's header and, further in, its directory naming the main stream."""
    return OLE_MAGIC + b"\x00" * 1016 + stream.encode("utf-16-le") + b"\x00" * 512


def doc() -> bytes:
    return _ole("WordDocument")


def xls() -> bytes:
    return _ole("Workbook")


def ppt() -> bytes:
    return _ole("PowerPoint Document")


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def heic() -> bytes:
    """The start of an iPhone photo: an ISO media "ftyp" box naming HEIC."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
