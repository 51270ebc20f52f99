"""Clinical notes on the appointment page: a draft saved and changed, signing (refused when empty,
the text kept), a signed note locked with only addenda after it, and a trainee's note
countersigned by a supervisor in the team, never by the trainee herself."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.models import Appointment, Note, NoteStatus
from attune.care.tests.factories import NoteFactory, open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.care.tests.pages import page_of
from attune.core.models import AuditEvent, Task, TaskKind
from attune.organisations.tests.world import World

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def on_a_wednesday() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def trainees_visit(world: World, trainee: User) -> Appointment:
    episode = open_episode(world.satellite, trainee, opened_at=at(dt.date(2026, 11, 1)))
    return appointment(episode, trainee, at(TODAY, 10))


def errors(page: str) -> list[str]:
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", summary)]


def test_a_draft_is_saved_and_can_be_changed(
    as_user: Callable[[User], Client], practitioner: User, visit: Appointment
) -> None:
    client = as_user(practitioner)
    page = page_of(client.get(f"/appointments/{visit.pk}"))
    assert "Save draft" in page
    assert "Sign and lock" in page

    response = client.post(f"/appointments/{visit.pk}/note", {"body": "First thoughts", "action": "save"})
    assert response.status_code == 302
    page = page_of(client.get(response["Location"]))
    assert "Draft saved. Sign the note when it is finished." in page
    assert ">First thoughts</textarea>" in page

    client.post(f"/appointments/{visit.pk}/note", {"body": "Second thoughts", "action": "save"})
    note = Note.objects.get(appointment=visit)
    assert (note.body, note.status) == ("Second thoughts", NoteStatus.DRAFT)
    assert AuditEvent.objects.filter(action="note.saved", object_id=str(note.pk)).count() == 2


def test_signing_an_empty_note_is_refused(
    as_user: Callable[[User], Client], practitioner: User, visit: Appointment
) -> None:
    page = page_of(as_user(practitioner).post(f"/appointments/{visit.pk}/note", {"body": "  ", "action": "sign"}))
    assert errors(page) == ["Write the note before signing it"]
    assert 'href="#id_body"' in page
    assert not Note.objects.exists()  # nothing half-done is left behind


def test_a_refused_signature_keeps_the_text_typed(
    as_user: Callable[[User], Client], practitioner: User, coordinator: User, visit: Appointment
) -> None:
    as_user(coordinator).post(f"/appointments/{visit.pk}/note", {"body": "Coordinator's draft", "action": "save"})

    page = page_of(
        as_user(practitioner).post(f"/appointments/{visit.pk}/note", {"body": "My own words", "action": "sign"})
    )

    assert errors(page) == ["This draft belongs to Cora Coordinator. Only they can change it"]
    assert ">My own words</textarea>" in page
    note = Note.objects.get()
    assert (note.body, note.status) == ("Coordinator's draft", NoteStatus.DRAFT)


def test_someone_elses_draft_is_shown_but_not_offered_to_change(
    as_user: Callable[[User], Client], practitioner: User, coordinator: User, visit: Appointment
) -> None:
    NoteFactory(appointment=visit, author=coordinator, body="Coordinator's draft")
    page = page_of(as_user(practitioner).get(f"/appointments/{visit.pk}"))
    assert "Cora Coordinator is writing the note for this appointment. Only they can change or sign it." in page
    assert "Sign and lock" not in page


def test_saving_an_empty_draft_is_refused(
    as_user: Callable[[User], Client], practitioner: User, visit: Appointment
) -> None:
    page = page_of(as_user(practitioner).post(f"/appointments/{visit.pk}/note", {"body": "", "action": "save"}))
    assert errors(page) == ["Write the note before saving it"]


def test_a_signed_note_is_locked(as_user: Callable[[User], Client], practitioner: User, visit: Appointment) -> None:
    client = as_user(practitioner)
    response = client.post(
        f"/appointments/{visit.pk}/note", {"body": "We watched the video.\n\nMum smiled.", "action": "sign"}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.status == NoteStatus.SIGNED
    assert not note.needs_countersignature

    page = page_of(client.get(f"/appointments/{visit.pk}"))
    assert "Note signed and locked." in page
    assert "<p>We watched the video.</p><p>Mum smiled.</p>" in page.replace("> <", "><")
    assert "Signed by Pat Practitioner on 2 December 2026 at 2:00pm" in page
    assert 'name="addendum"' in page
    assert 'name="body"' not in page  # no note box: the note cannot be changed
    assert "Sign and lock" not in page

    # Posting a change anyway is refused, and the note stays as signed
    page = page_of(client.post(f"/appointments/{visit.pk}/note", {"body": "Changed", "action": "save"}))
    assert "This note is signed and locked. Add an addendum instead" in page
    note.refresh_from_db()
    assert note.body == "We watched the video.\n\nMum smiled."


def test_an_addendum_follows_a_signed_note(
    as_user: Callable[[User], Client], practitioner: User, visit: Appointment
) -> None:
    note = NoteFactory(appointment=visit, status=NoteStatus.SIGNED, signed_at=at(TODAY, 12))
    client = as_user(practitioner)

    page = page_of(client.post(f"/appointments/{visit.pk}/addendum", {"addendum": ""}))
    assert errors(page) == ["Write the addendum"]

    response = client.post(f"/appointments/{visit.pk}/addendum", {"addendum": "Dad joined at the end."})
    assert response.status_code == 302
    page = page_of(client.get(f"/appointments/{visit.pk}"))
    assert "Addendum added to the note." in page
    assert "Addendum by Pat Practitioner, 2 December 2026 at 2:00pm" in page
    assert "Dad joined at the end." in page
    assert AuditEvent.objects.filter(action="note.addendum_added", object_id=str(note.pk)).exists()


def test_a_trainees_signed_note_waits_for_countersignature(
    as_user: Callable[[User], Client], trainee: User, supervisor: User, trainees_visit: Appointment
) -> None:
    client = as_user(trainee)
    client.post(f"/appointments/{trainees_visit.pk}/note", {"body": "Session went well.", "action": "sign"})

    note = Note.objects.get()
    assert note.awaiting_countersignature
    page = page_of(client.get(f"/appointments/{trainees_visit.pk}"))
    assert "A clinical supervisor will be asked to countersign it." in page
    assert "Awaiting countersignature" in page
    assert "Countersign</button>" not in re.sub(r"\s+<", "<", page)  # not by the trainee herself
    task = Task.objects.open().get(kind=TaskKind.COUNTERSIGN_NOTE)
    assert task.assignee == supervisor
    assert task.url == f"/appointments/{trainees_visit.pk}"

    # Posting the countersignature anyway is refused
    page = page_of(client.post(f"/appointments/{trainees_visit.pk}/countersign"))
    assert "Only a clinical supervisor in this team can countersign" in page
    note.refresh_from_db()
    assert note.countersigned_at is None


def test_supervisor_countersigns_and_the_task_closes(
    as_user: Callable[[User], Client], trainee: User, supervisor: User, trainees_visit: Appointment
) -> None:
    as_user(trainee).post(f"/appointments/{trainees_visit.pk}/note", {"body": "Session went well.", "action": "sign"})
    client = as_user(supervisor)
    page = page_of(client.get(f"/appointments/{trainees_visit.pk}"))
    assert "Countersign</button>" in re.sub(r"\s+<", "<", page)

    response = client.post(f"/appointments/{trainees_visit.pk}/countersign")

    assert response.status_code == 302
    note = Note.objects.get()
    assert note.countersigned_by == supervisor
    assert not Task.objects.open().exists()
    page = page_of(client.get(f"/appointments/{trainees_visit.pk}"))
    assert "You countersigned Tina Trainee&#39;s note." in page
    assert "Countersigned by Sam Supervisor on 2 December 2026 at 2:00pm" in page
    assert "Signed and countersigned" in page
    assert AuditEvent.objects.filter(action="note.countersigned", object_id=str(note.pk)).exists()

    # A second time is refused
    page = page_of(client.post(f"/appointments/{trainees_visit.pk}/countersign"))
    assert "This note does not need a countersignature" in page


def test_countersign_without_a_note_is_refused(
    as_user: Callable[[User], Client], supervisor: User, trainees_visit: Appointment
) -> None:
    page = page_of(as_user(supervisor).post(f"/appointments/{trainees_visit.pk}/countersign"))
    assert "There is no note to countersign" in page
