"""Links for the tasks the care pathway raises (registered with core.links in CareConfig.ready)."""

from typing import Any

from django.urls import reverse


def countersign_link(task: Any) -> str:
    """A trainee's note: countersigned on its appointment's page."""
    return reverse("care:appointment", args=[task.facts["appointment"]])


def episode_link(task: Any) -> str:
    """Missed appointments: reviewed on the episode's page."""
    return reverse("care:episode", args=[task.about_id])


def appointment_link(task: Any) -> str:
    """A home visit not checked out: on the visit's page."""
    return reverse("care:appointment", args=[task.about_id])
