"""Who may see and watch video recordings (issue 19; domain reference G.3).

A recording is watched by the session's practitioners (first and second), and by the clinical
supervisors of the family's team (a Membership with the supervise capability in the episode's
team: a hub supervisor who supervises a satellite team holds a supervisor membership there, as
the organisations set-up gives them) only while everyone in it has given consent to use in
supervision (for a training copy: in training). Anyone else in the team gets 403; anyone outside
it, 404. Consent is read on every request, so a withdrawal stops a supervisor at once.
"""

import uuid
from typing import Literal

from django.core import signing
from django.db.models import Prefetch, QuerySet

from attune.care import scope as care_scope
from attune.care.models import Appointment
from attune.documents.recording_models import Recording, RecordingPurpose
from attune.documents.recording_services import people_of, without_consent
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.models import Carer, Infant
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope

OBJECT_TYPE = "documents.recording"
# A watch lasts a working day: long enough for a long session watched with pauses.
WATCH_SECONDS = 12 * 60 * 60
WATCH_SALT = "attune.documents.recording-watch"

Watcher = Literal["practitioner", "supervisor"]


def _with_people() -> QuerySet[Recording]:
    return Recording.objects.select_related(
        "appointment__practitioner",
        "appointment__second_practitioner",
        "episode__team",
        "family",
        "uploaded_by",
        "erased_by",
        "copied_from",
    ).prefetch_related(
        Prefetch("infants", queryset=Infant.objects.order_by("created_at")),
        Prefetch("carers", queryset=Carer.objects.order_by("created_at")),
    )


def is_session_practitioner(scope: Scope, appointment: Appointment) -> bool:
    return scope.user.pk in {appointment.practitioner_id, appointment.second_practitioner_id}


def supervision_purpose(recording: Recording) -> str:
    """The consent a supervisor needs from everyone in it to watch it."""
    if recording.purpose == RecordingPurpose.TRAINING:
        return ConsentPurpose.VIDEO_TRAINING
    return ConsentPurpose.VIDEO_SUPERVISION


def watcher(scope: Scope, recording: Recording) -> Watcher | None:
    """Why this person may watch the recording, or None."""
    if is_session_practitioner(scope, recording.appointment):
        return "practitioner"
    supervises = recording.episode.team_id in scope.team_ids(Capability.SUPERVISE)
    if supervises and not without_consent(people_of(recording), supervision_purpose(recording)):
        return "supervisor"
    return None


def get_recording(scope: Scope, recording_id: uuid.UUID) -> tuple[Recording, Watcher]:
    """The recording for its page and its stream: 404 outside the episode's team, 403 for anyone
    in it who may not watch it (both audited)."""
    recording = scope.get(_with_people(), recording_id, team="episode__team", see=Capability.WORK_WITH_FAMILIES)
    who = watcher(scope, recording)
    if who is None:
        raise scope.forbidden(OBJECT_TYPE, recording_id)
    return recording, who


def get_own_recording(scope: Scope, recording_id: uuid.UUID) -> Recording:
    """A recording of a session the person held, for erasing it by hand or copying it for
    training: 404 outside the team, 403 for anyone but the session's practitioners."""
    recording = scope.get(_with_people(), recording_id, team="episode__team", see=Capability.WORK_WITH_FAMILIES)
    if not is_session_practitioner(scope, recording.appointment):
        raise scope.forbidden(OBJECT_TYPE, recording_id)
    return recording


def appointment_for_upload(scope: Scope, appointment_id: uuid.UUID) -> Appointment:
    """The session to add a recording to: 404 outside its team, 403 for anyone but its
    practitioners (who film it)."""
    appointment = care_scope.get_appointment(scope, appointment_id)
    if not is_session_practitioner(scope, appointment):
        raise scope.forbidden("care.appointment", appointment_id)
    return appointment


def session_recordings(appointment: Appointment) -> list[Recording]:
    """The session's recordings, erased ones too (the record of them stays), oldest first."""
    return list(_with_people().filter(appointment=appointment).order_by("uploaded_at", "pk"))


def _given(consent: Consent | None) -> bool:
    return consent is not None and consent.is_given


# Watching: one audit event per watch ---------------------------------------------------------
# The page records "recording.watched" once and gives the <video> a signed watch token in its
# stream address; the browser's many range requests for that watch carry the token and are not
# audited again. A stream request without a valid token (forged, another person's, expired) is
# refused, so no bytes are sent that no audit event covers.


def watch_token(scope: Scope, recording: Recording) -> str:
    return signing.dumps({"r": str(recording.pk), "u": str(scope.user.pk)}, salt=WATCH_SALT, compress=False)


def check_watch(scope: Scope, recording: Recording, token: str) -> None:
    """404 (audited) unless `token` is this person's watch of this recording, still current."""
    try:
        value = signing.loads(token, salt=WATCH_SALT, max_age=WATCH_SECONDS)
    except signing.BadSignature:
        value = None
    if not isinstance(value, dict) or value.get("r") != str(recording.pk) or value.get("u") != str(scope.user.pk):
        raise scope.not_found(OBJECT_TYPE, recording.pk)
