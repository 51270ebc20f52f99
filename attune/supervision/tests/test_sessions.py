"""Recording supervision and reading a session: who may, what is kept, who sees which families."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.roles import Role
from attune.organisations.tests.world import World
from attune.supervision.models import SupervisionAction, SupervisionSession
from attune.supervision.tests.factories import given_session, member
from attune.supervision.views.sessions import SESSIONS_PER_PAGE

TODAY = timezone.localdate


def _post(client: Client, **extra: object) -> object:
    today = TODAY()
    data: dict[str, object] = {
        "kind": "group",
        "held_on-day": today.day,
        "held_on-month": today.month,
        "held_on-year": today.year,
        "duration_minutes": "90",
        "format": "in_person",
        "notes": "Reflected on endings.",
    }
    data.update(extra)
    return client.post("/supervision/record", data)


@pytest.fixture
def hub_supervisor(world: World) -> User:
    """A supervisor in the hub only: the satellite's families are not theirs to see."""
    return member(world.hub, Role.SUPERVISOR, full_name="Helen Hub")


@pytest.fixture
def second_trainee(world: World) -> User:
    return member(world.satellite, Role.TRAINEE, full_name="Megan Second")


def test_supervisor_records_group_supervision_with_a_family_and_an_action(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, second_trainee: User, world: World
) -> None:
    episode = open_episode(world.satellite, trainee)
    client = signed_in(hub_supervisor)
    page = client.get("/supervision/record")
    assert page.status_code == 200
    assert "Tina Trainee" in page.content.decode()
    assert "Megan Second" in page.content.decode()
    due = TODAY() + dt.timedelta(days=7)
    response = _post(
        client,
        supervisees=[str(trainee.pk), str(second_trainee.pk)],
        episodes=[str(episode.pk)],
        action_1="Offer a video feedback session",
        action_1_owner=str(trainee.pk),
        **{"action_1_due-day": due.day, "action_1_due-month": due.month, "action_1_due-year": due.year},
    )
    session = SupervisionSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/sessions/{session.pk}"
    assert session.supervisor == hub_supervisor
    assert session.duration_minutes == 90
    assert {a.supervisee for a in session.attendees.all()} == {trainee, second_trainee}
    assert [d.episode for d in session.discussions.all()] == [episode]
    action = SupervisionAction.objects.get()
    assert action.owner == trainee
    assert action.due_on == due
    task = Task.objects.open().get(kind=TaskKind.SUPERVISION_ACTION)
    assert task.assignee == trainee
    assert task.url == f"/supervision/sessions/{session.pk}"
    assert AuditEvent.objects.filter(action="supervision.recorded", object_id=str(session.pk)).exists()
    assert AuditEvent.objects.filter(action="supervision.action_agreed", object_id=str(action.pk)).exists()
    shown = client.get(f"/supervision/sessions/{session.pk}").content.decode()
    assert "recorded" in shown
    assert "Offer a video feedback session" in shown


def test_errors_are_shown_on_the_fields_and_every_value_is_kept(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User
) -> None:
    client = signed_in(hub_supervisor)
    tomorrow = TODAY() + dt.timedelta(days=1)
    response = _post(
        client,
        supervisees=[str(trainee.pk)],
        duration_minutes="10",
        notes="Kept text",
        **{"held_on-day": tomorrow.day, "held_on-month": tomorrow.month, "held_on-year": tomorrow.year},
        action_1="Read the attachment paper",
    )
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "There is a problem" in html
    assert "The date of the supervision must be today or in the past" in html
    assert "The length must be between 15 and 240 minutes" in html
    assert "Select who will do action 1" in html
    assert "Kept text" in html
    assert 'value="10"' in html
    assert "Read the attachment paper" in html
    assert not SupervisionSession.objects.exists()


def test_individual_supervision_is_with_one_person(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, second_trainee: User
) -> None:
    response = _post(
        signed_in(hub_supervisor), kind="individual", supervisees=[str(trainee.pk), str(second_trainee.pk)]
    )
    assert "Individual supervision is with one person" in response.content.decode()  # type: ignore[attr-defined]
    assert not SupervisionSession.objects.exists()


def test_a_practitioner_cannot_record_supervision(signed_in: Callable[[User], Client], practitioner: User) -> None:
    assert signed_in(practitioner).get("/supervision/record").status_code == 403


def test_people_outside_the_service_cannot_be_supervised_by_posting_their_id(
    signed_in: Callable[[User], Client], hub_supervisor: User, outsider: User
) -> None:
    response = _post(signed_in(hub_supervisor), supervisees=[str(outsider.pk)])
    assert "Select people from the list" in response.content.decode()  # type: ignore[attr-defined]
    assert not SupervisionSession.objects.exists()


def test_completing_an_action_closes_its_task(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User
) -> None:
    due = TODAY() + dt.timedelta(days=3)
    client = signed_in(hub_supervisor)
    _post(
        client,
        kind="individual",
        supervisees=[str(trainee.pk)],
        action_1="Book a review",
        action_1_owner=str(trainee.pk),
        **{"action_1_due-day": due.day, "action_1_due-month": due.month, "action_1_due-year": due.year},
    )
    action = SupervisionAction.objects.get()
    response = signed_in(trainee).post(
        f"/supervision/sessions/{action.session_id}/actions/{action.pk}/done", {"note": "Booked for Friday"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_by == trainee
    assert action.done_note == "Booked for Friday"
    assert not Task.objects.open().filter(kind=TaskKind.SUPERVISION_ACTION).exists()
    assert AuditEvent.objects.filter(action="supervision.action_done").exists()


# Who sees a session and the families discussed ---------------------------------------------------


def test_strangers_get_404_for_a_session(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, outsider: User, practitioner: User
) -> None:
    session = given_session(hub_supervisor, [trainee], TODAY())
    assert signed_in(outsider).get(f"/supervision/sessions/{session.pk}").status_code == 404
    assert signed_in(practitioner).get(f"/supervision/sessions/{session.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", object_id=str(session.pk)).count() == 2


def test_a_family_discussed_is_hidden_from_a_team_lead_with_no_role_in_its_team(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, team_lead: User, world: World
) -> None:
    episode = open_episode(world.satellite, trainee)
    session = given_session(hub_supervisor, [trainee], TODAY(), episodes=[episode])
    title = "Family of"
    lead_view = signed_in(team_lead).get(f"/supervision/sessions/{session.pk}").content.decode()
    assert "Other families were discussed that you do not have access to" in lead_view
    assert f"/episodes/{episode.pk}" not in lead_view
    present_view = signed_in(hub_supervisor).get(f"/supervision/sessions/{session.pk}").content.decode()
    assert title in present_view
    assert "Other families were discussed" not in present_view


def test_a_supervisor_in_another_team_sees_a_supervisees_family_only_once_discussed(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, world: World
) -> None:
    episode = open_episode(world.satellite, trainee)
    given_session(hub_supervisor, [trainee], TODAY() - dt.timedelta(days=30))  # makes them a supervisee
    client = signed_in(hub_supervisor)
    before = client.get(f"/supervision/supervisees/{trainee.pk}/caseload").content.decode()
    assert "They hold 1 other family in teams you do not work in" in before
    assert "Family of" not in before
    given_session(hub_supervisor, [trainee], TODAY(), episodes=[episode])
    after = client.get(f"/supervision/supervisees/{trainee.pk}/caseload").content.decode()
    assert "Family of" in after
    assert "other family" not in after
    # Discussed, but still not theirs to open: no link into the episode.
    assert f"/episodes/{episode.pk}" not in after
    assert AuditEvent.objects.filter(action="supervision.supervisee_caseload_viewed").count() == 2


def test_a_supervisor_with_a_role_in_the_team_sees_the_caseload_and_links_to_it(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, world: World
) -> None:
    episode = open_episode(world.satellite, trainee)
    page = signed_in(supervisor).get(f"/supervision/supervisees/{trainee.pk}/caseload").content.decode()
    assert "Family of" in page
    assert f"/episodes/{episode.pk}" in page


def test_someone_not_supervised_by_them_is_not_found(
    signed_in: Callable[[User], Client], hub_supervisor: User, practitioner: User, trainee: User
) -> None:
    client = signed_in(hub_supervisor)
    assert client.get(f"/supervision/supervisees/{trainee.pk}/caseload").status_code == 404
    assert signed_in(practitioner).get(f"/supervision/supervisees/{trainee.pk}/caseload").status_code == 403


def test_the_episode_choices_hold_only_the_supervisees_families(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, outsider: User, world: World
) -> None:
    mine = open_episode(world.satellite, trainee)
    elsewhere = open_episode(world.other_team, outsider)
    client = signed_in(hub_supervisor)
    page = client.get("/supervision/record").content.decode()
    assert str(mine.pk) in page
    assert str(elsewhere.pk) not in page
    response = _post(client, supervisees=[str(trainee.pk)], episodes=[str(elsewhere.pk)])
    assert "Select families from the list" in response.content.decode()  # type: ignore[attr-defined]


def test_sessions_list_query_count_does_not_grow(
    signed_in: Callable[[User], Client], hub_supervisor: User, trainee: User, second_trainee: User
) -> None:
    client = signed_in(hub_supervisor)
    assert_flat(
        grow=growing(
            lambda: given_session(hub_supervisor, [trainee, second_trainee], TODAY()),
            lambda: SupervisionSession.objects.count(),
        ),
        fetch=lambda: client.get("/supervision"),
    )
    # 200 sessions, newest first, 25 to a page: every session is on exactly one page.
    first = client.get("/supervision").content.decode()
    assert first.count("Megan Second") == SESSIONS_PER_PAGE
    assert "Page 1 of 8: 200 sessions in all" in first
    assert 'href="?page=2"' in first
    assert sum(client.get(f"/supervision?page={n}").content.decode().count("Megan Second") for n in range(1, 9)) == 200
    last = client.get("/supervision?page=8").content.decode()
    assert "Page 8 of 8" in last
    assert "Older sessions" not in last
    trainee_view = signed_in(trainee).get("/supervision").content.decode()
    assert trainee_view.count("Helen Hub") == SESSIONS_PER_PAGE
    assert "200 sessions in all" in trainee_view
