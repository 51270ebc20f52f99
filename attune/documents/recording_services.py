"""Video-feedback recordings: uploading one for a session, making a training copy, and erasing
(on the service's date, when consent is withdrawn, or by hand). Each is one action, audited in
the same transaction (DESIGN.md convention 4).

Consent rules (domain reference G.3, AVIGuk code of practice): nobody is filmed without their
video-recording consent; a training copy needs everyone's training consent; withdrawing
recording consent erases that person's recordings at once, and withdrawing training consent
their training copies (withdrawing supervision consent only stops supervisors watching)."""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from attune.care.models import CANCELLED, Appointment, Episode, EventKind
from attune.core import audit, clocks
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.models import TaskKind
from attune.core.tasks import close_tasks, raise_task
from attune.documents import recording_files as files
from attune.documents.recording_models import ErasureReason, Recording, RecordingPurpose
from attune.families.consent import current_consents
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.models import Carer, Infant

logger = logging.getLogger(__name__)

Person = Infant | Carer

# How the consent a purpose needs reads in "Record Amy Khan's consent to ... first".
CONSENT_WORDS = {
    ConsentPurpose.VIDEO_RECORDING: "video recording",
    ConsentPurpose.VIDEO_SUPERVISION: "use of recordings in supervision",
    ConsentPurpose.VIDEO_TRAINING: "use of recordings in training",
}

SYSTEM = "recording erasure"


class RecordingError(Exception):
    """A change the rules do not allow; the message is fit to show the person, next to `field`
    (the form field it is about: "people" or "video"; "" for the page)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def person_name(person: Person) -> str:
    return person.display_name if isinstance(person, Infant) else (person.full_name or "This carer")


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def people_of(recording: Recording) -> list[Person]:
    """Everyone in the recording (prefetch infants and carers to keep this free)."""
    return [*recording.infants.all(), *recording.carers.all()]


def without_consent(people: Sequence[Person], purpose: str) -> list[Person]:
    """Those of `people` whose current decision about `purpose` is not a standing "given": one query."""
    consents = current_consents(people)
    return [person for person in people if not _given(consents.get((str(person.pk), purpose)))]


def _given(consent: Consent | None) -> bool:
    return consent is not None and consent.is_given


def consent_problem(people: Sequence[Person], purpose: str) -> str:
    missing = without_consent(people, purpose)
    if not missing:
        return ""
    names = [possessive(person_name(person)) for person in missing]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Record {who} consent to {CONSENT_WORDS[ConsentPurpose(purpose)]} first"


# The erasure date ---------------------------------------------------------------------------


def episode_ended_on(episode: Episode) -> dt.date | None:
    """The day the episode ended (its discharge), or None while it is open."""
    if episode.last_event_kind != EventKind.DISCHARGED:
        return None
    return timezone.localdate(episode.last_event_at)


def erase_on(recording: Recording) -> dt.date | None:
    """When the service's rule erases it: months after the episode ends (a setting). None for an
    open episode, and for a training copy, which is kept while everyone's training consent
    stands (withdrawing it erases the copy) or until erased by hand."""
    if recording.purpose == RecordingPurpose.TRAINING:
        return None
    ended = episode_ended_on(recording.episode)
    if ended is None:
        return None
    return clocks.add_months(ended, settings.ATTUNE_RECORDING_ERASE_AFTER_MONTHS)


# Uploading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """The file as the view received it: its content, the name the device gave it."""

    file: File
    name: str


def check_file(upload: Upload | None) -> tuple[str, str]:
    """(content type, "") for a video we keep, or ("", the message to show)."""
    if upload is None:
        return "", "Select a video to upload"
    size = upload.file.size or 0
    if size <= 0:
        return "", "The selected file is empty"
    limit = int(settings.ATTUNE_RECORDING_MAX_MB)
    if size > files.max_bytes():
        return "", f"The selected file must be smaller than {files.size_text(limit)}"
    content_type = files.video_type(files.read_head(upload.file))
    if not content_type:
        return "", "The selected file must be an MP4, MOV or WebM video"
    return content_type, ""


@transaction.atomic
def upload_recording(
    *,
    actor: Actor,
    appointment: Appointment,
    infants: Iterable[Infant],
    carers: Iterable[Carer],
    upload: Upload | None,
) -> Recording:
    """Keep a video of a session. Refused unless everyone chosen is in the family and has given
    consent to video recording, and the file is a video within the size limit (its type read
    from its content, not its name)."""
    episode = appointment.episode
    infants, carers = list(infants), list(carers)
    people: list[Person] = [*infants, *carers]
    if not people:
        raise RecordingError("Select who is in the recording", field="people")
    if any(person.family_id != episode.family_id for person in people):
        raise RecordingError("Select only people in this family", field="people")
    if appointment.attendance in CANCELLED:
        raise RecordingError("This appointment was cancelled, so it has no recording")
    problem = consent_problem(people, ConsentPurpose.VIDEO_RECORDING)
    if problem:
        raise RecordingError(problem, field="people")
    content_type, problem = check_file(upload)
    if problem or upload is None:
        raise RecordingError(problem, field="video")
    name = files.stored_name(upload.name, content_type)
    digest = files.sha256_of(upload.file)
    path = files.save(upload.file, name)
    try:
        recording = Recording.objects.create(
            appointment=appointment,
            episode=episode,
            family_id=episode.family_id,
            purpose=RecordingPurpose.SESSION,
            stored_path=path,
            file_name=name,
            content_type=content_type,
            size=upload.file.size or 0,
            sha256=digest,
            uploaded_by=actor.person,
            uploaded_at=timezone.now(),
        )
        recording.infants.set(infants)
        recording.carers.set(carers)
        audit.record(
            action="recording.uploaded",
            actor=actor,
            obj=recording,
            family_id=episode.family_id,
            detail={"appointment": str(appointment.pk), "type": content_type, "size": recording.size},
        )
    except BaseException:
        # Nothing is kept of a recording that was not recorded. (Views call this outside any
        # other transaction, so once this block has written the row, the row is committed.)
        files.delete(path)
        raise
    return recording


# Training copies ----------------------------------------------------------------------------


@transaction.atomic
def make_training_copy(*, actor: Actor, recording: Recording) -> Recording:
    """A copy of a session's recording for use in training, with a file of its own (it outlives
    the session's recording). Only with everyone's training consent."""
    source = Recording.objects.select_for_update().get(pk=recording.pk)
    if source.erased_at is not None:
        raise RecordingError(f"This recording was erased on {date_long(source.erased_at)}")
    if source.purpose != RecordingPurpose.SESSION:
        raise RecordingError("This is already a training copy")
    people = people_of(recording)
    problem = consent_problem(people, ConsentPurpose.VIDEO_TRAINING)
    if problem:
        raise RecordingError(problem)
    path = files.copy(source.stored_path, source.file_name)
    try:
        copy = Recording.objects.create(
            appointment_id=source.appointment_id,
            episode_id=source.episode_id,
            family_id=source.family_id,
            purpose=RecordingPurpose.TRAINING,
            copied_from=source,
            stored_path=path,
            file_name=source.file_name,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
            uploaded_by=actor.person,
            uploaded_at=timezone.now(),
        )
        copy.infants.set(recording.infants.all())
        copy.carers.set(recording.carers.all())
        audit.record(
            action="recording.training_copy_made",
            actor=actor,
            obj=copy,
            family_id=source.family_id,
            detail={"copied_from": str(source.pk)},
        )
    except BaseException:
        files.delete(path)
        raise
    return copy


# Erasure ------------------------------------------------------------------------------------


@transaction.atomic
def erase_recording(*, actor: Actor, recording: Recording, reason: str, note: str = "") -> Recording:
    """Delete the file (once the transaction commits, so a rolled-back erasure keeps it) and keep
    the row as the record: when, by whom, why."""
    if reason not in ErasureReason.values:
        raise RecordingError("Select why the recording is being erased")
    note = " ".join(note.split())
    if reason == ErasureReason.BY_HAND and not note:
        raise RecordingError("Enter why you are erasing this recording")
    if len(note) > 500:
        raise RecordingError("Why you are erasing it must be 500 characters or fewer")
    locked = Recording.objects.select_for_update().get(pk=recording.pk)
    if locked.erased_at is not None:
        raise RecordingError(f"This recording was already erased on {date_long(locked.erased_at)}")
    locked.erased_at = timezone.now()
    locked.erased_by = actor.user
    locked.erasure_reason = reason
    locked.erasure_note = note
    locked.save(update_fields=["erased_at", "erased_by", "erasure_reason", "erasure_note", "updated_at"])
    close_tasks(kind=TaskKind.RECORDING_ERASURE, about=locked, actor=actor, note="Recording erased")
    audit.record(
        action="recording.erased",
        actor=actor,
        obj=locked,
        family_id=locked.family_id,
        detail={"reason": reason, "purpose": locked.purpose},
    )
    path = locked.stored_path
    transaction.on_commit(lambda: files.delete(path))
    for field in ("erased_at", "erased_by", "erasure_reason", "erasure_note"):
        setattr(recording, field, getattr(locked, field))
    return recording


def erase_for_withdrawal(actor: Actor, consent: Consent) -> None:
    """The consent-withdrawal hook (families.consent.register_withdrawal_hook), run inside the
    withdrawal's transaction: withdrawing video-recording consent erases every recording the
    person is in (training copies too: they did not agree to be filmed at all); withdrawing
    training consent erases their training copies. Supervision consent needs no erasure: the
    scope checks it on every watch."""
    if consent.purpose == ConsentPurpose.VIDEO_RECORDING:
        purposes = [RecordingPurpose.SESSION, RecordingPurpose.TRAINING]
    elif consent.purpose == ConsentPurpose.VIDEO_TRAINING:
        purposes = [RecordingPurpose.TRAINING]
    else:
        return
    person: dict[str, object] = {"infants": consent.infant_id} if consent.infant_id else {"carers": consent.carer_id}
    for recording in Recording.objects.kept().filter(purpose__in=purposes, **person).order_by("uploaded_at"):
        erase_recording(actor=actor, recording=recording, reason=ErasureReason.CONSENT_WITHDRAWN)


# The daily job ------------------------------------------------------------------------------


def _candidates(today: dt.date) -> list[Recording]:
    """Session recordings still kept whose episode ended long enough ago to be due within the
    warning days. The bound is loose (a month is at least 28 days); erase_on decides exactly."""
    months = settings.ATTUNE_RECORDING_ERASE_AFTER_MONTHS
    latest_end = today + dt.timedelta(days=settings.ATTUNE_RECORDING_ERASE_WARNING_DAYS - 28 * months + 1)
    before = dt.datetime.combine(latest_end, dt.time(), tzinfo=timezone.get_current_timezone())
    return list(
        Recording.objects.kept()
        .filter(
            purpose=RecordingPurpose.SESSION,
            episode__last_event_kind=EventKind.DISCHARGED,
            episode__last_event_at__lt=before,
        )
        .select_related("episode", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def erase_due_recordings(today: dt.date | None = None) -> dict[str, int]:
    """The daily job: warn each uploader (a task) the warning days before a recording's erasure
    date, and erase those due. Each erasure is its own transaction, so one failure stops no other."""
    today = today or timezone.localdate()
    warn_from = today + dt.timedelta(days=settings.ATTUNE_RECORDING_ERASE_WARNING_DAYS)
    actor = Actor.system(SYSTEM)
    counts = {"warned": 0, "erased": 0}
    failed = 0
    for recording in _candidates(today):
        due = erase_on(recording)
        if due is None or due > warn_from:
            continue
        if due <= today:
            try:
                erase_recording(actor=actor, recording=recording, reason=ErasureReason.END_OF_EPISODE)
            except Exception:
                logger.exception("Recording %s could not be erased", recording.pk)
                failed += 1
                continue
            counts["erased"] += 1
        elif recording.uploaded_by.is_active:
            raise_task(
                kind=TaskKind.RECORDING_ERASURE,
                assignee=recording.uploaded_by,
                title=f"A video recording will be erased on {date_long(due)}",
                about=recording,
                facts={"erase_on": due.isoformat()},
                due_at=dt.datetime.combine(due, dt.time(9), tzinfo=timezone.get_current_timezone()),
                actor=actor,
            )
            counts["warned"] += 1
    if counts["erased"] or counts["warned"]:
        logger.info("Recordings: %(erased)s erased, %(warned)s erasure warnings", counts)
    if failed:
        # The worker records the job as failed and tries again (core.worker).
        raise RuntimeError(f"{failed} recordings due could not be erased")
    return counts
