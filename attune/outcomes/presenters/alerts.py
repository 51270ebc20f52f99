"""Where a risk alert is acted on, from the family's banner and from the task it raised
(registered with core.links in OutcomesConfig.ready)."""

from typing import Any

from django.urls import reverse


def alert_link(alert: Any) -> str:
    """The alert's own page, under the administration that raised it."""
    return reverse("outcomes:alert", args=[alert.about_id, alert.pk])


def risk_task_link(task: Any) -> str:
    """A task about an alert: the same page."""
    return reverse("outcomes:alert", args=[task.facts["administration"], task.about_id])
