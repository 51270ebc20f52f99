"""The language a person speaks and reads, and whether they need an interpreter (domain reference
G.4). One action, audited in the same transaction; the rules are here so that an importer or the
API keeps to them as the page does."""

from dataclasses import dataclass

from django.db import transaction

from attune.core import audit
from attune.core.actors import Actor
from attune.families.models import Carer

FIELDS = ("spoken_language", "dialect", "written_language", "interpreter_needed", "language_note")


class LanguageError(Exception):
    """What the person must put right, by the form field it is about; fit to show."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values())))
        self.problems = problems


@dataclass(frozen=True)
class Language:
    spoken_language: str = ""
    dialect: str = ""
    written_language: str = ""
    interpreter_needed: bool = False
    language_note: str = ""

    def cleaned(self) -> "Language":
        return Language(
            spoken_language=" ".join(self.spoken_language.split()),
            dialect=" ".join(self.dialect.split()),
            written_language=" ".join(self.written_language.split()),
            interpreter_needed=self.interpreter_needed,
            language_note=self.language_note.strip(),
        )


def of(carer: Carer) -> Language:
    """What a carer's record says now."""
    return Language(**{name: getattr(carer, name) for name in FIELDS})


@transaction.atomic
def record_language(*, actor: Actor, carer: Carer, language: Language) -> list[str]:
    """Set the carer's language and interpreter need; the names of the fields that changed (none:
    nothing is written or audited). An interpreter cannot be booked for no language."""
    language = language.cleaned()
    if language.interpreter_needed and not language.spoken_language:
        raise LanguageError({"spoken_language": "Enter the language the interpreter needs to speak"})
    changed = [name for name in FIELDS if getattr(carer, name) != getattr(language, name)]
    if not changed:
        return []
    for name in changed:
        setattr(carer, name, getattr(language, name))
    carer.save(update_fields=[*changed, "updated_at"])
    audit.record(
        action="carer.language_recorded",
        actor=actor,
        obj=carer,
        family_id=carer.family_id,
        person_id=carer.pk,
        # Which details changed, not their values: the audit log holds no more than it must.
        detail={"changed": changed},
    )
    return changed
