from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from attune.dashboards.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Navigation and the signed-in person's name and roles, for the layout."""
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    if user is None or scope is None or not user.is_authenticated:
        return {"navigation": [], "identity": None}
    current = request.path
    items = []
    for item in items_for(scope):
        href = reverse(item.url_name)
        is_current = current == href or (href != "/" and current.startswith(href + "/"))
        items.append({"href": href, "text": item.text, "current": current == href, "active": is_current})
    roles = [m.label for m in scope.memberships] or ["No current role"]
    return {"navigation": items, "identity": {"name": user.full_name, "roles": roles}}
