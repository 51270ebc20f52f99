"""The stream behind a recording's <video>: HTTP range requests, never cached, one audit event per
watch however many ranges the browser asks for."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.documents import recording_files
from attune.documents.recording_files import ByteRange, Unsatisfiable, parse_range
from attune.documents.recording_models import Recording
from attune.documents.tests.test_recordings import Scene, as_user, own_storage, scene, video_bytes
from attune.families.consent_models import ConsentPurpose

__all__ = ["as_user", "own_storage", "scene"]  # fixtures shared with test_recordings


def stream_url(client: Client, recording: Recording) -> str:
    """The stream address the recording's page gives its <video> (with the watch token)."""
    page = client.get(reverse("documents:recording", args=[recording.pk])).content.decode()
    start = page.index(reverse("documents:recording_stream", args=[recording.pk]))
    return page[start : page.index('"', start)].replace("&amp;", "&")


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.fixture
def kept(scene: Scene) -> Recording:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    return scene.record()


def test_whole_file_and_ranges_are_served_privately(
    scene: Scene, kept: Recording, as_user: Callable[[User], Client]
) -> None:
    client = as_user(scene.practitioner)
    url = stream_url(client, kept)
    size = len(video_bytes())

    whole = client.get(url)
    assert whole.status_code == 200
    assert body(whole) == video_bytes()
    assert whole["Content-Length"] == str(size)
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"

    part = client.get(url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-99/{size}"
    assert part["Content-Length"] == "100"
    assert body(part) == video_bytes()[:100]

    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206
    assert body(tail) == video_bytes()[-10:]
    assert tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"

    rest = client.get(url, HTTP_RANGE=f"bytes={size - 5}-")
    assert rest.status_code == 206
    assert body(rest) == video_bytes()[-5:]

    beyond = client.get(url, HTTP_RANGE=f"bytes={size + 10}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"

    for response in (whole, part, tail, beyond):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == 'inline; filename="session.mp4"'


def test_a_watch_is_audited_once_however_many_ranges_it_reads(
    scene: Scene, kept: Recording, as_user: Callable[[User], Client]
) -> None:
    client = as_user(scene.practitioner)
    url = stream_url(client, kept)
    for start in range(0, 2000, 100):
        assert client.get(url, HTTP_RANGE=f"bytes={start}-{start + 99}").status_code == 206
    assert AuditEvent.objects.filter(action="recording.watched", object_id=str(kept.pk)).count() == 1
    assert AuditEvent.objects.filter(object_id=str(kept.pk)).exclude(action="recording.uploaded").count() == 1


def test_the_stream_needs_a_watch_token_of_ones_own(
    scene: Scene, kept: Recording, as_user: Callable[[User], Client], supervisor: User
) -> None:
    bare = reverse("documents:recording_stream", args=[kept.pk])
    client = as_user(scene.practitioner)
    assert client.get(bare).status_code == 404
    assert client.get(bare + "?watch=forged").status_code == 404
    # The practitioner's token does not let the supervisor in (nor do they get past consent).
    token_url = stream_url(client, kept)
    scene.consent_all(ConsentPurpose.VIDEO_SUPERVISION)
    assert as_user(supervisor).get(token_url).status_code == 404


def test_strangers_and_others_in_the_team_get_no_bytes(
    scene: Scene, kept: Recording, as_user: Callable[[User], Client], outsider: User, team_lead: User
) -> None:
    url = stream_url(as_user(scene.practitioner), kept)
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(team_lead).get(url).status_code == 403


def test_an_erased_recording_is_gone(scene: Scene, kept: Recording, as_user: Callable[[User], Client]) -> None:
    client = as_user(scene.practitioner)
    url = stream_url(client, kept)
    recording_files.delete(kept.stored_path)
    Recording.objects.filter(pk=kept.pk).update(erased_at=kept.uploaded_at)
    assert client.get(url).status_code == 410


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=10-", ByteRange(10, 99)),
        ("bytes=90-500", ByteRange(90, 99)),
        ("bytes=-30", ByteRange(70, 99)),
        ("bytes=-500", ByteRange(0, 99)),
        ("bytes=5-2", None),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-5", None),
        ("bytes=-", None),
    ],
)
def test_range_headers(header: str, expected: ByteRange | None) -> None:
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=150-200", "bytes=-0"])
def test_unsatisfiable_ranges(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, 100)
