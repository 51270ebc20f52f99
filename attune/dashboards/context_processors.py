from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from attune.dashboards.navigation import active_item, items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Navigation and the signed-in person's name and roles, for the layout."""
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    if user is None or scope is None or not user.is_authenticated:
        return {"navigation": [], "identity": None}
    current = request.path
    allowed = items_for(scope)
    hrefs = {item: reverse(item.url_name) for item in allowed}
    active = active_item(allowed, hrefs, current)
    items = [
        {"href": hrefs[item], "text": item.text, "current": current == hrefs[item], "active": item is active}
        for item in allowed
    ]
    roles = [m.label for m in scope.memberships] or ["No current role"]
    return {"navigation": items, "identity": {"name": user.full_name, "roles": roles}}
