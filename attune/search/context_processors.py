from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from attune.organisations.roles import Capability
from attune.search import presenters


def search_box(request: HttpRequest) -> dict[str, Any]:
    """The header's search box (the NHS.UK header search), for people who work with families:
    a commissioner never sees a person, and the IG lead finds families on her own pages."""
    scope = getattr(request, "scope", None)
    user = getattr(request, "user", None)
    if scope is None or user is None or not user.is_authenticated or not scope.can(Capability.WORK_WITH_FAMILIES):
        return {"header_search": None}
    return {
        "header_search": {
            "action": reverse("search:search"),
            "name": "q",
            "visuallyHiddenLabel": presenters.LABEL,
            "visuallyHiddenButton": "Search",
            "placeholder": "Name or NHS number",
        }
    }
