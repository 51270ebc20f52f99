"""The installation's scheduled jobs, for system administrators (/system/jobs): each job's
schedule, last run, duration, outcome and failures, and the worker's heartbeat (ADR 0016)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attune.core import audit, jobs, worker
from attune.organisations import jobs_presenters
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest


@require_GET
def jobs_page(request: ScopedRequest) -> HttpResponse:
    request.scope.require(Capability.MANAGE_ACCOUNTS, "core.scheduledjob")
    request.scope.acting_for_organisation(Capability.MANAGE_ACCOUNTS)
    latest = worker.last_heartbeat()
    status = worker.status()
    rows = jobs_presenters.job_rows(jobs.registered(), worker.schedule())
    audit.record(action="jobs.viewed", actor=request.actor, detail={"worker": status})
    return render(
        request,
        "organisations/system_jobs.jinja",
        {
            "rows": rows,
            "status": status,
            "heartbeat": jobs_presenters.heartbeat_text(latest, status),
            "now": timezone.now(),
        },
    )
