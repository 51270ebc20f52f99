"""Scoped look-ups for documents: a document is seen by those who may see its family
(families.scope: people who work with families in the family's team)."""

import uuid

from attune.care import scope as care_scope
from attune.care.models import Episode
from attune.documents.document_models import Document
from attune.families.models import Family
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def get_document(scope: Scope, document_id: uuid.UUID) -> Document:
    """One document with what its page shows; a stranger to its family's team gets 404."""
    return scope.get(
        Document.objects.select_related(
            "family__team",
            "episode__referral",
            "episode__team",
            "infant",
            "carer",
            "uploaded_by",
            "exchange_recorded_by",
            "removed_by",
        ),
        document_id,
        team="family__team",
        act=Capability.WORK_WITH_FAMILIES,
    )


def episodes_of(scope: Scope, family: Family) -> list[Episode]:
    """The family's episodes the person works with, newest first, for choosing one."""
    return list(care_scope.episodes(scope).filter(family=family).select_related("team").order_by("-opened_at"))
