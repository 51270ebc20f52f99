"""The MHSDS page: a team lead (or the trust's system administrator) chooses a team and a month and
sees the month's extract checked, table by table, with each finding linked to where it is mended;
then downloads the extract as one zip of CSV files. Reading the report is audited; the download is
an export of personal data, audited once for the team and once for each family in it."""

import datetime as dt
import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attune.core import audit
from attune.interop import mhsds_extract, mhsds_load, mhsds_presenters, mhsds_rules, mhsds_scope
from attune.interop.mhsds_forms import ExtractForm, default_month
from attune.organisations.models import Team
from attune.organisations.scope import ScopedRequest


def _form(request: ScopedRequest, today: dt.date) -> tuple[ExtractForm, Team | None]:
    """The chooser, and the team asked for once the scope has allowed it: a team the person may
    not open is refused (404 or 403) before the form can call it an invalid choice."""
    teams = mhsds_scope.teams(request.scope)
    raw = request.GET.get("team", "").strip()
    asked: Team | None = None
    if raw:
        try:
            team_id = uuid.UUID(raw)
        except ValueError:
            team_id = None
        if team_id is not None:
            asked = mhsds_scope.team(request.scope, team_id, teams)
    if "team" not in request.GET and "month" not in request.GET:
        initial = {"team": str(teams[0].pk), "month": default_month(today).key}
        return ExtractForm(initial=initial, teams=teams, today=today), None
    return ExtractForm(request.GET, teams=teams, today=today), asked


def _page(
    request: ScopedRequest, form: ExtractForm, shown: mhsds_presenters.Report | None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "report": shown,
        "count_head": mhsds_presenters.COUNT_HEAD,
        "finding_head": mhsds_presenters.FINDING_HEAD,
    }
    return render(request, "interop/mhsds_page.jinja", context, status=status)


@require_GET
def extract_page(request: ScopedRequest) -> HttpResponse:
    today = timezone.localdate()
    form, asked = _form(request, today)
    shown = None
    if form.is_bound and form.is_valid() and asked is not None:
        team, month = form.chosen_team(), form.chosen_month()
        extract = mhsds_load.extract_for(team, month)
        validation = mhsds_rules.validate(extract)
        audit.record(
            action="mhsds.report_viewed",
            actor=request.actor,
            obj=team,
            detail={"month": month.key, "errors": len(validation.errors), "warnings": len(validation.warnings)},
        )
        shown = mhsds_presenters.report(
            team_name=team.name,
            team_id=str(team.pk),
            month_key=month.key,
            month_label=month.label,
            extract=extract,
            validation=validation,
        )
    else:
        audit.record(action="mhsds.page_viewed", actor=request.actor)
    return _page(request, form, shown)


@require_GET
def extract_download(request: ScopedRequest) -> HttpResponse:
    today = timezone.localdate()
    form, asked = _form(request, today)
    if not form.is_bound or not form.is_valid() or asked is None:
        # A download is a link from the report, so this is an edited address: show the page
        # with the chooser and its message rather than an empty file.
        return _page(request, form, None, status=400)
    team, month = form.chosen_team(), form.chosen_month()
    extract = mhsds_load.extract_for(team, month)
    families = sorted(extract.family_ids())
    audit.record(
        action="mhsds.extract_downloaded",
        actor=request.actor,
        obj=team,
        detail={"month": month.key, "families": len(families), "rows": dict(extract.counts())},
    )
    audit.record_each_family(
        action="mhsds.family_exported",
        actor=request.actor,
        family_ids=[uuid.UUID(pk) for pk in families],
        detail={"month": month.key, "team": str(team.pk)},
    )
    response = HttpResponse(mhsds_extract.to_zip(extract), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{mhsds_presenters.file_name(extract)}"'
    return response
