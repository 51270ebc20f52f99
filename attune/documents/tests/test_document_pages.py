"""Documents on a family's record, through the pages: upload (and the refusals, keeping what
was typed), the document page, marking it sent or received, removal, and the download's
headers and audit. A stranger to the family's team gets 404 for every one of them."""

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent
from attune.core.testing.queries import queries_for
from attune.documents import document_services, files
from attune.documents.document_models import Direction, Document, DocumentCategory
from attune.documents.tests import document_samples as samples
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


@pytest.fixture
def family(world: World) -> Family:
    found = FamilyFactory(team=world.hub)
    CarerFactory(family=found, given_name="Amy", family_name="Example")
    InfantFactory(family=found, given_name="Ben", family_name="Example")
    return found


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Child protection plan, March",
        "category": DocumentCategory.CHILD_PROTECTION_PLAN,
        "about": "",
        "episode": "",
        "direction": "received",
        "agency": "Children's social care",
        "exchanged_on-day": "",
        "exchanged_on-month": "",
        "exchanged_on-year": "",
    }
    today = timezone.localdate()
    data.update({"exchanged_on-day": today.day, "exchanged_on-month": today.month, "exchanged_on-year": today.year})
    data.update(changes)
    return data


def upload(client: Client, family: Family, content: bytes, name: str, **changes: object) -> object:
    return client.post(
        f"/families/{family.pk}/documents/new", {**form_data(**changes), "file": SimpleUploadedFile(name, content)}
    )


def stored(practitioner: User, family: Family, **changes: object) -> Document:
    from attune.core.actors import Actor

    return document_services.upload_document(
        actor=Actor(user=practitioner),
        family=family,
        title=str(changes.pop("title", "Letter from the GP")),
        category=DocumentCategory.LETTER,
        content=io.BytesIO(samples.pdf()),
        name="letter.pdf",
        size=len(samples.pdf()),
        **changes,  # type: ignore[arg-type]
    )


def test_a_practitioner_uploads_a_pdf_received_from_social_care(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(practitioner)
    assert client.get(f"/families/{family.pk}/documents/new").status_code == 200
    response = upload(client, family, samples.pdf(), "CP plan.pdf")
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}"
    assert document.family == family
    assert document.original_name == "CP_plan.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(samples.pdf())
    assert document.direction == Direction.RECEIVED
    assert document.agency == "Children's social care"
    assert document.exchanged_on == timezone.localdate()
    assert document.uploaded_by == practitioner
    assert files.storage().open(document.file.name).read() == samples.pdf()
    # Stored under a name Attune made, not the device's
    assert document.file.name.startswith("documents/")
    assert document.file.name.endswith("/CP_plan.pdf")
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.family_id == family.pk
    assert event.object_id == str(document.pk)
    assert event.detail["sha256"] == document.sha256
    page = client.get(f"/documents/{document.pk}").content.decode()
    assert (
        "Received from Children&#39;s social care on" in page or "Received from Children&#x27;s social care on" in page
    )
    assert f"/documents/{document.pk}/download" in page


def test_a_renamed_png_is_refused_and_every_other_field_kept(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    response = upload(signed_in(practitioner), family, samples.png(), "plan.pdf", agency="Seaside Council")
    html = response.content.decode()
    assert response.status_code == 200
    assert "plan.pdf is a PNG image but its name ends in .pdf. Choose the right file or rename it" in html
    assert "<title>Error: " in html
    assert 'value="Child protection plan, March"' in html
    assert 'value="Seaside Council"' in html
    assert "you need to choose the file again" in html
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


def test_a_person_and_an_episode_of_the_family_can_be_chosen(
    world: World, practitioner: User, signed_in: SignedIn
) -> None:
    episode = open_episode(world.hub, practitioner)
    infant = InfantFactory(family=episode.family)
    upload(
        signed_in(practitioner),
        episode.family,
        samples.docx(),
        "assessment.docx",
        about=f"infant:{infant.pk}",
        episode=str(episode.pk),
        direction="none",
        agency="",
        **{"exchanged_on-day": "", "exchanged_on-month": "", "exchanged_on-year": ""},
    )
    document = Document.objects.get()
    assert (document.infant, document.episode, document.carer) == (infant, episode, None)
    assert document.direction == ""
    assert document.exchanged_on is None
    assert document.content_type.endswith("wordprocessingml.document")


def test_someone_in_another_family_cannot_be_chosen(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    stranger = InfantFactory(family=FamilyFactory(team=family.team))
    html = upload(signed_in(practitioner), family, samples.pdf(), "plan.pdf", about=f"infant:{stranger.pk}")
    assert "Select someone in this family, or the whole family" in html.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for the document"),
        ({"category": ""}, "Select what kind of document it is"),
        ({"agency": ""}, "Enter the agency the document was sent to or received from"),
        ({"exchanged_on": "tomorrow"}, "must be today or in the past"),
    ],
)
def test_missing_details_are_asked_for(
    family: Family, practitioner: User, signed_in: SignedIn, changes: dict[str, str], message: str
) -> None:
    if changes.get("exchanged_on") == "tomorrow":
        # Built now, from the same clock as the page (a year on from 29 February is no date at all).
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        changes = {
            "exchanged_on-day": str(tomorrow.day),
            "exchanged_on-month": str(tomorrow.month),
            "exchanged_on-year": str(tomorrow.year),
        }
    response = upload(signed_in(practitioner), family, samples.pdf(), "plan.pdf", **changes)
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()


def test_no_file_chosen_says_to_choose_one(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    response = signed_in(practitioner).post(f"/families/{family.pk}/documents/new", form_data())
    assert "Choose the file to upload" in response.content.decode()


def test_an_empty_file_is_refused(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    response = upload(signed_in(practitioner), family, b"", "plan.pdf")
    assert "The selected file is empty" in response.content.decode() or "plan.pdf is empty" in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_not_kept_and_the_form_keeps_the_rest(
    family: Family, practitioner: User, signed_in: SignedIn, settings: object
) -> None:
    settings.ATTUNE_DOCUMENT_MAX_MB = 1  # type: ignore[attr-defined]
    big = samples.pdf() + b"0" * (1024 * 1024 + 10)
    response = upload(signed_in(practitioner), family, big, "scan.pdf")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "scan.pdf is larger than 1 MB. Choose a file smaller than 1 MB" in html
    assert 'value="Child protection plan, March"' in html
    assert not Document.objects.exists()


def test_an_upload_cut_off_half_way_is_a_bad_request_and_nothing_is_kept(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(practitioner)
    before = _stored_files()
    client.get(f"/families/{family.pk}/documents/new")
    token = client.cookies["csrftoken"].value
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nPlan\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + samples.pdf()[:40]
    # The body stops inside the file, with no closing boundary, though it claims to be longer: as
    # a raw WSGI request, since the test client refuses to send a body shorter than it says.
    environ = client._base_environ(  # type: ignore[attr-defined]
        PATH_INFO=f"/families/{family.pk}/documents/new",
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body) + 5000),
        HTTP_X_CSRFTOKEN=token,
    )
    environ["wsgi.input"] = io.BytesIO(body)
    response = client.handler(environ)
    assert response.status_code == 400
    assert "The file did not finish uploading. Check your connection, then choose the file again" in (
        response.content.decode()
    )
    assert b"Traceback" not in response.content
    assert not Document.objects.exists()
    assert _stored_files() == before


def _stored_files() -> list[str]:
    storage = files.storage()
    try:
        folders = storage.listdir("documents")[0]
    except FileNotFoundError:
        return []
    return [f"documents/{folder}" for folder in folders]


def test_download_is_an_attachment_never_cached_with_the_content_s_type_and_is_audited(
    family: Family, practitioner: User, coordinator: User, signed_in: SignedIn
) -> None:
    document = stored(practitioner, family)
    response = signed_in(coordinator).get(f"/documents/{document.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.actor == coordinator
    assert event.family_id == family.pk
    assert event.object_id == str(document.pk)


def test_a_stranger_gets_404_for_every_document_url(
    family: Family, practitioner: User, outsider: User, signed_in: SignedIn
) -> None:
    document = stored(practitioner, family)
    client = signed_in(outsider)
    for url in (
        f"/families/{family.pk}/documents/new",
        f"/documents/{document.pk}",
        f"/documents/{document.pk}/download",
        f"/documents/{document.pk}/exchange",
        f"/documents/{document.pk}/remove",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/documents/{document.pk}/remove", {"reason": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
    assert AuditEvent.objects.filter(action="access.refused", object_type="documents.document").count() >= 4
    document.refresh_from_db()
    assert document.removed_at is None


def test_a_commissioner_gets_404_too(
    family: Family, practitioner: User, commissioner: User, signed_in: SignedIn
) -> None:
    document = stored(practitioner, family)
    assert signed_in(commissioner).get(f"/documents/{document.pk}").status_code == 404


def test_marking_a_document_as_sent(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    document = stored(practitioner, family)
    client = signed_in(practitioner)
    assert client.get(f"/documents/{document.pk}/exchange").status_code == 200
    day = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(
        f"/documents/{document.pk}/exchange",
        {
            "direction": "sent",
            "agency": "GP practice",
            "exchanged_on-day": day.day,
            "exchanged_on-month": day.month,
            "exchanged_on-year": day.year,
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.direction, document.agency, document.exchanged_on) == ("sent", "GP practice", day)
    event = AuditEvent.objects.get(action="document.exchanged")
    assert event.detail["new"]["agency"] == "GP practice"


def test_marking_without_details_asks_for_them(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    document = stored(practitioner, family)
    html = signed_in(practitioner).post(f"/documents/{document.pk}/exchange", {}).content.decode()
    assert "Select whether the document was sent or received" in html
    assert "Enter the agency the document was sent to or received from" in html
    assert "Enter the date the document was sent or received" in html


def test_removing_deletes_the_file_and_keeps_the_record(
    family: Family, practitioner: User, signed_in: SignedIn, django_capture_on_commit_callbacks: object
) -> None:
    document = stored(practitioner, family)
    name = document.file.name
    client = signed_in(practitioner)
    assert (
        "Enter why the document is being removed"
        in client.post(f"/documents/{document.pk}/remove", {}).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(f"/documents/{document.pk}/remove", {"reason": "Uploaded to the wrong family"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.removed_by == practitioner
    assert document.removed_reason == "Uploaded to the wrong family"
    assert document.file.name == ""
    assert not files.storage().exists(name)
    assert AuditEvent.objects.filter(action="document.removed", object_id=str(document.pk)).exists()
    page = client.get(f"/documents/{document.pk}").content.decode()
    assert "This document was removed" in page
    assert "Uploaded to the wrong family" in page
    gone = client.get(f"/documents/{document.pk}/download")
    assert gone.status_code == 404
    assert "This document was removed" in gone.content.decode()


def test_the_family_page_lists_documents_with_a_link_to_each(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    document = stored(practitioner, family, title="Letter from the GP")
    html = signed_in(practitioner).get(f"/families/{family.pk}").content.decode()
    assert "<h2>Documents and video recordings</h2>" in html
    assert f'<a href="/documents/{document.pk}">Letter from the GP</a>' in html


def test_reading_a_document_page_is_recorded_as_reading_the_family(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    document = stored(practitioner, family)
    signed_in(practitioner).get(f"/documents/{document.pk}")
    event = AuditEvent.objects.filter(action="family.viewed").latest("occurred_at")
    assert event.family_id == family.pk
    assert event.detail == {"page": "document", "document": str(document.pk)}


def test_the_family_page_costs_the_same_for_one_document_or_many(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(practitioner)

    def grow(n: int) -> None:
        first = Document.objects.first() or stored(practitioner, family)
        missing = n - Document.objects.count()
        Document.objects.bulk_create(
            [
                Document(
                    family=family,
                    title=f"Letter {i}",
                    category=DocumentCategory.LETTER,
                    file=first.file.name,
                    original_name="letter.pdf",
                    content_type="application/pdf",
                    size=first.size,
                    sha256=first.sha256,
                    uploaded_by=practitioner,
                    infant=family.infants.first() if i % 2 else None,
                )
                for i in range(missing)
            ]
        )

    # The family page as a whole is other apps' too (its budget is theirs): the documents section
    # must add nothing as the list grows.
    grow(1)
    client.get(f"/families/{family.pk}")
    one = queries_for(lambda: client.get(f"/families/{family.pk}"))
    grow(200)
    client.get(f"/families/{family.pk}")
    assert queries_for(lambda: client.get(f"/families/{family.pk}")) == one


def test_the_document_page_costs_a_fixed_number_of_queries(
    family: Family, practitioner: User, signed_in: SignedIn, django_assert_max_num_queries: object
) -> None:
    document = stored(practitioner, family, infant=family.infants.first())
    client = signed_in(practitioner)
    client.get(f"/documents/{document.pk}")
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert client.get(f"/documents/{document.pk}").status_code == 200


def test_the_upload_still_checks_the_csrf_token(family: Family, practitioner: User) -> None:
    # The view sets its upload handler before the CSRF check reads the body, so it makes the
    # check itself: a post without the token is refused.
    from attune.organisations.tests.world import sign_in_client

    client = sign_in_client(Client(enforce_csrf_checks=True), practitioner)
    response = client.post(
        f"/families/{family.pk}/documents/new", {**form_data(), "file": SimpleUploadedFile("plan.pdf", samples.pdf())}
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_a_carer_can_be_chosen(family: Family, practitioner: User, signed_in: SignedIn) -> None:
    carer = family.carers.get()
    upload(signed_in(practitioner), family, samples.pdf(), "consent.pdf", about=f"carer:{carer.pk}")
    document = Document.objects.get()
    assert document.carer == carer
    assert AuditEvent.objects.get(action="document.uploaded").person_id == carer.pk


def test_the_upload_page_costs_the_same_for_one_person_or_many(
    family: Family, practitioner: User, signed_in: SignedIn
) -> None:
    client = signed_in(practitioner)
    url = f"/families/{family.pk}/documents/new"
    client.get(url)
    few = queries_for(lambda: client.get(url))
    for _ in range(10):
        CarerFactory(family=family)
        InfantFactory(family=family)
    client.get(url)
    assert queries_for(lambda: client.get(url)) == few
    assert few <= 15
