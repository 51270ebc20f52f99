"""Audit subjects owned by this app: outcome measures and the questionnaire links sent to parents."""

from attune.core import subjects
from attune.core.formatting import date_long


def _administrations(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.outcomes.models import Administration

    found = Administration.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("episode__team__service")
    return {
        str(a.pk): subjects.Subject(
            label=f"{a.instrument} completed on {date_long(a.completed_on)}",
            kind="Outcome measure",
            owners=frozenset({str(a.episode.team.service.provider_id)}),
        )
        for a in found
    }


def _links(ids: list[str]) -> dict[str, subjects.Subject]:
    from attune.outcomes.models import QuestionnaireLink

    found = QuestionnaireLink.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related("episode__team__service")
    return {
        str(link.pk): subjects.Subject(
            label=f"{', '.join(link.instruments)} sent on {date_long(link.created_at)}",
            kind="Questionnaire link",
            owners=frozenset({str(link.episode.team.service.provider_id)}),
        )
        for link in found
    }


def register() -> None:
    subjects.register("outcomes.administration", _administrations)
    subjects.register("outcomes.questionnairelink", _links)
