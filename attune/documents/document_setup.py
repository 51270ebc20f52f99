"""What the documents part of this app registers at start-up (audit subjects, family-page section)."""

from attune.core import subjects
from attune.documents import family_section
from attune.documents.document_models import Document
from attune.families import scope as family_scope


def _documents(ids: list[str]) -> dict[str, subjects.Subject]:
    found = Document.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("family__team__service")
    return {
        str(document.pk): subjects.Subject(
            # The title, not the file name: a title is chosen to be read; a name may be anything.
            label=f"{document.get_category_display()}: {document.title}",
            kind="Document",
            owners=frozenset({str(document.family.team.service.provider_id)}),
        )
        for document in found
    }


def register() -> None:
    subjects.register("documents.document", _documents)
    # Documents and recordings share one section (and one query) on the family page.
    family_scope.register_related("documents", family_section.family_files)
