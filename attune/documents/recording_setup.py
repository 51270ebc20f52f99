"""What the video recordings part of this app registers at start-up (audit subjects, jobs, task
links, the consent-withdrawal hook, the family page's "Video recordings" section)."""

from datetime import timedelta
from typing import Any

from attune.core import subjects


def recording_link(task: Any) -> str:
    """A recording-erasure task opens the recording (to watch it once more, or copy it for
    training with consent, before it goes)."""
    from django.urls import reverse

    return reverse("documents:recording", args=[task.about_id])


def _recordings(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.core.formatting import date_long
    from attune.documents.recording_models import Recording

    found = Recording.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related(
        "appointment", "episode__team__service"
    )
    return {
        str(r.pk): subjects.Subject(
            label=f"{r.get_purpose_display()} of {r.appointment.get_kind_display().lower()} on "
            f"{date_long(r.appointment.starts_at)}",
            kind="Video recording",
            owners=frozenset({str(r.episode.team.service.provider_id)}),
        )
        for r in found
    }


def register() -> None:
    from attune.core import jobs, links
    from attune.core.models import TaskKind
    from attune.documents.recording_services import erase_due_recordings, erase_for_withdrawal
    from attune.families.consent import register_withdrawal_hook

    subjects.register("documents.recording", _recordings)
    links.register_task_link(TaskKind.RECORDING_ERASURE, recording_link)
    register_withdrawal_hook("erase_recordings", erase_for_withdrawal)
    jobs.register(
        "erase_recordings",
        erase_due_recordings,
        every=timedelta(days=1),
        description="Warn before, and erase, video recordings due for erasure",
    )
