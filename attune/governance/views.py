"""Who accessed what: the audit log for information governance leads (target S8), finding a
family or a member of staff, and a family's access history with its subject access report."""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attune.core import audit
from attune.core.models import AuditEvent
from attune.core.subjects import Subject
from attune.families.models import Family
from attune.families.subjects import family_label
from attune.governance import access, forms, found, queries
from attune.governance import scope as audit_scope
from attune.governance.presenters import EventTable
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest
from attune.search.engine import find_families

PAGE_SIZE = 50
# Events read from the database at once while a subject access report streams out.
REPORT_CHUNK = 1000


def _page_url(request: ScopedRequest) -> Callable[[int], str]:
    """A page's link to another page of it: the same filters, another page number."""

    def page_url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    return page_url


def _table(
    request: ScopedRequest, shown: list[AuditEvent], known: dict[tuple[str, str], Subject] | None = None
) -> EventTable:
    return EventTable.build(
        shown,
        owners=audit_scope.owners(request.scope),
        readable_people=audit_scope.readable_people(request.scope, shown),
        known=known,
    )


def _named(family: Family) -> dict[tuple[str, str], Subject]:
    """The family a history is about, as its audit subject, from the record already read: its
    rows do not read it again."""
    subject = Subject(
        label=family_label(family.carers.all(), family.infants.all()),
        kind="Family",
        owners=frozenset({str(family.team.service.provider_id)}),
    )
    return {(audit.FAMILY, str(family.pk)): subject}


def _page(
    request: ScopedRequest, queryset: QuerySet[AuditEvent], template: str, context: dict[str, Any]
) -> HttpResponse:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    table = _table(request, list(page.object_list))
    return render(request, template, {**context, "page": page, "rows": table.rows(), "page_url": _page_url(request)})


@require_GET
def event_list(request: ScopedRequest) -> HttpResponse:
    queryset = audit_scope.events(request.scope)
    form = forms.event_filter_form(request.GET)
    if not form.is_valid():
        # A filter that cannot be read: the form with its message, and no events under it.
        audit.record(action="audit.viewed", actor=request.actor, detail={"filters_refused": True})
        return render(
            request,
            "governance/event_list.jinja",
            {"form": form, "fields": forms.field_groups(form), "page": None, "rows": []},
        )
    person = form.cleaned_data.get("person")
    chosen = audit_scope.chosen_person(request.scope, person) if person else None
    detail: dict[str, Any] = {"filters": form.recorded()}
    audit.record(action="audit.viewed", actor=request.actor, detail=detail)
    filtered = bool(detail["filters"])
    return _page(
        request,
        form.narrow(queryset),
        "governance/event_list.jinja",
        {
            "form": form,
            "fields": forms.field_groups(form),
            "filtered": filtered,
            "chosen": chosen,
            "person_id": str(person or ""),
        },
    )


@require_GET
def subject(request: ScopedRequest, object_type: str, object_id: str) -> HttpResponse:
    if object_type == audit.FAMILY:
        # A family's page reads every event naming the family, not only those about the record.
        try:
            return redirect("governance:family_access", family_id=uuid.UUID(object_id))
        except ValueError:
            pass
    found_subject, queryset = audit_scope.subject_events(request.scope, object_type, object_id)
    audit.record(action="audit.subject_viewed", actor=request.actor, object_type=object_type, object_id=object_id)
    return _page(request, queryset, "governance/subject.jinja", {"subject": found_subject})


@require_GET
def person(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    found_person, queryset = audit_scope.person_events(request.scope, user_id)
    audit.record(action="audit.person_viewed", actor=request.actor, obj=found_person)
    return _page(request, queryset, "governance/person.jinja", {"person": found_person})


# Finding a family or a member of staff -----------------------------------------------------------


def _find_family(request: ScopedRequest, form: forms.FindFamilyForm) -> dict[str, Any]:
    typed = str(request.GET.get("family", ""))
    if not form.is_valid():
        problem = form.errors["family"][0]
        audit.record(
            action="audit.searched",
            actor=request.actor,
            detail={"for": "family", "query": typed[:100], "results": 0, "problem": problem},
        )
        return {}
    text = form.cleaned_data["family"]
    result = find_families(text, team_ids=audit_scope.owned_team_ids(request.scope), limit=25)
    detail: dict[str, Any] = {"for": "family", "kind": result.kind, "query": text[:100]}
    detail["results"] = len(result.family_ids)
    if result.problem:
        form.add_error("family", result.problem)
        detail["problem"] = result.problem
    audit.record(action="audit.searched", actor=request.actor, detail=detail)
    if result.problem:
        return {}
    return {
        "families": [found.found_family(family) for family in queries.families_in_order(result.family_ids)],
        "families_more": result.more,
        "family_kind": found.KIND_WORDS.get(result.kind, ""),
        "family_query": text,
    }


def _find_staff(request: ScopedRequest, form: forms.FindStaffForm) -> dict[str, Any]:
    if not form.is_valid():
        audit.record(
            action="audit.searched",
            actor=request.actor,
            detail={"for": "staff", "query": str(request.GET.get("staff", ""))[:100], "results": 0, "problem": True},
        )
        return {}
    text = form.cleaned_data["staff"]
    people = audit_scope.staff_matching(request.scope, text)
    shown = people[: audit_scope.STAFF_FOUND_AT_MOST]
    audit.record(
        action="audit.searched",
        actor=request.actor,
        detail={"for": "staff", "query": text[:100], "results": len(shown)},
    )
    acted = audit_scope.people_who_acted(request.scope, {p.pk for p in shown})
    today = timezone.localdate()
    return {
        "staff": [found.found_person(p, acted=acted, today=today) for p in shown],
        "staff_more": len(people) > len(shown),
        "staff_query": text,
    }


@require_GET
def find(request: ScopedRequest) -> HttpResponse:
    request.scope.require(Capability.AUDIT, "core.auditevent")
    request.scope.acting_for_organisation(Capability.AUDIT)
    family_form = forms.FindFamilyForm(request.GET if "family" in request.GET else None)
    staff_form = forms.FindStaffForm(request.GET if "staff" in request.GET else None)
    context: dict[str, Any] = {"family_form": family_form, "staff_form": staff_form}
    if family_form.is_bound:
        context |= _find_family(request, family_form)
    if staff_form.is_bound:
        context |= _find_staff(request, staff_form)
    return render(request, "governance/find.jinja", context)


# A family's access history and its subject access report -----------------------------------------


def _history(
    request: ScopedRequest, family_id: uuid.UUID
) -> tuple[Family, forms.DateRangeForm, list[uuid.UUID], QuerySet[AuditEvent] | None]:
    family = audit_scope.audited_family(request.scope, family_id)
    form = forms.date_range_form(request.GET, timezone.localdate())
    records = [family.pk, *queries.records_linked_into(family)]
    if form.is_bound and not form.is_valid():
        return family, form, records, None
    start, end = form.period().moments()
    return family, form, records, queries.family_events(records, start, end)


@require_GET
def family_access(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse:
    family, form, records, events = _history(request, family_id)
    known = _named(family)
    context: dict[str, Any] = {
        "family": family,
        "label": known[(audit.FAMILY, str(family.pk))].label,
        "form": form,
        "linked_records": len(records) - 1,
        "page": None,
        "rows": [],
    }
    detail: dict[str, Any] = {"dates_refused": True}
    if events is not None:
        period = form.period()
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        table = _table(request, list(page.object_list), known)
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "period": period,
            "page": page,
            "rows": access.page_rows(table),
            "page_url": _page_url(request),
            "report_query": query.urlencode(),
        }
        detail = {"from": period.start.isoformat(), "to": period.end.isoformat(), "page": page.number}
    audit.record(action="audit.family_access_viewed", actor=request.actor, obj=family, detail=detail)
    return render(request, "governance/family_access.jinja", context)


@require_GET
def family_access_report(request: ScopedRequest, family_id: uuid.UUID) -> HttpResponse | StreamingHttpResponse:
    family, form, _, events = _history(request, family_id)
    if events is None:
        # The download is a link from the page, so this is an edited address: the page with the
        # message rather than an empty file.
        return family_access(request, family_id)
    period = form.period()
    # Up to the newest event now: the file holds exactly the rows its audit event counts, and
    # not the event of this download.
    bounded = events.filter(id__lte=queries.latest_event_id())
    rows = bounded.count()
    audit.record(
        action="audit.family_access_exported",
        actor=request.actor,
        obj=family,
        detail={"from": period.start.isoformat(), "to": period.end.isoformat(), "rows": rows},
    )
    owners = audit_scope.owners(request.scope)
    known = _named(family)

    def chunks() -> Iterator[EventTable]:
        for chunk in queries.in_chunks(bounded, REPORT_CHUNK):
            yield EventTable.build(chunk, owners=owners, known=known)

    lines = access.csv_lines(
        family_label=known[(audit.FAMILY, str(family.pk))].label,
        team=family.team.name,
        period=period,
        generated_at=timezone.now(),
        rows=rows,
        chunks=chunks(),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{access.file_name(str(family.pk), period)}"'
    return response
