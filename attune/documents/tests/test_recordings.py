"""Video-feedback recordings: uploading one for a session (and every way an upload goes wrong),
who may watch it, and the consent rules (issue 19; domain reference G.3)."""

import datetime as dt
import hashlib
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.queries import PAGE_BUDGET
from attune.documents import recording_services
from attune.documents.files import storage
from attune.documents.recording_models import Recording
from attune.families.codes import ParentalResponsibility
from attune.families.consent import record_consent, withdraw_consent
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.models import Carer, Infant
from attune.families.tests.factories import CarerFactory, InfantFactory
from attune.organisations.tests.world import World, sign_in_client

SAMPLE = Path(__file__).parent / "samples" / "session.mp4"


def video_bytes() -> bytes:
    return SAMPLE.read_bytes()


# Setting the scene ---------------------------------------------------------------------------


def consent(
    person: Infant | Carer, purpose: str, *, by: User, decision: str = "given", carer: Carer | None = None
) -> Consent:
    """Record a person's decision through the consent action (a baby's through their carer)."""
    return record_consent(
        actor=Actor.system("test", for_user=by),
        family=person.family,
        person=person,
        purpose=purpose,
        decision=decision,
        how="spoken",
        given_by=carer if isinstance(person, Infant) else None,
    )


class Scene:
    """A hub episode with a baby and her mother, and a session yesterday with the practitioner."""

    def __init__(self, world: World, practitioner: User) -> None:
        self.practitioner = practitioner
        self.episode: Episode = open_episode(
            world.hub, practitioner, opened_at=at(timezone.localdate() - dt.timedelta(days=365))
        )
        family = self.episode.family
        self.carer: Carer = CarerFactory(
            family=family, given_name="Amy", family_name="Khan", parental_responsibility=ParentalResponsibility.YES
        )
        self.infant: Infant = InfantFactory(family=family, given_name="Zara", family_name="Khan")
        self.session: Appointment = appointment(
            self.episode, practitioner, at(timezone.localdate() - dt.timedelta(days=1), 10)
        )

    @property
    def people(self) -> list[Infant | Carer]:
        return [self.infant, self.carer]

    def consent_all(self, *purposes: str) -> None:
        for purpose in purposes:
            consent(self.carer, purpose, by=self.practitioner)
            consent(self.infant, purpose, by=self.practitioner, carer=self.carer)

    def record(self, *, name: str = "session.mp4", content: bytes | None = None) -> Recording:
        return recording_services.upload_recording(
            actor=Actor.system("test", for_user=self.practitioner),
            appointment=self.session,
            infants=[self.infant],
            carers=[self.carer],
            upload=recording_services.Upload(
                file=SimpleUploadedFile(name, content if content is not None else video_bytes(), "video/mp4"),
                name=name,
            ),
        )

    def upload_url(self) -> str:
        return reverse("documents:new_recording", args=[self.session.pk])

    def post_data(self, file: Any = None) -> dict[str, Any]:
        data: dict[str, Any] = {"people": [f"infant:{self.infant.pk}", f"carer:{self.carer.pk}"]}
        if file is not None:
            data["video"] = file
        return data


@pytest.fixture(autouse=True)
def own_storage(settings: Any, tmp_path: Path) -> Path:
    """Each test keeps its files in a folder of its own, to say what it left behind."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def scene(world: World, practitioner: User) -> Scene:
    return Scene(world, practitioner)


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    return lambda user: sign_in_client(Client(), user)


def stored_files() -> list[str]:
    """Every file in the recordings folder of the documents storage."""
    root = Path(storage().path("recordings"))
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def mp4(name: str = "session.mp4", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else video_bytes(), "video/mp4")


# Uploading -----------------------------------------------------------------------------------


def test_practitioner_uploads_a_recording_of_their_session(scene: Scene, as_user: Callable[[User], Client]) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    client = as_user(scene.practitioner)
    page = client.get(scene.upload_url())
    assert page.status_code == 200
    assert "Add a video recording" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = client.post(scene.upload_url(), scene.post_data(mp4()))

    recording = Recording.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:recording", args=[recording.pk])
    assert recording.content_type == "video/mp4"
    assert recording.size == len(video_bytes())
    assert recording.sha256 == hashlib.sha256(video_bytes()).hexdigest()
    assert recording.file_name == "session.mp4"
    assert recording.uploaded_by == scene.practitioner
    assert set(recording.infants.all()) == {scene.infant}
    assert set(recording.carers.all()) == {scene.carer}
    with storage().open(recording.stored_path, "rb") as kept:
        assert kept.read() == video_bytes()
    event = AuditEvent.objects.get(action="recording.uploaded")
    assert event.family_id == scene.episode.family_id
    assert event.object_id == str(recording.pk)


def test_upload_is_refused_until_everyone_has_given_video_recording_consent(
    scene: Scene, as_user: Callable[[User], Client]
) -> None:
    consent(scene.infant, ConsentPurpose.VIDEO_RECORDING, by=scene.practitioner, carer=scene.carer)
    consent(scene.carer, ConsentPurpose.VIDEO_RECORDING, by=scene.practitioner, decision="refused")

    response = as_user(scene.practitioner).post(scene.upload_url(), scene.post_data(mp4()))

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Record Amy Khan's consent to video recording first" in text
    assert "There is a problem" in text
    # Who was chosen is kept.
    assert f'value="carer:{scene.carer.pk}" checked' in text
    assert not Recording.objects.exists()
    assert stored_files() == []


def test_consent_withdrawn_is_no_consent(scene: Scene) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    given = Consent.objects.get(carer=scene.carer, purpose=ConsentPurpose.VIDEO_RECORDING)
    withdraw_consent(actor=Actor.system("test", for_user=scene.practitioner), consent=given, how="spoken")
    with pytest.raises(recording_services.RecordingError, match="Record Amy Khan's consent to video recording"):
        scene.record()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (None, "Select a video to upload"),
        (SimpleUploadedFile("session.mp4", b"", "video/mp4"), "The selected file is empty"),
        # A PDF renamed to look like a video: the content decides.
        (
            SimpleUploadedFile("session.mp4", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "video/mp4"),
            "The selected file must be an MP4, MOV or WebM video",
        ),
        (SimpleUploadedFile("notes.txt", b"Plain words, not a film", "text/plain"), "must be an MP4, MOV or WebM"),
    ],
    ids=["no file", "empty", "renamed pdf", "text"],
)
def test_a_file_that_is_not_a_video_is_refused_and_nothing_is_kept(
    scene: Scene, as_user: Callable[[User], Client], file: Any, message: str
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    response = as_user(scene.practitioner).post(scene.upload_url(), scene.post_data(file))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Recording.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused_without_keeping_it(
    scene: Scene, as_user: Callable[[User], Client], settings: Any
) -> None:
    settings.ATTUNE_RECORDING_MAX_MB = 1
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    big = video_bytes() + b"\0" * (1024 * 1024)
    response = as_user(scene.practitioner).post(scene.upload_url(), scene.post_data(mp4(content=big)))
    text = response.content.decode()
    assert "The selected file must be smaller than 1 MB" in text
    assert f'value="infant:{scene.infant.pk}" checked' in text
    assert not Recording.objects.exists()
    assert stored_files() == []


def test_a_hostile_or_misleading_name_is_made_safe(scene: Scene) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    recording = scene.record(name="../../etc/<script>alert(1)</script>.exe")
    assert recording.file_name == "script.exe.mp4"
    assert "/.." not in recording.stored_path
    assert recording.stored_path.startswith("recordings/")
    # An MP4 someone renamed .mov is offered under what it is.
    assert scene.record(name="IMG_0001.MOV").file_name == "IMG_0001.mp4"


def test_an_upload_cut_off_half_way_keeps_nothing_and_says_so(scene: Scene, as_user: Callable[[User], Client]) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    client = as_user(scene.practitioner)
    client.get(scene.upload_url())  # the CSRF cookie
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    boundary = "CutOffBoundary"
    content = video_bytes() + b"\0" * 30_000
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="people"\r\n\r\ncarer:{scene.carer.pk}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="video"; filename="session.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode() + content
    # The connection dropped half-way through the file: no closing boundary ever came.
    cut = body[: len(body) - 15_000]
    response = client.generic("POST", scene.upload_url(), cut, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200
    assert "The selected file did not finish uploading. Try again" in response.content.decode()
    assert not Recording.objects.exists()
    assert stored_files() == []


def test_someone_in_another_family_cannot_be_put_in_the_recording(scene: Scene) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    stranger = CarerFactory()
    with pytest.raises(recording_services.RecordingError, match="Select only people in this family"):
        recording_services.upload_recording(
            actor=Actor.system("test", for_user=scene.practitioner),
            appointment=scene.session,
            infants=[],
            carers=[stranger],
            upload=recording_services.Upload(file=mp4(), name="session.mp4"),
        )


def test_only_the_sessions_practitioners_add_recordings(
    scene: Scene, as_user: Callable[[User], Client], coordinator: User, outsider: User, supervisor: User
) -> None:
    assert as_user(coordinator).get(scene.upload_url()).status_code == 403
    assert as_user(supervisor).get(scene.upload_url()).status_code == 403
    assert as_user(outsider).get(scene.upload_url()).status_code == 404
    assert AuditEvent.objects.filter(action="access.refused").count() == 3


def test_upload_page_lists_the_sessions_recordings_in_a_fixed_number_of_queries(
    scene: Scene, as_user: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    client = as_user(scene.practitioner)
    scene.record()
    client.get(scene.upload_url())
    with django_assert_max_num_queries(30) as one:
        client.get(scene.upload_url())
    for _ in range(6):
        scene.record()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(scene.upload_url())
    assert response.content.decode().count("Erased 2 months after the episode ends") == 7


# Watching ------------------------------------------------------------------------------------


def page_url(recording: Recording) -> str:
    return reverse("documents:recording", args=[recording.pk])


def test_practitioner_watches_and_the_watch_is_audited(scene: Scene, as_user: Callable[[User], Client]) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    recording = scene.record()
    response = as_user(scene.practitioner).get(page_url(recording))
    text = response.content.decode()
    assert response.status_code == 200
    assert '<video class="app-video" controls preload="metadata"' in text
    assert reverse("documents:recording_stream", args=[recording.pk]) + "?watch=" in text
    assert "Erased 2 months after the episode ends" in text
    event = AuditEvent.objects.get(action="recording.watched")
    assert event.family_id == scene.episode.family_id
    assert event.object_id == str(recording.pk)


def test_supervisor_watches_only_with_everyones_supervision_consent(
    scene: Scene, as_user: Callable[[User], Client], supervisor: User
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    recording = scene.record()
    client = as_user(supervisor)
    assert client.get(page_url(recording)).status_code == 403

    consent(scene.carer, ConsentPurpose.VIDEO_SUPERVISION, by=scene.practitioner)
    assert client.get(page_url(recording)).status_code == 403  # the baby's too

    supervision = consent(scene.infant, ConsentPurpose.VIDEO_SUPERVISION, by=scene.practitioner, carer=scene.carer)
    assert client.get(page_url(recording)).status_code == 200

    # Withdrawn: the supervisor loses access at once; the recording is kept.
    withdraw_consent(actor=Actor.system("test", for_user=scene.practitioner), consent=supervision, how="spoken")
    assert client.get(page_url(recording)).status_code == 403
    recording.refresh_from_db()
    assert recording.erased_at is None


def test_others_in_the_team_get_403_and_strangers_404(
    scene: Scene, as_user: Callable[[User], Client], team_lead: User, coordinator: User, outsider: User
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING, ConsentPurpose.VIDEO_SUPERVISION)
    recording = scene.record()
    assert as_user(team_lead).get(page_url(recording)).status_code == 403
    assert as_user(coordinator).get(page_url(recording)).status_code == 403
    assert as_user(outsider).get(page_url(recording)).status_code == 404
    assert not AuditEvent.objects.filter(action="recording.watched").exists()


def test_recording_page_costs_the_same_however_many_people_are_in_it(
    scene: Scene, as_user: Callable[[User], Client], supervisor: User, django_assert_max_num_queries: Any
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING, ConsentPurpose.VIDEO_SUPERVISION)
    client = as_user(supervisor)
    few = scene.record()
    client.get(page_url(few))
    with django_assert_max_num_queries(40) as one:
        client.get(page_url(few))
    more = [CarerFactory(family=scene.episode.family) for _ in range(4)]
    for carer in more:
        consent(carer, ConsentPurpose.VIDEO_RECORDING, by=scene.practitioner)
        consent(carer, ConsentPurpose.VIDEO_SUPERVISION, by=scene.practitioner)
    many = scene.record()
    many.carers.add(*more)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(page_url(many)).status_code == 200


def test_family_page_lists_the_recordings_in_a_fixed_number_of_queries(
    scene: Scene, as_user: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    client = as_user(scene.practitioner)
    url = reverse("families:family", args=[scene.episode.family_id])
    scene.record()
    client.get(url)
    with django_assert_max_num_queries(PAGE_BUDGET) as one:
        response = client.get(url)
    assert "Documents and video recordings" in response.content.decode()
    for _ in range(5):
        scene.record()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Recording of home visit") == 6


def test_family_page_section_is_empty_for_a_family_without_recordings(
    scene: Scene, as_user: Callable[[User], Client]
) -> None:
    response = as_user(scene.practitioner).get(reverse("families:family", args=[scene.episode.family_id]))
    assert "No documents or video recordings are kept for this family." in response.content.decode()


def test_family_page_lists_each_recording_and_its_page_decides_who_may_watch(
    scene: Scene, as_user: Callable[[User], Client], team_lead: User, supervisor: User
) -> None:
    """The family page's list is read in one query, so it links every recording; the recording's
    page refuses those the consent does not allow (the supervisor, until supervision consent)."""
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    recording = scene.record()
    url = reverse("families:family", args=[scene.episode.family_id])
    link = f'href="{page_url(recording)}"'
    for reader in (scene.practitioner, team_lead, supervisor):
        assert link in as_user(reader).get(url).content.decode()
    assert as_user(scene.practitioner).get(page_url(recording)).status_code == 200
    assert as_user(team_lead).get(page_url(recording)).status_code == 403
    assert as_user(supervisor).get(page_url(recording)).status_code == 403
    scene.consent_all(ConsentPurpose.VIDEO_SUPERVISION)
    assert as_user(supervisor).get(page_url(recording)).status_code == 200


def test_the_pages_script_is_told_where_to_go_rather_than_redirected(
    scene: Scene, as_user: Callable[[User], Client]
) -> None:
    """upload-progress.mjs sends the form itself: a redirect would be followed by the request
    (reading the recording's page, and recording a watch, out of sight), so it gets the address."""
    scene.consent_all(ConsentPurpose.VIDEO_RECORDING)
    response = as_user(scene.practitioner).post(scene.upload_url(), scene.post_data(mp4()), HTTP_X_UPLOAD_PROGRESS="1")
    recording = Recording.objects.get()
    assert response.status_code == 200
    assert response.json() == {"location": page_url(recording)}
    assert not AuditEvent.objects.filter(action="recording.watched").exists()


def test_the_appointment_page_leads_its_practitioner_to_the_session_s_recordings(
    scene: Scene, as_user: Callable[[User], Client], team_lead: User
) -> None:
    page = reverse("care:appointment", args=[scene.session.pk])
    link = f'href="{scene.upload_url()}"'
    assert link in as_user(scene.practitioner).get(page).content.decode()
    assert link not in as_user(team_lead).get(page).content.decode()
