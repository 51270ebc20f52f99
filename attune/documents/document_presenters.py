"""What the document pages and the family page's "Documents" section show."""

from typing import Any

from django.urls import reverse

from attune.core.formatting import date_long, datetime_long
from attune.documents.document_models import Direction, Document
from attune.documents.files import describe_size

Row = dict[str, Any]


def document_url(document: Document) -> str:
    return reverse("documents:document", args=[document.pk])


def download_url(document: Document) -> str:
    return reverse("documents:download", args=[document.pk])


def about_text(document: Document) -> str:
    """Whom or what the document is about: a person, an episode, or the whole family."""
    parts = []
    if document.infant is not None:
        parts.append(document.infant.display_name)
    elif document.carer is not None:
        parts.append(document.carer.full_name or "A carer")
    if document.episode is not None:
        parts.append(f"{document.episode.team.name} episode, opened {date_long(document.episode.opened_at)}")
    return "; ".join(parts) or "The whole family"


def exchange_text(document: Document) -> str:
    """'Received from children's social care on 3 March 2027', or nothing."""
    if not document.direction:
        return ""
    verb = "Received from" if document.direction == Direction.RECEIVED else "Sent to"
    return f"{verb} {document.agency} on {date_long(document.exchanged_on)}"


def summary_rows(document: Document) -> list[Row]:
    """The document page's summary list."""

    def row(key: str, value: str) -> Row:
        return {"key": {"text": key}, "value": {"text": value}}

    rows = [
        row("Kind", document.get_category_display()),
        row("About", about_text(document)),
        row("File", f"{document.original_name} ({describe_size(document.size)})"),
        row("Added", f"{datetime_long(document.created_at)} by {document.uploaded_by.full_name}"),
        row("Sent or received", exchange_text(document) or "Not sent or received"),
    ]
    if document.is_removed:
        removed_by = document.removed_by.full_name if document.removed_by else "someone"
        rows.append(row("Removed", f"{datetime_long(document.removed_at)} by {removed_by}"))
        rows.append(row("Why it was removed", document.removed_reason))
    return rows
