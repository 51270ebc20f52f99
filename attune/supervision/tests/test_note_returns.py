"""A supervisor returns a trainee's signed note with comments instead of countersigning it; the
trainee answers with an addendum (the note itself never changes) and the note comes back to be
countersigned. Through the pages and the database."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care import services as care_services
from attune.care.models import Addendum, Appointment, Note
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.organisations.roles import Role
from attune.organisations.tests.world import World, sign_in_client
from attune.supervision import services
from attune.supervision.models import NoteReturn
from attune.supervision.tests.factories import member

BODY = "Dad joined us. Baby settled quickly on his chest."
COMMENTS = "Say how long baby took to settle and what Dad noticed."


def _client(user: User) -> Client:
    return sign_in_client(Client(), user)


@pytest.fixture
def signed(world: World, trainee: User, supervisor: User) -> Note:
    """The trainee's signed note of yesterday's visit, waiting for countersigning."""
    episode = open_episode(world.satellite, trainee, opened_at=timezone.now() - dt.timedelta(days=10), codes=())
    starts = timezone.now() - dt.timedelta(days=1)
    visit = AppointmentFactory(
        episode=episode, practitioner=trainee, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    note = care_services.save_note(actor=acting(trainee), appointment=visit, body=BODY)
    return care_services.sign_note(actor=acting(trainee), note=note)


def _tasks(kind: TaskKind, user: User) -> list[Task]:
    return list(Task.objects.open().filter(kind=kind, assignee=user))


def _return_url(note: Note) -> str:
    return f"/appointments/{note.appointment_id}/note/return"


def _answer_url(note: Note) -> str:
    return f"/appointments/{note.appointment_id}/note/answer"


def test_the_appointment_page_offers_return_beside_countersign(supervisor: User, signed: Note) -> None:
    page = _client(supervisor).get(f"/appointments/{signed.appointment_id}").content.decode()
    assert "Countersign" in page
    assert "Return to the trainee with comments" in page
    assert f"/appointments/{signed.appointment_id}/note/review#return" in page


def test_supervisor_returns_the_note_and_the_trainee_gets_a_task_with_the_comments(
    supervisor: User, trainee: User, signed: Note
) -> None:
    assert len(_tasks(TaskKind.COUNTERSIGN_NOTE, supervisor)) == 1
    response = _client(supervisor).post(_return_url(signed), {"comments": COMMENTS})
    assert response.status_code == 302
    returned = NoteReturn.objects.get(note=signed)
    assert (returned.returned_by, returned.comments, returned.answered_at) == (supervisor, COMMENTS, None)
    assert _tasks(TaskKind.COUNTERSIGN_NOTE, supervisor) == []  # with the trainee now
    [task] = _tasks(TaskKind.NOTE_RETURNED, trainee)
    assert COMMENTS in task.title
    assert task.url == f"/appointments/{signed.appointment_id}/note/review#answer"
    assert AuditEvent.objects.filter(action="note.returned", object_id=str(signed.pk), actor=supervisor).exists()
    signed.refresh_from_db()
    assert signed.body == BODY
    assert signed.awaiting_countersignature
    # Not in the countersigning queue while it is with the trainee.
    assert "Tina Trainee" not in _client(supervisor).get("/supervision/countersigning").content.decode()


def test_returning_without_comments_is_refused_with_a_specific_error(supervisor: User, signed: Note) -> None:
    response = _client(supervisor).post(_return_url(signed), {"comments": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter your comments for the trainee" in page
    assert not NoteReturn.objects.exists()
    assert len(_tasks(TaskKind.COUNTERSIGN_NOTE, supervisor)) == 1


def test_only_a_supervisor_of_the_trainee_may_return_the_note(
    world: World, practitioner: User, outsider: User, signed: Note
) -> None:
    colleague = member(world.satellite, Role.PRACTITIONER, full_name="Col League")
    page = _client(colleague).post(_return_url(signed), {"comments": COMMENTS}).content.decode()
    assert "Only a clinical supervisor in this team can return a note" in page
    assert COMMENTS in page  # what was typed is kept
    assert _client(practitioner).post(_return_url(signed), {"comments": COMMENTS}).status_code == 404
    assert _client(outsider).post(_return_url(signed), {"comments": COMMENTS}).status_code == 404
    assert not NoteReturn.objects.exists()
    with pytest.raises(services.SupervisionError, match="Only a clinical supervisor in this team"):
        services.return_note(actor=acting(signed.author), note=signed, comments=COMMENTS)


def test_the_trainee_answers_with_an_addendum_and_it_comes_back_to_be_countersigned(
    supervisor: User, trainee: User, signed: Note
) -> None:
    _client(supervisor).post(_return_url(signed), {"comments": COMMENTS})
    trainee_client = _client(trainee)
    review = trainee_client.get(f"/appointments/{signed.appointment_id}/note/review").content.decode()
    assert COMMENTS in review
    assert "Answer your supervisor" in review

    response = trainee_client.post(_answer_url(signed), {"addendum": "About ten minutes. Dad saw her relax."})
    assert response.status_code == 302
    addendum = Addendum.objects.get(note=signed)
    returned = NoteReturn.objects.get(note=signed)
    assert returned.answer == addendum
    assert returned.answered_at is not None
    assert _tasks(TaskKind.NOTE_RETURNED, trainee) == []
    [again] = _tasks(TaskKind.COUNTERSIGN_NOTE, supervisor)
    assert again.url == f"/appointments/{signed.appointment_id}"
    assert AuditEvent.objects.filter(action="note.return_answered", actor=trainee).exists()
    assert AuditEvent.objects.filter(action="note.addendum_added", actor=trainee).exists()
    signed.refresh_from_db()
    assert signed.body == BODY  # the signed note is never edited in place

    supervisor_client = _client(supervisor)
    assert supervisor_client.post(f"/appointments/{signed.appointment_id}/countersign").status_code == 302
    assert _tasks(TaskKind.COUNTERSIGN_NOTE, supervisor) == []
    history = supervisor_client.get(f"/appointments/{signed.appointment_id}/note/review").content.decode()
    order = [
        history.index("Signed by Tina Trainee"),
        history.index("Returned with comments by Sam Supervisor"),
        history.index(COMMENTS),
        history.index("Addendum by Tina Trainee, answering the comments"),
        history.index("Countersigned by Sam Supervisor"),
    ]
    assert order == sorted(order)


def test_only_the_author_may_answer_and_an_empty_addendum_is_refused(
    supervisor: User, trainee: User, signed: Note
) -> None:
    _client(supervisor).post(_return_url(signed), {"comments": COMMENTS})
    page = _client(supervisor).post(_answer_url(signed), {"addendum": "I'll add it myself"}).content.decode()
    assert "Only Tina Trainee, who wrote the note, can answer the comments" in page
    page = _client(trainee).post(_answer_url(signed), {"addendum": ""}).content.decode()
    assert "Write the addendum" in page
    assert not Addendum.objects.exists()
    assert NoteReturn.objects.get().answered_at is None
    assert len(_tasks(TaskKind.NOTE_RETURNED, trainee)) == 1


def test_a_returned_note_cannot_be_returned_twice(supervisor: User, signed: Note) -> None:
    services.return_note(actor=acting(supervisor), note=signed, comments=COMMENTS)
    with pytest.raises(services.SupervisionError, match="already with Tina Trainee"):
        services.return_note(actor=acting(supervisor), note=signed, comments="More")


def test_the_history_page_is_for_people_who_may_see_the_appointment(outsider: User, signed: Note, world: World) -> None:
    assert _client(outsider).get(f"/appointments/{signed.appointment_id}/note/review").status_code == 404
    unsigned = AppointmentFactory(
        episode=Appointment.objects.get(pk=signed.appointment_id).episode, practitioner=signed.author
    )
    colleague = member(world.satellite, Role.PRACTITIONER)
    assert _client(colleague).get(f"/appointments/{unsigned.pk}/note/review").status_code == 404  # nothing signed
