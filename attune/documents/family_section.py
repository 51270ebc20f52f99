"""The family page's "Documents and video recordings": both kinds of file in one table, read in
ONE query (a UNION), because every section costs the family page a query and the page holds to
the 15-query budget (P4). Each row links to the item's own page, which shows the rest (whom a
document is about, who is in a recording, when it will be erased) and decides who may open it.
"""

from typing import Any

from django.db.models import CharField, DateField, DateTimeField, F, QuerySet, Value
from django.urls import reverse
from django.utils.html import format_html

from attune.care.models import Appointment
from attune.core.formatting import date_long
from attune.documents.document_models import Document
from attune.documents.document_presenters import document_url, exchange_text
from attune.documents.recording_models import Recording, RecordingPurpose
from attune.documents.recording_presenters import recording_url, state_tag, title
from attune.families.models import Family
from attune.families.presenters import RecordSection, tag_html
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope

Row = list[dict[str, Any]]
COLUMNS = ("source", "id", "words", "kind", "direction", "agency", "exchanged_on", "starts_at", "gone_at", "created_at")


def _text(value: str = "") -> Value:
    return Value(value, output_field=CharField())


def _documents(family: Family) -> QuerySet[Any]:
    return (
        Document.objects.filter(family=family)
        .annotate(
            source=_text("document"),
            words=F("title"),
            kind=F("category"),
            starts_at=Value(None, output_field=DateTimeField()),
            gone_at=F("removed_at"),
        )
        .values_list(*COLUMNS)
        .order_by()
    )


def _recordings(scope: Scope, family: Family) -> QuerySet[Any]:
    # Recordings of sessions in the teams the reader works with families in (a family moved to
    # another team keeps its recordings there).
    teams = scope.team_ids(Capability.WORK_WITH_FAMILIES)
    return (
        Recording.objects.filter(family=family, episode__team_id__in=teams)
        .annotate(
            source=_text("recording"),
            words=F("appointment__kind"),
            kind=F("purpose"),
            direction=_text(),
            agency=_text(),
            exchanged_on=Value(None, output_field=DateField()),
            starts_at=F("appointment__starts_at"),
            gone_at=F("erased_at"),
        )
        .values_list(*COLUMNS)
        .order_by()
    )


def _document_row(row: tuple[Any, ...]) -> Row:
    _, pk, words, kind, direction, agency, exchanged_on, _, gone_at, created_at = row
    document = Document(
        pk=pk,
        title=words,
        category=kind,
        direction=direction,
        agency=agency,
        exchanged_on=exchanged_on,
        removed_at=gone_at,
        created_at=created_at,
    )
    state = tag_html("Removed", "grey") if gone_at is not None else ""
    return [
        {"html": format_html('<a href="{}">{}</a> {}', document_url(document), words, state)},
        {"text": document.get_category_display()},
        {"text": exchange_text(document) or "Not sent or received"},
        {"text": date_long(created_at)},
    ]


def _recording_row(row: tuple[Any, ...]) -> Row:
    _, pk, words, kind, _, _, _, starts_at, gone_at, created_at = row
    recording = Recording(
        pk=pk, purpose=kind, erased_at=gone_at, appointment=Appointment(kind=words, starts_at=starts_at)
    )
    erased = f"Erased on {date_long(gone_at)}" if gone_at is not None else "Kept"
    return [
        {
            "html": format_html(
                '<a href="{}">{}</a> {}', recording_url(recording), title(recording), state_tag(recording)
            )
        },
        {"text": RecordingPurpose(kind).label},
        {"text": erased},
        {"text": date_long(created_at)},
    ]


def family_files(scope: Scope, family: Family) -> RecordSection:
    """Registered with families.scope (document_setup). The family was fetched in the reader's
    scope, so its documents are theirs to see; a recording's page decides who may watch it."""
    rows = _documents(family).union(_recordings(scope, family), all=True).order_by("-created_at")
    return RecordSection(
        heading="Documents and video recordings",
        caption="Documents on this family's record and video recordings of its sessions, newest first",
        head=[{"text": "Item"}, {"text": "Kind"}, {"text": "Sent, received or erased"}, {"text": "Added"}],
        rows=[_document_row(row) if row[0] == "document" else _recording_row(row) for row in rows],
        empty="No documents or video recordings are kept for this family.",
        links=[{"href": reverse("documents:upload", args=[family.pk]), "text": "Add a document"}],
    )
