"""Pages that belong to no context: health, errors, the accessibility statement, the clinical
safety summary."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from attune.core import audit, safety, worker
from attune.core.actors import actor_of

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not. "worker" is
    "ok", "stale" (no heartbeat for 5 minutes) or "never" (no worker has run)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check could not reach the database")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    # The worker's heartbeat is reported, not acted on: the web stays 200 when the worker stops,
    # so a load balancer never takes the web out for it (ADR 0016). Monitoring alerts on "stale".
    try:
        worker_status: str = worker.status()
    except DatabaseError:  # not migrated yet: the web's own health does not depend on it
        worker_status = "unknown"
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker_status})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


@login_not_required
@require_GET
def clinical_safety(request: HttpRequest) -> HttpResponse:
    """The safety case in brief, for staff, parents and the deploying trust alike: read from the
    same hazard log the clinical safety officer signs (docs/clinical-safety/)."""
    return render(
        request,
        "core/clinical_safety.jinja",
        {"hazards": safety.hazard_log(), "highest_acceptable": safety.HIGHEST_ACCEPTABLE_RESIDUAL},
    )


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "errors/error.jinja",
        {"title": title, "message": message, "status": status},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return _error(
            request,
            413,
            "What you sent was too large",
            "The form held more information than Attune accepts in one go. Go back, send less, and try again.",
        )
    return _error(request, 400, "Sorry, there is a problem with that request", "Go back and try again.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        "Your role does not give you access to this. If you think it should, ask your team lead.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered with no context processors: whatever broke (often the database) must not break
    # the error page too.
    html: str
    try:
        html = render_to_string(
            "errors/server_error.jinja",
            {
                "service_name": settings.SERVICE_NAME,
                "request_id": getattr(request, "request_id", ""),
                "static_css": static("build/attune.css"),
            },
        )
    except Exception:  # noqa: BLE001 - last line of defence; never show a traceback
        title = "Sorry, there is a problem with the service"
        html = f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1>"
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    audit.record(
        action="security.csrf_refused",
        actor=actor_of(request),
        outcome=audit.Outcome.DENIED,
        detail={"path": request.path[:200]},
    )
    return _error(
        request,
        403,
        "Your form could not be sent",
        "This can happen when a page has been open for a long time or you signed out in another "
        "tab. Go back, reload the page and send the form again.",
    )
