"""Document pages: upload a document to a family, see one (with its exchange and removal), mark
it sent or received, remove it, and download it. Every page is reached through the family's
scope (a stranger gets 404), shows the family's safeguarding banner and records that it was read;
every download is recorded too."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from attune.core import audit
from attune.documents import document_forms as forms
from attune.documents import document_presenters as presenters
from attune.documents import document_scope, document_services, files
from attune.families import scope as family_scope
from attune.families.models import Carer, Infant
from attune.families.pages import family_page, record_read
from attune.organisations.scope import ScopedRequest


@csrf_exempt
def upload(request: HttpRequest, family_id: uuid.UUID) -> HttpResponse:
    # The upload handler must be set before anything reads the body, and the CSRF check reads
    # it: so the check is made here, after the handler is in place (Django's documented way).
    max_mb = settings.ATTUNE_DOCUMENT_MAX_MB
    request.upload_handlers = [files.LimitedUploadHandler(request, max_bytes=max_mb * 1024 * 1024)]
    counted = files.count_body(request) if request.method == "POST" else None
    return _upload(request, family_id, max_mb, counted)  # type: ignore[arg-type]  # ScopeMiddleware made it one


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload(
    request: ScopedRequest, family_id: uuid.UUID, max_mb: int, counted: files.CountedStream | None
) -> HttpResponse:
    family = family_scope.get_family(request.scope, family_id)
    if family.merged_into_id is not None:
        return redirect("families:family", family_id=family.pk)
    form = forms.UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        family=family,
        infants=list(family.infants.all()),
        carers=list(family.carers.all()),
        episodes=document_scope.episodes_of(request.scope, family),
        max_mb=max_mb,
    )
    record_read(request, family, "upload_document")
    if request.method == "POST":
        refused = files.too_big(request)
        arrived = bool(request.FILES) or refused is not None
        if counted is not None and files.cut_off(request, counted, file_arrived=arrived):
            # Nothing that arrived is kept: the file would be only its first part.
            form.is_valid()
            form.errors.pop("file", None)
            form.refuse_file("The file did not finish uploading. Check your connection, then choose the file again")
            return family_page(request, "documents/document_upload.jinja", family, {"form": form}, status=400)
        if refused is not None:
            form.is_valid()
            form.errors.pop("file", None)
            form.refuse_file(
                f"{files.safe_name(refused)} is larger than {max_mb} MB. Choose a file smaller than {max_mb} MB"
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            person = form.person
            try:
                document = document_services.upload_document(
                    actor=request.actor,
                    family=family,
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    content=upload,
                    name=upload.name or "",
                    size=upload.size or 0,
                    episode=form.chosen_episode,
                    infant=person if isinstance(person, Infant) else None,
                    carer=person if isinstance(person, Carer) else None,
                    direction=form.cleaned_data["direction"] if form.exchanged() else "",
                    agency=form.cleaned_data.get("agency") or "",
                    exchanged_on=form.exchanged_on_value() if form.exchanged() else None,
                )
            except files.UploadRefused as refusal:
                form.refuse_file(str(refusal))
            except document_services.DocumentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Document added: {document.title}.")
                return redirect("documents:document", document_id=document.pk)
    return family_page(request, "documents/document_upload.jinja", family, {"form": form})


@require_GET
def document(request: ScopedRequest, document_id: uuid.UUID) -> HttpResponse:
    found = document_scope.get_document(request.scope, document_id)
    record_read(request, found.family, "document", person_id=found.infant_id or found.carer_id, document=str(found.pk))
    return family_page(
        request,
        "documents/document_page.jinja",
        found.family,
        {
            "document": found,
            "rows": presenters.summary_rows(found),
            "download_url": presenters.download_url(found),
        },
    )


@require_http_methods(["GET", "POST"])
def mark_exchanged(request: ScopedRequest, document_id: uuid.UUID) -> HttpResponse:
    found = document_scope.get_document(request.scope, document_id)
    if found.is_removed:
        raise Http404()
    initial = {"direction": found.direction, "agency": found.agency, "exchanged_on": found.exchanged_on}
    form = forms.MarkExchangedForm(request.POST if request.method == "POST" else None, initial=initial)
    record_read(
        request,
        found.family,
        "mark_document_exchanged",
        person_id=found.infant_id or found.carer_id,
        document=str(found.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document_services.mark_document_exchanged(
                actor=request.actor,
                document=found,
                direction=form.cleaned_data["direction"],
                agency=form.cleaned_data["agency"],
                exchanged_on=form.cleaned_data["exchanged_on"],
            )
        except document_services.DocumentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded: {presenters.exchange_text(found)}.")
            return redirect("documents:document", document_id=found.pk)
    return family_page(request, "documents/document_exchange.jinja", found.family, {"form": form, "document": found})


@require_http_methods(["GET", "POST"])
def remove(request: ScopedRequest, document_id: uuid.UUID) -> HttpResponse:
    found = document_scope.get_document(request.scope, document_id)
    form = forms.RemoveForm(request.POST if request.method == "POST" else None)
    record_read(
        request, found.family, "remove_document", person_id=found.infant_id or found.carer_id, document=str(found.pk)
    )
    if not found.is_removed and request.method == "POST" and form.is_valid():
        try:
            document_services.remove_document(actor=request.actor, document=found, reason=form.cleaned_data["reason"])
        except document_services.DocumentError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"Document removed: {found.title}. The record that it existed is kept.")
            return redirect("documents:document", document_id=found.pk)
    return family_page(request, "documents/document_remove.jinja", found.family, {"form": form, "document": found})


@require_GET
def download(request: ScopedRequest, document_id: uuid.UUID) -> HttpResponseBase:
    """The file, as an attachment under its safe name and the type found from its content; never
    cached, never sniffed into something else by the browser. Each download is recorded."""
    found = document_scope.get_document(request.scope, document_id)
    if found.is_removed or not found.file.name:
        # Said plainly rather than a bare "not found": the record shows it existed.
        record_read(
            request,
            found.family,
            "document_removed",
            person_id=found.infant_id or found.carer_id,
            document=str(found.pk),
        )
        return family_page(request, "documents/document_removed.jinja", found.family, {"document": found}, status=404)
    try:
        handle = files.storage().open(found.file.name, "rb")
    except FileNotFoundError:
        raise Http404() from None
    audit.record(
        action="document.downloaded",
        actor=request.actor,
        obj=found,
        family_id=found.family_id,
        person_id=found.infant_id or found.carer_id,
        detail={"sha256": found.sha256},
    )
    response = FileResponse(
        handle, as_attachment=True, filename=files.safe_name(found.original_name), content_type=found.content_type
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
