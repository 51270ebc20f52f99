"""The files behind documents and recordings: where they are kept and what they are called.

Files live in the "documents" storage (settings.STORAGES), outside the web root, and are
reached only through this app's scoped, audited views. A file's stored name is made by Attune
(a random folder and a sanitised name), never the name the uploader's device gave it.
"""

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype  # type: ignore[import-untyped]
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, storages
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.utils.text import get_valid_filename

LONGEST_NAME = 100


def storage() -> Storage:
    return storages["documents"]


def safe_name(name: str, *, fallback: str = "file") -> str:
    """A name safe to store and to offer in a download: no folders, no control characters or
    shell-special characters, at most 100 characters, never empty ("../../etc/passwd" becomes
    "passwd"; "<script>.pdf" becomes "script.pdf")."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:  # Django refuses names that clean to nothing, "." or ".."
        cleaned = ""
    cleaned = cleaned.lstrip(".")
    if not cleaned:
        return fallback
    if len(cleaned) > LONGEST_NAME:
        # Shorten the stem, keeping a short extension ("...plan.pdf").
        stem, dot, extension = cleaned.rpartition(".")
        if dot and len(extension) <= 10:
            return stem[: LONGEST_NAME - len(extension) - 1] + dot + extension
        return cleaned[:LONGEST_NAME]
    return cleaned


def stored_path(kind: str, name: str) -> str:
    """Where a new file goes in the storage: its kind, a random folder, its safe name."""
    return f"{kind}/{secrets.token_hex(16)}/{safe_name(name)}"


# What may be uploaded as a document ---------------------------------------------------------
#
# The type is found from the file's content (its first bytes, and for the zip- and OLE-based office
# formats what is inside), never from its name or the browser's word for it: a renamed program
# or a page of script is refused whatever it is called. The name's extension must then agree
# with the content, so that what a colleague downloads opens in the program its name promises.


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str  # how a message names it: "a PDF", "a PNG image"
    content_type: str
    extensions: tuple[str, ...]  # the first is the one added to a name that has none


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "a PDF", "application/pdf", ("pdf",)),
        FileKind("png", "a PNG image", "image/png", ("png",)),
        FileKind("jpeg", "a JPEG image", "image/jpeg", ("jpg", "jpeg")),
        FileKind("gif", "a GIF image", "image/gif", ("gif",)),
        # Photos from an iPhone's camera.
        FileKind("heic", "a HEIC image", "image/heic", ("heic", "heif")),
        FileKind(
            "docx",
            "a Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        FileKind("doc", "a Word 97-2003 document", "application/msword", ("doc",)),
        FileKind(
            "xlsx",
            "an Excel spreadsheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
        FileKind("xls", "an Excel 97-2003 spreadsheet", "application/vnd.ms-excel", ("xls",)),
        FileKind(
            "pptx",
            "a PowerPoint presentation",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",),
        ),
        FileKind("odt", "an OpenDocument text document", "application/vnd.oasis.opendocument.text", ("odt",)),
        FileKind("ods", "an OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
    )
}

ALLOWED_TYPES_TEXT = "a PDF, an image (PNG, JPEG, GIF or HEIC), or a Word, Excel, PowerPoint or OpenDocument file"
# The `accept` attribute of the file input: a hint to the device's file picker, never a check.
ACCEPT = ",".join(f".{extension}" for kind in KINDS.values() for extension in kind.extensions)

# What the filetype library calls the kinds it can tell from the first bytes.
_FROM_FILETYPE = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "gif": "gif", "heic": "heic"}
# Names of what is found that is not allowed, for a clearer refusal than "not allowed".
_OTHER_LABELS = {"zip": "a zip file", "ppt": "a PowerPoint 97-2003 presentation", "exe": "a program"}

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_BYTES = 8192


class UploadRefused(ValueError):
    """Why an upload cannot be kept, in words for the person who chose it."""


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the sanitised original name, with the extension its content calls for
    kind: FileKind
    size: int
    sha256: str


def _zip_kind(source: IO[bytes]) -> str | None:
    """Office Open XML and OpenDocument files are zip archives: what is inside says which."""
    try:
        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return next((k.key for k in KINDS.values() if k.content_type == declared), "zip")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return None
    for folder, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(folder) for name in names):
            return key
    return "zip"


def _ole_kind(source: IO[bytes]) -> str | None:
    """Word and Excel 97-2003 files are OLE compound files: the name of their main stream (in
    UTF-16 in the file's directory) says which. The directory may be anywhere in the file, so
    this reads it all; the size limit has been checked already."""
    content = source.read()
    for stream, key in (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"), ("PowerPoint Document", "ppt")):
        if stream.encode("utf-16-le") in content:
            return key
    return None


def detect_kind(source: IO[bytes]) -> str | None:
    """The kind of file from its content: a key of KINDS, another name ("zip", "ppt") for a
    recognised kind that is not allowed, or None when it is not recognised."""
    source.seek(0)
    head = source.read(HEAD_BYTES)
    source.seek(0)
    try:
        if head.startswith(ZIP_MAGIC):
            return _zip_kind(source)
        if head.startswith(OLE_MAGIC):
            return _ole_kind(source)
    finally:
        source.seek(0)
    found = filetype.guess(head)
    if found is None:
        return None
    return _FROM_FILETYPE.get(found.extension, found.extension)


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _sha256(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    source.seek(0)
    for block in iter(lambda: source.read(1024 * 1024), b""):
        digest.update(block)
    source.seek(0)
    return digest.hexdigest()


def describe_size(size: int) -> str:
    """'840 bytes', '12 KB', '3.4 MB': how a size is shown to people."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_document(source: IO[bytes], *, name: str, size: int, max_mb: int) -> CheckedFile:
    """Whether a file may be kept as a document, and what it is. Checks the size the upload
    declared before reading anything, then the content's type, then that the name agrees.
    Each refusal names the file and says what to do."""
    shown = safe_name(name)
    if size > max_mb * 1024 * 1024:
        raise UploadRefused(f"{shown} is larger than {max_mb} MB. Choose a file smaller than {max_mb} MB")
    if size == 0:
        raise UploadRefused(f"{shown} is empty. Choose a file that has something in it")
    key = detect_kind(source)
    kind = KINDS.get(key or "")
    if kind is None:
        what = _OTHER_LABELS.get(key or "", "")
        found = (
            f"{shown} is {what}, which you cannot upload" if what else f"{shown} is not a type of file you can upload"
        )
        raise UploadRefused(f"{found}. Choose {ALLOWED_TYPES_TEXT}")
    extension = _extension(shown)
    if not extension:
        shown = safe_name(f"{shown}.{kind.extensions[0]}")
    elif extension not in kind.extensions:
        raise UploadRefused(
            f"{shown} is {kind.label} but its name ends in .{extension}. Choose the right file or rename it"
        )
    return CheckedFile(name=shown, kind=kind, size=size, sha256=_sha256(source))


# Receiving an upload -------------------------------------------------------------------------


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Receives a document's file into a temporary file, but stops keeping it as soon as it
    passes the size limit (the rest of the body is read and thrown away), so a 2 GB file never
    reaches the disk. The form's other fields still arrive, so the page can keep them; the
    refusal is left on the request for the form to report (`too_big`)."""

    def __init__(self, request: Any, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            setattr(self.request, "upload_too_big", self.file_name or "")  # noqa: B010 (not a declared attribute)
            self.file.close()
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


def too_big(request: Any) -> str | None:
    """The name of a file the handler refused for its size in this request, if any."""
    return getattr(request, "upload_too_big", None)


class CountedStream:
    """The request body, counting what is read of it: a body shorter than its Content-Length (an
    upload cut off half-way: the phone lost its signal) is then told apart from a whole one,
    which the multipart parser does not do (it keeps what arrived as if it were the file)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.count = 0

    def read(self, *args: Any) -> bytes:
        data: bytes = self.stream.read(*args)
        self.count += len(data)
        return data

    def readline(self, *args: Any) -> bytes:
        data: bytes = self.stream.readline(*args)
        self.count += len(data)
        return data


def count_body(request: Any) -> CountedStream:
    """Count what is read of this request's body (before anything reads it)."""
    counted = CountedStream(request._stream)
    request._stream = counted  # Django reads the body through this attribute (HttpRequest.read).
    return counted


# A form's own fields are a few hundred bytes: a body far bigger than that with no file in it
# carried a file whose part never ended, which the multipart parser drops without a word.
FIELDS_ONLY_BYTES = 8 * 1024


def cut_off(request: Any, counted: CountedStream, *, file_arrived: bool) -> bool:
    """Whether the upload was cut off on the way: the body ended before the length it declared
    (the phone lost its signal), or a file's part never reached its closing boundary."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return counted.count < declared or (not file_arrived and declared > FIELDS_ONLY_BYTES)
