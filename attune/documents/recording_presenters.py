"""What the recording pages and the family page's "Video recordings" list show. No database
here: the rows come from recording_scope with their people, session and uploader loaded."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from attune.core.formatting import date_long, datetime_long, plural
from attune.documents.recording_models import Recording, RecordingPurpose
from attune.documents.recording_services import erase_on, person_name
from attune.families.presenters import tag_html

TYPE_NAMES = {"video/mp4": "MP4 video", "video/quicktime": "QuickTime (MOV) video", "video/webm": "WebM video"}


def recording_url(recording: Recording) -> str:
    return reverse("documents:recording", args=[recording.pk])


def upload_url(appointment_id: Any) -> str:
    return reverse("documents:new_recording", args=[appointment_id])


def size_text(size: int) -> str:
    """'840 bytes', '12 KB', '3.4 MB', '1.2 GB'"""
    if size < 1024:
        return plural(size, "byte", "bytes")
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    if size < 1024 * 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / (1024 * 1024 * 1024):.1f} GB"


def people_text(recording: Recording) -> str:
    names = [person_name(p) for p in recording.infants.all()] + [person_name(p) for p in recording.carers.all()]
    return ", ".join(names) or "Nobody recorded"


def session_text(recording: Recording) -> str:
    """'Home visit, 3 December 2026'"""
    appointment = recording.appointment
    return f"{appointment.get_kind_display()}, {date_long(appointment.starts_at)}"


def title(recording: Recording) -> str:
    """'Recording of home visit, 3 December 2026' (a link that names it when read alone)."""
    appointment = recording.appointment
    session = f"{appointment.get_kind_display().lower()}, {date_long(appointment.starts_at)}"
    if recording.purpose == RecordingPurpose.TRAINING:
        return f"Training copy of the recording of {session}"
    return f"Recording of {session}"


def erasure_text(recording: Recording) -> str:
    """When the recording is (or was) erased, as its page and the family's list say it."""
    if recording.erased_at is not None:
        how = recording.get_erasure_reason_display().lower()
        return f"Erased on {date_long(recording.erased_at)} ({how})"
    if recording.purpose == RecordingPurpose.TRAINING:
        return "Kept for training while everyone in it consents to its use in training"
    day = erase_on(recording)
    if day is None:
        months = settings.ATTUNE_RECORDING_ERASE_AFTER_MONTHS
        return f"Erased {plural(months, 'month', 'months')} after the episode ends"
    return f"To be erased on {date_long(day)}"


def summary_rows(recording: Recording) -> list[dict[str, Any]]:
    appointment_link = format_html(
        '<a href="{}">{}</a>', reverse("care:appointment", args=[recording.appointment_id]), session_text(recording)
    )
    rows: list[dict[str, Any]] = [
        {"key": {"text": "Session"}, "value": {"html": appointment_link}},
        {"key": {"text": "In the recording"}, "value": {"text": people_text(recording)}},
        {
            "key": {"text": "Uploaded"},
            "value": {"text": f"{datetime_long(recording.uploaded_at)} by {recording.uploaded_by.full_name}"},
        },
        {
            "key": {"text": "File"},
            "value": {
                "text": f"{recording.file_name} ({TYPE_NAMES.get(recording.content_type, 'video')}, "
                f"{size_text(recording.size)})"
            },
        },
    ]
    if recording.copied_from is not None:
        source = format_html(
            '<a href="{}">{}</a>', recording_url(recording.copied_from), f"Recording of {session_text(recording)}"
        )
        rows.append({"key": {"text": "Copied from"}, "value": {"html": source}})
    rows.append({"key": {"text": "Erasure"}, "value": {"text": erasure_text(recording)}})
    if recording.erased_at is not None:
        who = recording.erased_by.full_name if recording.erased_by is not None else "Attune (the service's rule)"
        rows.append({"key": {"text": "Erased by"}, "value": {"text": who}})
        if recording.erasure_note:
            rows.append({"key": {"text": "Why"}, "value": {"text": recording.erasure_note}})
    return rows


def state_tag(recording: Recording) -> str:
    if recording.erased_at is not None:
        return tag_html("Erased", "grey")
    if recording.purpose == RecordingPurpose.TRAINING:
        return tag_html("Training copy", "blue")
    return tag_html("Kept", "green")


def table_rows(
    recordings: Iterable[Recording], *, watchable: set[Any], with_session: bool = True
) -> list[list[dict[str, Any]]]:
    """One row per recording: a link that names it (plain text for someone who may not watch
    it), who is in it, its erasure, its state."""
    rows = []
    for recording in recordings:
        text = title(recording) if with_session else recording.file_name
        if recording.pk in watchable:
            first: dict[str, Any] = {"html": format_html('<a href="{}">{}</a>', recording_url(recording), text)}
        else:
            first = {"text": text}
        rows.append(
            [
                first,
                {"text": people_text(recording)},
                {"text": erasure_text(recording)},
                {"html": state_tag(recording)},
            ]
        )
    return rows


def session_head() -> list[dict[str, str]]:
    return [{"text": "File"}, {"text": "In the recording"}, {"text": "Erasure"}, {"text": "State"}]
