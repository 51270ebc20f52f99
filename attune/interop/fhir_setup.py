"""What the fhir part of this app registers at start-up: the family page's link to share the
record as FHIR (a section with no rows, so it costs the family page no query)."""

from django.urls import reverse

from attune.families import scope as family_scope
from attune.families.models import Family
from attune.families.presenters import RecordSection
from attune.organisations.scope import Scope


def share_section(scope: Scope, family: Family) -> RecordSection:
    return RecordSection(
        heading="Share this record with another NHS system",
        caption="",
        head=[],
        rows=[],
        empty="Download the family's record as a FHIR R4 UK Core file, for a GP, health visiting or "
        "social care system. Each download is recorded.",
        links=[{"href": reverse("interop:fhir_export", args=[family.pk]), "text": "Download the record as FHIR"}],
    )


def register() -> None:
    # Sections are shown in name order: "zz" keeps this one after the family's records.
    family_scope.register_related("zz_fhir_share", share_section)
