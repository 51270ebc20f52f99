"""Erasing recordings: the service's date after the episode ends (with a task before it), consent
withdrawn, and by hand; and training copies, which need everyone's training consent."""

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import EventKind
from attune.care.services import append_event
from attune.core.actors import Actor
from attune.core.clocks import add_months
from attune.core.formatting import date_long
from attune.core.models import AuditEvent, Task, TaskKind
from attune.documents import recording_files, recording_services
from attune.documents.recording_models import ErasureReason, Recording, RecordingPurpose
from attune.documents.recording_services import erase_due_recordings, erase_on
from attune.documents.tests.test_recordings import Scene, as_user, consent, own_storage, scene
from attune.families.consent import withdraw_consent
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.tests.factories import CarerFactory

__all__ = ["as_user", "own_storage", "scene"]  # fixtures shared with test_recordings


@pytest.fixture
def kept(scene: Scene) -> Recording:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    return scene.record()


def end_episode(scene: Scene, on: dt.date) -> None:
    moment = dt.datetime.combine(on, dt.time(15), tzinfo=timezone.get_current_timezone())
    append_event(episode=scene.episode, kind=EventKind.DISCHARGED, at=moment, by=scene.practitioner)


def fresh(recording: Recording) -> Recording:
    return Recording.objects.select_related("episode").get(pk=recording.pk)


def page(client: Client, recording: Recording) -> str:
    return html.unescape(client.get(reverse("documents:recording", args=[recording.pk])).content.decode())


def test_the_erasure_date_is_months_after_the_episode_ends(
    scene: Scene, kept: Recording, as_user: Callable[[User], Client]
) -> None:
    client = as_user(scene.practitioner)
    assert erase_on(fresh(kept)) is None
    assert "Erased 2 months after the episode ends" in page(client, kept)

    ended = timezone.localdate() - dt.timedelta(days=1)  # before now, whatever the hour, for the reopening below
    end_episode(scene, ended)
    assert erase_on(fresh(kept)) == add_months(ended, 2)
    assert f"To be erased on {date_long(add_months(ended, 2))}" in page(client, kept)

    # Reopened: the clock stops again.
    append_event(episode=scene.episode, kind=EventKind.REOPENED, at=timezone.now(), by=scene.practitioner)
    assert erase_on(fresh(kept)) is None


def test_the_period_is_a_setting(scene: Scene, kept: Recording, settings: Any) -> None:
    settings.ATTUNE_RECORDING_ERASE_AFTER_MONTHS = 6
    ended = timezone.localdate()
    end_episode(scene, ended)
    assert erase_on(fresh(kept)) == add_months(ended, 6)


def test_the_job_warns_the_uploader_then_erases_on_the_date(
    scene: Scene,
    kept: Recording,
    as_user: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ended = timezone.localdate() - dt.timedelta(days=70)
    end_episode(scene, ended)
    due = add_months(ended, 2)
    client = as_user(scene.practitioner)
    stream_path = reverse("documents:recording_stream", args=[kept.pk])
    stream = stream_path + page(client, kept).split(stream_path)[1].split('"')[0]

    assert erase_due_recordings(today=due - dt.timedelta(days=15)) == {"warned": 0, "erased": 0}
    assert erase_due_recordings(today=due - dt.timedelta(days=14)) == {"warned": 1, "erased": 0}
    erase_due_recordings(today=due - dt.timedelta(days=3))  # raised again: still the one task
    task = Task.objects.get(kind=TaskKind.RECORDING_ERASURE)
    assert task.assignee == scene.practitioner
    assert task.title == f"A video recording will be erased on {date_long(due)}"
    assert task.url == reverse("documents:recording", args=[kept.pk])

    with django_capture_on_commit_callbacks(execute=True):
        assert erase_due_recordings(today=due) == {"warned": 0, "erased": 1}

    erased = fresh(kept)
    assert erased.erased_at is not None
    assert erased.erasure_reason == ErasureReason.END_OF_EPISODE
    assert erased.erased_by is None
    assert not recording_files.exists(erased.stored_path)
    task.refresh_from_db()
    assert task.closed_at is not None
    event = AuditEvent.objects.get(action="recording.erased")
    assert event.family_id == scene.episode.family_id
    assert event.detail["reason"] == "end_of_episode"
    text = page(client, kept)
    assert f"Erased on {date_long(erased.erased_at)} (end of episode rule)" in text
    assert "<video" not in text
    assert client.get(stream).status_code == 410
    # Nothing left to do the next day.
    assert erase_due_recordings(today=due + dt.timedelta(days=1)) == {"warned": 0, "erased": 0}


def test_withdrawing_video_recording_consent_erases_that_persons_recordings_at_once(
    scene: Scene, kept: Recording, django_capture_on_commit_callbacks: Any
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_TRAINING)
    copy = recording_services.make_training_copy(
        actor=Actor.system("test", for_user=scene.practitioner), recording=kept
    )
    # A recording of the baby alone (with another carer) is not the mother's, and stays.
    other = CarerFactory(family=scene.episode.family, given_name="Sam")
    consent(other, ConsentPurpose.VIDEO_RECORDING, by=scene.practitioner)
    without_mother = recording_services.upload_recording(
        actor=Actor.system("test", for_user=scene.practitioner),
        appointment=scene.session,
        infants=[scene.infant],
        carers=[other],
        upload=recording_services.Upload(file=scene_file(), name="second.mp4"),
    )
    given = Consent.objects.get(carer=scene.carer, purpose=ConsentPurpose.VIDEO_RECORDING)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(actor=Actor.system("test", for_user=scene.practitioner), consent=given, how="written")

    for gone in (kept, copy):
        erased = fresh(gone)
        assert erased.erasure_reason == ErasureReason.CONSENT_WITHDRAWN
        assert not recording_files.exists(erased.stored_path)
    assert fresh(without_mother).erased_at is None
    assert recording_files.exists(without_mother.stored_path)


def scene_file() -> Any:
    from attune.documents.tests.test_recordings import mp4

    return mp4()


def test_a_training_copy_needs_everyones_training_consent(
    scene: Scene, kept: Recording, django_capture_on_commit_callbacks: Any
) -> None:
    actor = Actor.system("test", for_user=scene.practitioner)
    consent(scene.carer, ConsentPurpose.VIDEO_TRAINING, by=scene.practitioner)
    with pytest.raises(recording_services.RecordingError, match="consent to use of recordings in training first"):
        recording_services.make_training_copy(actor=actor, recording=kept)
    assert Recording.objects.count() == 1

    training = consent(scene.infant, ConsentPurpose.VIDEO_TRAINING, by=scene.practitioner, carer=scene.carer)
    copy = recording_services.make_training_copy(actor=actor, recording=kept)
    assert copy.purpose == RecordingPurpose.TRAINING
    assert copy.copied_from == kept
    assert copy.stored_path != kept.stored_path
    assert recording_files.exists(copy.stored_path)
    assert set(copy.infants.all()) == {scene.infant}
    assert set(copy.carers.all()) == {scene.carer}
    assert AuditEvent.objects.filter(action="recording.training_copy_made", object_id=str(copy.pk)).exists()
    # The copy outlives the session's recording: the service's rule does not erase it.
    ended = timezone.localdate() - dt.timedelta(days=100)
    end_episode(scene, ended)
    with django_capture_on_commit_callbacks(execute=True):
        erase_due_recordings(today=timezone.localdate())
    assert fresh(kept).erased_at is not None
    assert fresh(copy).erased_at is None
    assert recording_files.exists(copy.stored_path)
    # Withdrawing training consent erases the copy.
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(actor=actor, consent=training, how="spoken")
    assert fresh(copy).erasure_reason == ErasureReason.CONSENT_WITHDRAWN
    assert not recording_files.exists(copy.stored_path)


def test_practitioner_erases_by_hand_with_a_reason(
    scene: Scene,
    kept: Recording,
    as_user: Callable[[User], Client],
    supervisor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("documents:erase_recording", args=[kept.pk])
    scene.consent_all(ConsentPurpose.VIDEO_SUPERVISION)
    assert as_user(supervisor).get(url).status_code == 403
    client = as_user(scene.practitioner)
    assert "Erase this recording" in client.get(url).content.decode()

    refused = client.post(url, {"reason": "  "})
    assert "Enter why you are erasing this recording" in refused.content.decode()
    assert fresh(kept).erased_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "Filmed the wrong family's session by mistake"})
    assert done.status_code == 302
    erased = fresh(kept)
    assert erased.erasure_reason == ErasureReason.BY_HAND
    assert erased.erased_by == scene.practitioner
    assert erased.erasure_note == "Filmed the wrong family's session by mistake"
    assert not recording_files.exists(erased.stored_path)
    text = page(client, kept)
    assert "(by hand)" in text
    assert "Filmed the wrong family's session by mistake" in text
    with pytest.raises(recording_services.RecordingError, match="already erased"):
        recording_services.erase_recording(
            actor=Actor.system("test", for_user=scene.practitioner),
            recording=kept,
            reason=ErasureReason.BY_HAND,
            note="Again",
        )


def test_training_copy_page(scene: Scene, kept: Recording, as_user: Callable[[User], Client]) -> None:
    url = reverse("documents:training_copy", args=[kept.pk])
    client = as_user(scene.practitioner)
    assert "Make a training copy" in client.get(url).content.decode()
    refused = html.unescape(client.post(url).content.decode())
    assert "Record Zara Khan's and Amy Khan's consent to use of recordings in training first" in refused
    scene.consent_all(ConsentPurpose.VIDEO_TRAINING)
    made = client.post(url)
    copy = Recording.objects.get(purpose=RecordingPurpose.TRAINING)
    assert made["Location"] == reverse("documents:recording", args=[copy.pk])
    assert "Kept for training while everyone in it consents" in page(client, copy)


def test_supervisors_watch_a_training_copy_only_with_everyones_training_consent(
    scene: Scene, kept: Recording, as_user: Callable[[User], Client], supervisor: User
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_SUPERVISION)
    consent(scene.carer, ConsentPurpose.VIDEO_TRAINING, by=scene.practitioner)
    training = consent(scene.infant, ConsentPurpose.VIDEO_TRAINING, by=scene.practitioner, carer=scene.carer)
    copy = recording_services.make_training_copy(
        actor=Actor.system("test", for_user=scene.practitioner), recording=kept
    )
    client = as_user(supervisor)
    assert client.get(reverse("documents:recording", args=[copy.pk])).status_code == 200
    # The baby's training consent is replaced by a refusal: the copy is erased, and its record
    # stays out of the supervisor's reach.
    consent(scene.infant, ConsentPurpose.VIDEO_TRAINING, by=scene.practitioner, carer=scene.carer, decision="refused")
    training.refresh_from_db()
    assert training.withdrawn_at is not None
    assert fresh(copy).erasure_reason == ErasureReason.CONSENT_WITHDRAWN
    assert client.get(reverse("documents:recording", args=[copy.pk])).status_code == 403
    assert client.get(reverse("documents:recording", args=[kept.pk])).status_code == 200


def test_the_job_and_the_task_link_are_registered() -> None:
    from attune.core import jobs, links
    from attune.core.models import Task

    job = jobs.get("erase_recordings")
    assert job is not None
    assert job.every == dt.timedelta(days=1)
    task = Task(kind=TaskKind.RECORDING_ERASURE, about_id="7a1f3c1e-0000-4000-8000-000000000000")
    assert links.task_link(task) == "/recordings/7a1f3c1e-0000-4000-8000-000000000000"
