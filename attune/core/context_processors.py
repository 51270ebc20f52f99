from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        # For the warning before the idle sign-out (session-timeout.mjs).
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        "session_warn_seconds": int(settings.SESSION_TIMEOUT_WARNING.total_seconds()),
    }
