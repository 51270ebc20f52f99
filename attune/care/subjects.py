"""Audit subjects owned by this app: episodes, appointments and notes. Dates are the day in
London (a visit at 00:30 in summer is on that day, not the UTC day before)."""

from attune.core import subjects
from attune.core.formatting import date_long


def _episodes(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.care.models import Episode

    return {
        str(e.pk): subjects.Subject(
            label=f"Episode for {e.referral.reference}",
            kind="Episode of care",
            owners=frozenset({str(e.team.service.provider_id)}),
        )
        for e in Episode.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("referral", "team__service")
    }


def _appointments(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.care.models import Appointment

    return {
        str(a.pk): subjects.Subject(
            label=f"{a.get_kind_display()} on {date_long(a.starts_at)}",
            kind="Appointment",
            owners=frozenset({str(a.episode.team.service.provider_id)}),
        )
        for a in Appointment.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("episode__team__service")
    }


def _notes(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.care.models import Note

    return {
        str(n.pk): subjects.Subject(
            label=f"Note of {date_long(n.appointment.starts_at)}",
            kind="Clinical note",
            owners=frozenset({str(n.appointment.episode.team.service.provider_id)}),
        )
        for n in Note.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related(
            "appointment__episode__team__service"
        )
    }


def register() -> None:
    subjects.register("care.episode", _episodes)
    subjects.register("care.appointment", _appointments)
    subjects.register("care.note", _notes)
