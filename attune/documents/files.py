"""The files behind documents and recordings: where they are kept and what they are called.

Files live in the "documents" storage (settings.STORAGES), outside the web root, and are
reached only through this app's scoped, audited views. A file's stored name is made by Attune
(a random folder and a sanitised name), never the name the uploader's device gave it.
"""

import secrets

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, storages
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
