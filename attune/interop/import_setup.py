"""What the import part of this app registers at start-up: how the audit log names an import
run (the worker's task is found by django-tasks from its module path)."""

from attune.core import subjects
from attune.interop.import_models import ImportRun


def _runs(ids: list[str]) -> dict[str, subjects.Subject]:
    found = ImportRun.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("team__service").defer("parsed")
    return {
        str(run.pk): subjects.Subject(
            label=f"Caseload import into {run.team.name}: {run.file_name}",
            kind="Caseload import",
            owners=frozenset({str(run.team.service.provider_id)}),
        )
        for run in found
    }


def register() -> None:
    subjects.register("interop.importrun", _runs)
