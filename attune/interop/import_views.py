"""Import a caseload: download the template, upload a file, watch its dry run, read the report,
start the import, watch its progress and read the result. For a team's lead, or a system
administrator of the organisation that runs the team (import_scope)."""

import contextlib
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attune.core import audit, paging
from attune.documents import files
from attune.interop import import_forms as forms
from attune.interop import import_presenters as presenters
from attune.interop import import_progress, import_reading, import_scope, import_services, import_template
from attune.interop.import_models import ImportState
from attune.organisations.scope import ScopedRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The progress page asks again this often while the import runs (no script needed).
REFRESH_SECONDS = 5


@require_GET
def template(request: ScopedRequest) -> HttpResponse:
    import_scope.teams(request.scope)
    audit.record(action="import.template_downloaded", actor=request.actor, object_type="interop.importrun")
    response = HttpResponse(import_template.template_workbook(import_services.codes()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="attune-caseload-template.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response


@csrf_exempt
def upload(request: HttpRequest) -> HttpResponse:
    # The upload handler must be in place before anything reads the body (the CSRF check does):
    # so the check is made after it, as the documents' upload does.
    limit = import_services.max_bytes()
    request.upload_handlers = [files.LimitedUploadHandler(request, max_bytes=limit)]
    return _upload(request)  # type: ignore[arg-type]  # ScopeMiddleware made it one


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload(request: ScopedRequest) -> HttpResponse:
    teams = import_scope.teams(request.scope)
    posted = request.method == "POST"
    form = forms.UploadForm(request.POST if posted else None, request.FILES if posted else None, teams=teams)
    if not posted:
        audit.record(action="import.upload_viewed", actor=request.actor, object_type="interop.importrun")
        return _upload_page(request, form)
    too_big = files.too_big(request)
    valid = form.is_valid()
    if too_big is not None:
        form.errors.pop("file", None)
        limit = import_services.max_bytes() // (1024 * 1024)
        form.refuse_file(f"{files.safe_name(too_big)} is larger than {limit} MB. Split it into smaller files")
        return _upload_page(request, form, status=400)
    if not valid:
        return _upload_page(request, form, status=400)
    team = import_scope.get_team(request.scope, form.cleaned_data["team"])
    upload = form.cleaned_data["file"]
    try:
        run = import_services.receive(
            actor=request.actor,
            team=team,
            content=upload.read(),
            name=upload.name or "",
            csv_kind=form.cleaned_data.get("csv_kind") or "",
        )
    except import_reading.FileRefused as refused:
        form.refuse_file(str(refused))
        return _upload_page(request, form, status=400)
    return redirect("interop:import_run", run_id=run.pk)


def _upload_page(request: ScopedRequest, form: forms.UploadForm, *, status: int = 200) -> HttpResponse:
    limit = import_services.max_bytes() // (1024 * 1024)
    return render(request, "interop/import_upload.jinja", {"form": form, "max_mb": limit}, status=status)


@require_GET
def run_page(request: ScopedRequest, run_id: uuid.UUID) -> HttpResponse:
    run = import_scope.get_run(request.scope, run_id)
    audit.record(action="import.viewed", actor=request.actor, obj=run)
    state = ImportState(run.state)
    context: dict[str, object] = {"run": run, "state_tag": presenters.state_tag(run), "state": state.value}
    if state == ImportState.HAS_PROBLEMS:
        shown = paging.paging(
            run.problems, request, per_page=presenters.PROBLEMS_PER_PAGE, one="problem", many="problems"
        )
        context.update(
            heading=presenters.problems_heading(run),
            summary_rows=presenters.summary_rows(run),
            problem_rows=presenters.problem_rows(list(shown.page.object_list)),
            paging=shown,
        )
    if state in (ImportState.READY, ImportState.IMPORTED):
        finished = state == ImportState.IMPORTED
        context.update(
            count_rows=presenters.count_rows(run, finished=finished),
            count_head=presenters.counts_heading(finished=finished),
            caseloads_url=reverse("care:team_caseloads", args=[run.team_id]),
            waiting_url=reverse("care:waiting_list", args=[run.team_id]),
        )
    if state == ImportState.CHECKING:
        stage = presenters.checking_stage(run, import_progress.read(run.pk), timezone.now())
        context.update(checking=stage, refresh=REFRESH_SECONDS)
    if state in (ImportState.QUEUED, ImportState.RUNNING):
        bar = presenters.progress_bar(run, import_progress.read(run.pk), timezone.now())
        context.update(progress=bar, refresh=REFRESH_SECONDS)
    response = render(request, "interop/import_run.jinja", context)
    if "refresh" in context:
        # The page asks again by itself while the import runs: no script needed.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_GET
def problems_csv(request: ScopedRequest, run_id: uuid.UUID) -> HttpResponse:
    run = import_scope.get_run(request.scope, run_id)
    audit.record(
        action="import.report_downloaded", actor=request.actor, obj=run, detail={"problems": run.problem_count}
    )
    # A byte-order mark, so Excel reads the report as UTF-8.
    response = HttpResponse("\ufeff" + presenters.problems_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-problems.csv"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
def start(request: ScopedRequest, run_id: uuid.UUID) -> HttpResponse:
    run = import_scope.get_run(request.scope, run_id)
    # A run not ready to import (already started, or with problems) is left as it is: its page
    # says what state it is in.
    with contextlib.suppress(import_services.ImportRefused):
        import_services.queue_import(actor=request.actor, run=run)
    return redirect("interop:import_run", run_id=run.pk)
