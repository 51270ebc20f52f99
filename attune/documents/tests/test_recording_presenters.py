"""What the recording pages say, worked out without the database."""

import datetime as dt

import pytest
from django.utils import timezone

from attune.care.models import Appointment, Episode, EventKind
from attune.documents.recording_models import ErasureReason, Recording, RecordingPurpose
from attune.documents.recording_presenters import erasure_text, size_text, title
from attune.documents.recording_services import consent_problem, possessive


def recording(*, ended: dt.datetime | None = None, **fields: object) -> Recording:
    episode = Episode(
        last_event_kind=EventKind.DISCHARGED if ended else EventKind.ALLOCATED,
        last_event_at=ended or dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC),
    )
    session = Appointment(kind="home_visit", starts_at=dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))
    return Recording(episode=episode, appointment=session, **fields)


def test_erasure_text_while_the_episode_is_open() -> None:
    assert erasure_text(recording()) == "Erased 2 months after the episode ends"


def test_erasure_text_once_the_episode_has_ended() -> None:
    ended = dt.datetime(2026, 12, 31, 15, tzinfo=dt.UTC)
    # Two months after 31 December is the last day of February.
    assert erasure_text(recording(ended=ended)) == "To be erased on 28 February 2027"


def test_erasure_text_once_erased() -> None:
    erased = recording(erased_at=dt.datetime(2027, 2, 6, 2, tzinfo=dt.UTC), erasure_reason=ErasureReason.BY_HAND)
    assert erasure_text(erased) == "Erased on 6 February 2027 (by hand)"


def test_a_training_copy_is_kept_while_consent_stands() -> None:
    copy = recording(purpose=RecordingPurpose.TRAINING, ended=timezone.now())
    assert erasure_text(copy) == "Kept for training while everyone in it consents to its use in training"
    assert title(copy).startswith("Training copy of the recording of home visit, 3 December 2026")


def test_title_names_the_session() -> None:
    assert title(recording()) == "Recording of home visit, 3 December 2026"


@pytest.mark.parametrize(
    ("size", "text"),
    [(1, "1 byte"), (840, "840 bytes"), (12 * 1024, "12 KB"), (int(3.4 * 1024**2), "3.4 MB"), (2 * 1024**3, "2.0 GB")],
)
def test_sizes(size: int, text: str) -> None:
    assert size_text(size) == text


def test_possessives() -> None:
    assert possessive("Amy Khan") == "Amy Khan's"
    assert possessive("James Jones") == "James Jones'"


def test_no_problem_when_nobody_is_missing() -> None:
    assert consent_problem([], "video_recording") == ""
