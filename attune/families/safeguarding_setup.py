"""What the safeguarding part of this app registers at start-up (family-page sections, task links, jobs)."""

from typing import Any

from django.urls import reverse


def meeting_task_link(task: Any) -> str:
    """A safeguarding task (prepare for a meeting, tell the council of a birth) opens the referral."""
    return reverse("families:safeguarding_referral", args=[task.facts["family"], task.facts["referral"]])


def register() -> None:
    from attune.core import links, subjects
    from attune.core.models import TaskKind
    from attune.families import safeguarding_presenters, safeguarding_scope
    from attune.families import scope as family_scope

    links.register_task_link(TaskKind.SAFEGUARDING_MEETING, meeting_task_link)
    links.register_task_link(TaskKind.TELL_COUNCIL_OF_BIRTH, meeting_task_link)
    subjects.register("families.safeguardingreferral", _referrals)
    subjects.register("families.safeguardingmeeting", _meetings)
    family_scope.register_related(
        "safeguarding_referrals",
        lambda scope, family: safeguarding_presenters.family_section(family, safeguarding_scope.referrals_of(family)),
    )


def _referrals(ids: list[str]) -> dict[str, Any]:
    """How the audit log names a referral: by its date, never by the child or the concern."""
    from attune.core import subjects
    from attune.core.formatting import date_long
    from attune.families.safeguarding_models import SafeguardingReferral

    found = SafeguardingReferral.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related(
        "family__team__service"
    )
    return {
        str(referral.pk): subjects.Subject(
            label=f"Made on {date_long(referral.referred_on)}",
            kind="Safeguarding referral",
            owners=frozenset({str(referral.family.team.service.provider_id)}),
        )
        for referral in found
    }


def _meetings(ids: list[str]) -> dict[str, Any]:
    from attune.core import subjects
    from attune.core.formatting import date_long
    from attune.families.safeguarding_models import SafeguardingMeeting

    found = SafeguardingMeeting.objects.filter(pk__in=subjects.valid_uuids(ids)).select_related(
        "referral__family__team__service"
    )
    return {
        str(meeting.pk): subjects.Subject(
            label=f"{meeting.get_kind_display()} on {date_long(meeting.starts_at)}",
            kind="Safeguarding meeting",
            owners=frozenset({str(meeting.referral.family.team.service.provider_id)}),
        )
        for meeting in found
    }
