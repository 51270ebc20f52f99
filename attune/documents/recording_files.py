"""The video files behind recordings: what a file is (from its content), storing it, copying it,
and reading a byte range of it for the stream. Files are read in chunks, never whole: a session
filmed on a phone can be a gigabyte or two."""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import filetype  # type: ignore[import-untyped]
from django.conf import settings
from django.core.files import File

from attune.documents.files import safe_name, storage, stored_path

CHUNK = 64 * 1024
# filetype needs the first few kilobytes to recognise a container.
HEAD = 8192

# What phones and tablets record: MP4 (Android, and iPhones set to "most compatible"), QuickTime
# (iPhones) and WebM (browsers recording in the page). The extension the stored name gets.
VIDEO_TYPES = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}

KIND = "recordings"


def max_bytes() -> int:
    return int(settings.ATTUNE_RECORDING_MAX_MB) * 1024 * 1024


def size_text(megabytes: int) -> str:
    """'2 GB', '500 MB': how the limit reads in a message."""
    if megabytes >= 1024 and megabytes % 1024 == 0:
        return f"{megabytes // 1024} GB"
    return f"{megabytes} MB"


def video_type(head: bytes) -> str:
    """The video type the file's first bytes show, or '' when it is not a video we keep."""
    kind = filetype.guess(head[:HEAD]) if head else None
    return kind.mime if kind is not None and kind.mime in VIDEO_TYPES else ""


def read_head(file: IO[bytes] | File) -> bytes:
    file.seek(0)
    head = file.read(HEAD)
    file.seek(0)
    return bytes(head)


def sha256_of(file: IO[bytes] | File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def stored_name(name: str, content_type: str) -> str:
    """The sanitised name with the extension its content shows ("session.MOV.exe" of an MP4
    becomes "session.MOV.mp4"): a renamed file is offered under what it really is."""
    extension = VIDEO_TYPES[content_type]
    cleaned = safe_name(name, fallback="recording")
    stem, dot, old = cleaned.rpartition(".")
    base = stem if dot and old.lower() in VIDEO_TYPES.values() else cleaned
    return safe_name(f"{base[: 100 - len(extension) - 1]}.{extension}", fallback=f"recording.{extension}")


def save(file: File, name: str) -> str:
    """Put the file in the documents storage under a new path; returns the path."""
    return storage().save(stored_path(KIND, name), file)


def copy(path: str, name: str) -> str:
    """A second file with the same content (a training copy outlives the session's recording)."""
    with storage().open(path, "rb") as source:
        return storage().save(stored_path(KIND, name), File(source, name=name))


def delete(path: str) -> None:
    if path and storage().exists(path):
        storage().delete(path)


def exists(path: str) -> bool:
    return bool(path) and storage().exists(path)


# Range requests (RFC 9110 section 14) --------------------------------------------------------

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    """The range asks for bytes beyond the file: 416."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one range asked for, or None for the whole file (no header, a header we do not read,
    or several ranges: a server may answer those with the whole file). Raises Unsatisfiable."""
    match = _RANGE.match(header.strip().replace(" ", "")) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # not a valid range: ignored, as the RFC says
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(end, size - 1))


def read_range(path: str, start: int, length: int) -> Iterator[bytes]:
    """The bytes [start, start + length) of a stored file, a chunk at a time."""
    handle = storage().open(path, "rb")
    try:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()
