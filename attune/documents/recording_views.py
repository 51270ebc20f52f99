"""Video recording pages: add one to a session (from a phone or tablet), watch one, its stream
(HTTP range requests, never cached), erase one by hand, and copy one for training. Every page
is reached through recording_scope (a stranger gets 404, anyone else who may not watch 403),
shows the family's safeguarding banner and records that it was read."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from attune.core import audit
from attune.core.formatting import date_long
from attune.documents import files, recording_scope, recording_services
from attune.documents import recording_files as video_files
from attune.documents import recording_forms as forms
from attune.documents import recording_presenters as presenters
from attune.documents.recording_models import ErasureReason, Recording, RecordingPurpose
from attune.families.models import Carer, Infant
from attune.families.pages import family_page, record_read
from attune.organisations.scope import ScopedRequest

# Adding a recording to a session ---------------------------------------------------------------


@csrf_exempt
def new_recording(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    # The upload handler must be in place before anything reads the body, and the CSRF check
    # reads it: so the check is made by _new_recording, after (Django's documented way).
    request.upload_handlers = [files.LimitedUploadHandler(request, max_bytes=video_files.max_bytes())]
    counted = files.count_body(request) if request.method == "POST" else None
    return _new_recording(request, appointment_id, counted)  # type: ignore[arg-type]


@csrf_protect
@require_http_methods(["GET", "POST"])
def _new_recording(
    request: ScopedRequest, appointment_id: uuid.UUID, counted: files.CountedStream | None
) -> HttpResponse:
    appointment = recording_scope.appointment_for_upload(request.scope, appointment_id)
    family = appointment.episode.family
    people: list[Infant | Carer] = [*family.infants.all(), *family.carers.all()]
    attended: list[Infant | Carer] = [*appointment.attended_infants.all(), *appointment.attended_carers.all()]
    initial = {"people": [forms.person_value(person) for person in attended]}
    form = forms.UploadForm(request.POST or None, people=people, initial=initial)
    record_read(request, family, "new_recording")
    if request.method == "POST":
        form.is_valid()
        upload = _upload_of(request)
        # The file's own problems are said beside the people's, so one post shows them all.
        if files.too_big(request) is not None:
            limit = video_files.size_text(settings.ATTUNE_RECORDING_MAX_MB)
            form.add_error("video", f"The selected file must be smaller than {limit}")
        elif counted is not None and files.cut_off(request, counted, file_arrived=upload is not None):
            form.add_error("video", "The selected file did not finish uploading. Try again")
        elif upload is None:
            form.add_error("video", "Select a video to upload")
        if not form.errors:
            infants, carers = form.chosen()
            try:
                recording = recording_services.upload_recording(
                    actor=request.actor, appointment=appointment, infants=infants, carers=carers, upload=upload
                )
            except recording_services.RecordingError as error:
                form.add_error(error.field or "video", str(error))
            else:
                messages.success(request, "Recording uploaded")
                if request.headers.get("X-Upload-Progress"):
                    # The page's script sent it (upload-progress.mjs): it goes there itself.
                    return JsonResponse({"location": reverse("documents:recording", args=[recording.pk])})
                return redirect("documents:recording", recording_id=recording.pk)
    # The session's practitioners (the only people on this page) may watch all of them.
    recordings = recording_scope.session_recordings(appointment)
    return family_page(
        request,
        "documents/recording_upload.jinja",
        family,
        {
            "form": form,
            "appointment": appointment,
            "session": f"{appointment.get_kind_display()}, {date_long(appointment.starts_at)}",
            "rows": presenters.table_rows(recordings, watchable={r.pk for r in recordings}, with_session=False),
            "head": presenters.session_head(),
            "max_size": video_files.size_text(settings.ATTUNE_RECORDING_MAX_MB),
        },
    )


def _upload_of(request: HttpRequest) -> recording_services.Upload | None:
    found = request.FILES.get("video")
    if not isinstance(found, UploadedFile):
        return None
    return recording_services.Upload(file=found, name=found.name or "")


# Watching ----------------------------------------------------------------------------------


@require_GET
def recording(request: ScopedRequest, recording_id: uuid.UUID) -> HttpResponse:
    found, who = recording_scope.get_recording(request.scope, recording_id)
    watchable = found.erased_at is None
    if watchable:
        # One event per watch: the stream's range requests carry the token minted here.
        audit.record(
            action="recording.watched",
            actor=request.actor,
            obj=found,
            family_id=found.family_id,
            detail={"as": who},
        )
    else:
        record_read(request, found.family, "recording", recording=str(found.pk))
    token = recording_scope.watch_token(request.scope, found) if watchable else ""
    is_practitioner = who == "practitioner"
    return family_page(
        request,
        "documents/recording_page.jinja",
        found.family,
        {
            "recording": found,
            "heading": presenters.title(found),
            "rows": presenters.summary_rows(found),
            "stream_url": f"{reverse('documents:recording_stream', args=[found.pk])}?watch={token}",
            "may_erase": is_practitioner and watchable,
            "may_copy": is_practitioner and watchable and found.purpose == RecordingPurpose.SESSION,
        },
    )


@require_GET
def stream(request: ScopedRequest, recording_id: uuid.UUID) -> HttpResponse:
    """The video's bytes, for the page's <video>: range requests answered 206 with just those
    bytes, read from the storage a chunk at a time. Access and consent are checked on every
    request; the audit event is the page's, once per watch (the token)."""
    found, _ = recording_scope.get_recording(request.scope, recording_id)
    recording_scope.check_watch(request.scope, found, request.GET.get("watch", ""))
    if found.erased_at is not None or not video_files.exists(found.stored_path):
        return HttpResponse("This recording has been erased.", status=410, content_type="text/plain")
    size = found.size
    try:
        wanted = video_files.parse_range(request.headers.get("Range", ""), size)
    except video_files.Unsatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return _private(refused, found)
    start, length = (wanted.start, wanted.length) if wanted else (0, size)
    response = StreamingHttpResponse(
        video_files.read_range(found.stored_path, start, length),
        status=206 if wanted else 200,
        content_type=found.content_type,
    )
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
    return _private(response, found)


def _private(response: HttpResponse | StreamingHttpResponse, found: Recording) -> Any:
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{found.file_name}"'
    return response


# Erasing by hand, and training copies --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def erase(request: ScopedRequest, recording_id: uuid.UUID) -> HttpResponse:
    found = recording_scope.get_own_recording(request.scope, recording_id)
    if found.erased_at is not None:
        return redirect("documents:recording", recording_id=found.pk)
    form = forms.EraseForm(request.POST or None)
    record_read(request, found.family, "erase_recording", recording=str(found.pk))
    if request.method == "POST" and form.is_valid():
        try:
            recording_services.erase_recording(
                actor=request.actor, recording=found, reason=ErasureReason.BY_HAND, note=form.cleaned_data["reason"]
            )
        except recording_services.RecordingError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "Recording erased")
            return redirect("documents:recording", recording_id=found.pk)
    return family_page(
        request,
        "documents/recording_erase.jinja",
        found.family,
        {"form": form, "recording": found, "heading": presenters.title(found)},
    )


@require_http_methods(["GET", "POST"])
def training_copy(request: ScopedRequest, recording_id: uuid.UUID) -> HttpResponse:
    found = recording_scope.get_own_recording(request.scope, recording_id)
    record_read(request, found.family, "training_copy", recording=str(found.pk))
    problem = ""
    if request.method == "POST":
        try:
            copy = recording_services.make_training_copy(actor=request.actor, recording=found)
        except recording_services.RecordingError as error:
            problem = str(error)
        else:
            messages.success(request, "Training copy made")
            return redirect("documents:recording", recording_id=copy.pk)
    return family_page(
        request,
        "documents/recording_training_copy.jinja",
        found.family,
        {
            "recording": found,
            "heading": presenters.title(found),
            "people": presenters.people_text(found),
            "problem": problem,
        },
    )
