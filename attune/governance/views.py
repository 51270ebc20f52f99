"""Who accessed what: the audit log for information governance leads (target S8)."""

import uuid
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from attune.core import audit
from attune.core.models import AuditEvent, Outcome
from attune.governance import scope as audit_scope
from attune.governance.presenters import EventTable
from attune.organisations.scope import ScopedRequest

PAGE_SIZE = 50


def _page(
    request: ScopedRequest, queryset: QuerySet[AuditEvent], template: str, context: dict[str, Any]
) -> HttpResponse:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    table = EventTable.build(
        shown,
        owners=audit_scope.owners(request.scope),
        readable_people=audit_scope.readable_people(request.scope, shown),
    )

    def page_url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    return render(request, template, {**context, "page": page, "rows": table.rows(), "page_url": page_url})


def event_list(request: ScopedRequest) -> HttpResponse:
    queryset = audit_scope.events(request.scope)
    refused_only = request.GET.get("show") == "refused"
    if refused_only:
        queryset = queryset.exclude(outcome=Outcome.SUCCESS)
    audit.record(action="audit.viewed", actor=request.actor, detail={"refused_only": refused_only})
    return _page(request, queryset, "governance/event_list.jinja", {"refused_only": refused_only})


def subject(request: ScopedRequest, object_type: str, object_id: str) -> HttpResponse:
    found, queryset = audit_scope.subject_events(request.scope, object_type, object_id)
    audit.record(action="audit.subject_viewed", actor=request.actor, object_type=object_type, object_id=object_id)
    return _page(request, queryset, "governance/subject.jinja", {"subject": found})


def person(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    found, queryset = audit_scope.person_events(request.scope, user_id)
    audit.record(action="audit.person_viewed", actor=request.actor, obj=found)
    return _page(request, queryset, "governance/person.jinja", {"person": found})
