"""Actions on documents: upload one, record that it was sent to or received from another agency,
remove it. Each writes its audit event in the same transaction (DESIGN.md 4)."""

import datetime as dt
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attune.care.models import Episode
from attune.core import audit
from attune.core.actors import Actor
from attune.documents import files
from attune.documents.document_models import Direction, Document, DocumentCategory
from attune.families.models import Carer, Family, Infant


class DocumentError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


def _check_exchange(direction: str, agency: str, on: dt.date | None) -> None:
    if direction not in Direction.values:
        raise DocumentError("Select whether the document was sent or received")
    if not agency.strip():
        raise DocumentError("Enter the agency the document was sent to or received from")
    if on is None:
        raise DocumentError("Enter the date the document was sent or received")
    if on > timezone.localdate():
        raise DocumentError("The date the document was sent or received must be today or in the past")


def _check_place(family: Family, episode: Episode | None, infant: Infant | None, carer: Carer | None) -> None:
    """A document on an episode or a person stays within its family's record."""
    if episode is not None and episode.family_id != family.pk:
        raise DocumentError("Select an episode of this family")
    if infant is not None and infant.family_id != family.pk:
        raise DocumentError("Select a person in this family")
    if carer is not None and carer.family_id != family.pk:
        raise DocumentError("Select a person in this family")
    if infant is not None and carer is not None:
        raise DocumentError("Select one person, or the whole family")


def upload_document(
    *,
    actor: Actor,
    family: Family,
    title: str,
    category: str,
    content: IO[bytes],
    name: str,
    size: int,
    episode: Episode | None = None,
    infant: Infant | None = None,
    carer: Carer | None = None,
    direction: str = "",
    agency: str = "",
    exchanged_on: dt.date | None = None,
) -> Document:
    """Check the file (files.check_document: raises files.UploadRefused), keep it in the documents
    storage under a name Attune makes, and record it. The file is written first; if recording it
    fails, the file is deleted again, so nothing is kept that the record does not know of."""
    if not title.strip():
        raise DocumentError("Enter a title for the document")
    if category not in DocumentCategory.values:
        raise DocumentError("Select what kind of document it is")
    _check_place(family, episode, infant, carer)
    if direction:
        _check_exchange(direction, agency, exchanged_on)
    checked = files.check_document(content, name=name, size=size, max_mb=settings.ATTUNE_DOCUMENT_MAX_MB)
    storage = files.storage()
    content.seek(0)
    stored = storage.save(files.stored_path("documents", checked.name), content)
    try:
        return _record_upload(
            actor=actor,
            family=family,
            title=title.strip(),
            category=category,
            stored=stored,
            checked=checked,
            episode=episode,
            infant=infant,
            carer=carer,
            direction=direction,
            agency=agency.strip() if direction else "",
            exchanged_on=exchanged_on if direction else None,
        )
    except BaseException:
        storage.delete(stored)
        raise


@transaction.atomic
def _record_upload(
    *,
    actor: Actor,
    family: Family,
    title: str,
    category: str,
    stored: str,
    checked: files.CheckedFile,
    episode: Episode | None,
    infant: Infant | None,
    carer: Carer | None,
    direction: str,
    agency: str,
    exchanged_on: dt.date | None,
) -> Document:
    person = infant or carer
    document = Document.objects.create(
        family=family,
        episode=episode,
        infant=infant,
        carer=carer,
        title=title,
        category=category,
        file=stored,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor.person,
        direction=direction,
        agency=agency,
        exchanged_on=exchanged_on,
        exchange_recorded_by=actor.person if direction else None,
    )
    audit.record(
        action="document.uploaded",
        actor=actor,
        obj=document,
        family_id=family.pk,
        person_id=person.pk if person is not None else None,
        detail={
            "category": category,
            "content_type": checked.kind.content_type,
            "size": checked.size,
            "sha256": checked.sha256,
            **({"direction": direction, "agency": agency} if direction else {}),
        },
    )
    return document


@transaction.atomic
def mark_document_exchanged(
    *, actor: Actor, document: Document, direction: str, agency: str, exchanged_on: dt.date | None
) -> Document:
    """Record that the document was sent to, or received from, another agency (correcting what
    was recorded before, if anything: the audit keeps the earlier values)."""
    if document.is_removed:
        raise DocumentError("This document has been removed")
    _check_exchange(direction, agency, exchanged_on)
    before = {
        "direction": document.direction,
        "agency": document.agency,
        "exchanged_on": str(document.exchanged_on or ""),
    }
    document.direction = direction
    document.agency = agency.strip()
    document.exchanged_on = exchanged_on
    document.exchange_recorded_by = actor.person
    document.save(update_fields=["direction", "agency", "exchanged_on", "exchange_recorded_by", "updated_at"])
    after = {"direction": direction, "agency": document.agency, "exchanged_on": str(exchanged_on)}
    audit.record(
        action="document.exchanged",
        actor=actor,
        obj=document,
        family_id=document.family_id,
        detail=audit.changed_values(before, after),
    )
    return document


@transaction.atomic
def remove_document(*, actor: Actor, document: Document, reason: str) -> Document:
    """Delete the file, keep the row: the record shows the document existed, who removed it,
    when and why. The file goes only once the change is committed, so a failure leaves both."""
    if not reason.strip():
        raise DocumentError("Enter why the document is being removed")
    if document.is_removed:
        raise DocumentError("This document has already been removed")
    stored = document.file.name
    document.removed_at = timezone.now()
    document.removed_by = actor.person
    document.removed_reason = reason.strip()[:500]
    document.file = ""
    document.save(update_fields=["removed_at", "removed_by", "removed_reason", "file", "updated_at"])
    audit.record(
        action="document.removed",
        actor=actor,
        obj=document,
        family_id=document.family_id,
        detail={"sha256": document.sha256},
    )
    if stored:
        storage = files.storage()
        transaction.on_commit(lambda: storage.delete(stored))
    return document
