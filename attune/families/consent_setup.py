"""What the consent part of this app registers at start-up (family-page sections, task links, jobs)."""

from typing import Any


def consent_review_link(task: Any) -> str:
    """A consent review task opens the person's consent page."""
    from django.urls import reverse

    family, person = task.facts.get("family"), task.facts.get("person")
    return reverse("families:consent", args=[family, person]) if family and person else ""


def register() -> None:
    from attune.core import links
    from attune.core.models import TaskKind
    from attune.families import scope as family_scope
    from attune.families.consent_views import family_consent_section

    family_scope.register_related("consent", family_consent_section)
    links.register_task_link(TaskKind.CONSENT_REVIEW, consent_review_link)
