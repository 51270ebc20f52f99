"""Report pages: the list of reports a person may open, each report with its charts and tables,
the printable report for a funder, and CSV and Excel downloads.

Everything that leaves the team (the printable report, every download) is small-number
suppressed whoever asks; the page itself is exact only for a reader who leads every team in it
(attune/reports/scope.py). Every page view and every download is audited.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attune.core import audit
from attune.core.periods import Period
from attune.organisations.scope import ScopedRequest
from attune.reports import exports, forms, presenters, snapshots, suppression
from attune.reports import scope as reports_scope
from attune.reports.indicators import build_report
from attune.reports.scope import Subject, SubjectKind
from attune.reports.tables import ShownReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_AUDIT_TYPES = {
    SubjectKind.TEAM: "organisations.team",
    SubjectKind.ORGANISATION: "organisations.organisation",
    SubjectKind.AREA: "organisations.organisation",
    SubjectKind.AGREEMENT: "commissioning.fundingagreement",
}


# The landing page --------------------------------------------------------------------------------


@require_GET
def index(request: ScopedRequest) -> HttpResponse:
    entitled = reports_scope.entitled(request.scope)
    today = timezone.localdate()
    chooser = forms.choose(request.GET, today)
    period = chooser.chosen
    audit.record(
        action="reports.listed",
        actor=request.actor,
        detail={
            "teams": len(entitled.teams),
            "organisations": len(entitled.organisations),
            "areas": len(entitled.areas),
            "agreements": len(entitled.agreements),
        },
    )
    links = (
        presenters.index_links(
            teams=[(t.pk, t.name) for t in entitled.teams],
            organisations=[(o.pk, o.name) for o in entitled.organisations],
            areas=[(a.pk, a.name) for a in entitled.areas],
            period=period,
        )
        if period
        else None
    )
    return render(
        request,
        "reports/index.jinja",
        {
            "form": chooser,
            "period": period,
            "period_text": presenters.period_text(period) if period else "",
            "links": links,
            "agreements": presenters.agreement_links(entitled.agreements),
        },
    )


# One report ------------------------------------------------------------------------------------


def _scope_detail(subject: Subject, period: Period) -> dict[str, str]:
    detail = {"scope": subject.kind.value, "scope_id": str(subject.pk), "period": period.key}
    if subject.site is not None:
        detail["site"] = str(subject.site.pk)
    return detail


@dataclass(frozen=True)
class _Built:
    shown: ShownReport
    rule: suppression.Rule | None
    exact: bool
    worked_out_at: datetime | None  # when kept figures were worked out; None for just now


def _build(request: ScopedRequest, subject: Subject, period: Period, today: date, *, shared: bool) -> _Built:
    covered = reports_scope.report_scope(subject, period)
    exact = not shared and reports_scope.sees_exact_figures(request.scope, subject, covered)
    rule = None if exact else reports_scope.sharing_rule()
    kept = snapshots.report_for(covered, today=today, build=lambda: build_report(covered, today=today))
    return _Built(suppression.present(kept.report, rule), rule, exact, kept.worked_out_at)


def _chosen(request: ScopedRequest, subject: Subject, today: date) -> tuple[forms.PeriodForm, Period | None]:
    """The period chooser and the period to show. A funding agreement fixes its own period, so its
    return ignores any period in the address and offers no chooser."""
    if subject.period is not None:
        return forms.choose(QueryDict(), today), subject.period
    chooser = forms.choose(request.GET, today)
    return chooser, chooser.chosen


def _report_page(request: ScopedRequest, subject: Subject, *, printable: bool) -> HttpResponse:
    today = timezone.localdate()
    chooser, period = _chosen(request, subject, today)
    base = {
        "subject": subject,
        "form": chooser,
        "site_id": str(subject.site.pk) if subject.site else "",
        "page_url": presenters.report_url(subject.kind, subject.pk),
        "print_url": presenters.report_url(subject.kind, subject.pk, view="print"),
        "fixed_period": subject.period is not None,
    }
    template = "reports/print.jinja" if printable else "reports/report.jinja"
    if period is None:
        # A period that cannot be read: the chooser with its message, and no figures.
        return render(request, template, {**base, "period": None})
    built = _build(request, subject, period, today, shared=printable)
    shown, rule, exact = built.shown, built.rule, built.exact
    generated_at = timezone.now()
    audit.record(
        action="reports.printed" if printable else "reports.viewed",
        actor=request.actor,
        object_type=_AUDIT_TYPES[subject.kind],
        object_id=str(subject.pk),
        detail={**_scope_detail(subject, period), "suppressed": rule is not None},
    )
    sections = presenters.section_views(shown, prefix="print" if printable else "report")
    return render(
        request,
        template,
        {
            **base,
            "period": period,
            "period_text": presenters.period_text(period),
            "title": presenters.report_title(subject, period),
            "for_whom": presenters.audience_text(subject),
            "generated": presenters.generated_text(generated_at),
            "kept": presenters.kept_text(built.worked_out_at),
            "covers": shown.scope.label or subject.covers,
            "audience_note": presenters.audience_note(exact),
            "sections": sections,
            "contents": presenters.contents(sections),
            "about": presenters.about_notes(shown, rule),
            "data_notes": list(shown.notes),
            "rule_note": suppression.rule_note(rule),
            "downloads": presenters.download_links(subject, period),
            "sites": presenters.site_links(subject, period),
            "report_url": presenters.subject_url(subject, period),
        },
    )


def _download(request: ScopedRequest, subject: Subject, extension: str) -> HttpResponse:
    today = timezone.localdate()
    _chooser, period = _chosen(request, subject, today)
    if period is None:
        # Downloads are links from a report page, so this is an edited address: show the page
        # with the chooser and its message rather than an empty file.
        return _report_page(request, subject, printable=False)
    built = _build(request, subject, period, today, shared=True)
    shown, rule = built.shown, built.rule
    generated_at = built.worked_out_at or timezone.now()
    title = presenters.report_title(subject, period)
    note = suppression.rule_note(rule)
    audit.record(
        action="reports.exported",
        actor=request.actor,
        object_type=_AUDIT_TYPES[subject.kind],
        object_id=str(subject.pk),
        detail={**_scope_detail(subject, period), "format": extension, "suppressed": rule is not None},
    )
    if extension == "csv":
        body: str | bytes = exports.to_csv(shown, title=title, generated_at=generated_at, note=note)
        content_type = "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(shown, title=title, generated_at=generated_at, note=note)
        content_type = XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{presenters.file_name(subject, period, extension)}"'
    return response


def _views(load: Callable[[ScopedRequest, uuid.UUID], Subject], param: str) -> dict[str, Callable[..., HttpResponse]]:
    """The four views of one kind of report: page, printable report, CSV and Excel. `param` is
    the address's name for the id (team_id, organisation_id, area_id)."""

    @require_GET
    def page(request: ScopedRequest, **ids: uuid.UUID) -> HttpResponse:
        return _report_page(request, load(request, ids[param]), printable=False)

    @require_GET
    def printable(request: ScopedRequest, **ids: uuid.UUID) -> HttpResponse:
        return _report_page(request, load(request, ids[param]), printable=True)

    @require_GET
    def csv(request: ScopedRequest, **ids: uuid.UUID) -> HttpResponse:
        return _download(request, load(request, ids[param]), "csv")

    @require_GET
    def xlsx(request: ScopedRequest, **ids: uuid.UUID) -> HttpResponse:
        return _download(request, load(request, ids[param]), "xlsx")

    return {"page": page, "print": printable, "csv": csv, "xlsx": xlsx}


def _team(request: ScopedRequest, team_id: uuid.UUID) -> Subject:
    return reports_scope.team_subject(request.scope, team_id, request.GET.get("site"))


def _organisation(request: ScopedRequest, organisation_id: uuid.UUID) -> Subject:
    return reports_scope.organisation_subject(request.scope, organisation_id)


def _area(request: ScopedRequest, area_id: uuid.UUID) -> Subject:
    return reports_scope.area_subject(request.scope, area_id)


def _agreement(request: ScopedRequest, agreement_id: uuid.UUID) -> Subject:
    return reports_scope.agreement_subject(request.scope, agreement_id)


team = _views(_team, "team_id")
organisation = _views(_organisation, "organisation_id")
area = _views(_area, "area_id")
agreement = _views(_agreement, "agreement_id")
