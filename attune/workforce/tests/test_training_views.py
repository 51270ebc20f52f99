"""Training plans through the pages: who sees them, the progress page with derived hours,
evidence and sign-off, the refusals, the audit trail and the query budget."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.codes import Attendance
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.care.tests.pages import html, page_of
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.workforce import services
from attune.workforce.models import Evidence, EvidenceKind, SignOff, TrainingPlan
from attune.workforce.tests.factories import plan, supervision

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """A new client per call: several people sign in within one test, on a stopped clock."""
    return lambda user: sign_in_client(Client(), user)


@pytest.fixture
def training(world: World, trainee: User, supervisor: User) -> TrainingPlan:
    return plan(trainee, world.satellite, supervisor)


def _url(found: TrainingPlan, page: str = "") -> str:
    return f"/training/{found.pk}" + (f"/{page}" if page else "")


# Who sees what --------------------------------------------------------------------------------


def test_the_trainee_her_supervisor_and_team_lead_see_the_plan(
    signed_in: Callable[[User], Client],
    training: TrainingPlan,
    trainee: User,
    supervisor: User,
    team_lead: User,
) -> None:
    for person in (trainee, supervisor, team_lead):  # the hub's team lead leads its satellite
        page = page_of(signed_in(person).get("/training"))
        assert "Tina Trainee" in page
        assert "0 of 12" in page
        assert page_of(signed_in(person).get(_url(training)))
    assert AuditEvent.objects.filter(action="training_plan.list_viewed").count() == 3
    assert AuditEvent.objects.filter(action="training_plan.viewed", object_id=str(training.pk)).count() == 3


def test_an_outsider_gets_not_found_and_a_colleague_is_refused(
    signed_in: Callable[[User], Client], training: TrainingPlan, outsider: User, world: World, practitioner: User
) -> None:
    assert "Tina Trainee" not in html(signed_in(outsider).get("/training"))
    assert signed_in(outsider).get(_url(training)).status_code == 404
    assert signed_in(outsider).get(_url(training, "sign-off")).status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", outcome=Outcome.NOT_FOUND).count() == 2
    # A hub practitioner has no role in the satellite: not found either.
    assert signed_in(practitioner).get(_url(training)).status_code == 404
    colleague = UserFactory(full_name="Colin Colleague")
    MembershipFactory(user=colleague, role=Role.PRACTITIONER, team=world.satellite)
    assert signed_in(colleague).get(_url(training)).status_code == 403
    assert "Tina Trainee" not in html(signed_in(colleague).get("/training"))


# The progress page ----------------------------------------------------------------------------


def test_hours_are_derived_from_attended_contacts_and_supervision(
    signed_in: Callable[[User], Client], training: TrainingPlan, world: World, trainee: User, supervisor: User
) -> None:
    episode = open_episode(world.satellite, trainee, opened_at=at(dt.date(2026, 9, 1)))
    appointment(episode, trainee, at(dt.date(2026, 10, 5)), minutes=90, attendance=Attendance.ATTENDED)
    appointment(episode, trainee, at(dt.date(2026, 10, 12)), minutes=60, attendance=Attendance.DID_NOT_ATTEND)
    appointment(
        episode,
        supervisor,
        at(dt.date(2026, 3, 2)),
        minutes=60,
        attendance=Attendance.LATE_SEEN,
        second_practitioner=trainee,
    )
    supervision(supervisor, dt.date(2026, 11, 2), 60, trainee)
    supervision(supervisor, dt.date(2026, 1, 5), 90, trainee)
    page = page_of(signed_in(trainee).get(_url(training)))
    # Clinical 1.5 + 1 since starting, 1.5 in the last 3 months; supervision 2.5 and 1.
    cells = re.findall(
        r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">\s*(?:<span[^>]*>[^<]*</span>)?\s*([^<]+?)\s*</td>',
        page,
    )
    assert cells[:4] == ["2.5 hours", "1.5 hours", "2.5 hours", "1 hour"]
    assert "October 2026" in page


def test_what_is_next_lists_unsigned_competencies_earliest_domain_first(
    signed_in: Callable[[User], Client], training: TrainingPlan, trainee: User, supervisor: User
) -> None:
    services.sign_off_competency(
        actor=acting(supervisor), plan=training, competency_code="AS1", signed_on=TODAY, comment="Good"
    )
    page = page_of(signed_in(trainee).get(_url(training)))
    assert "1 of 12 competencies signed off" in page
    first = page.split("What is next", 1)[1]
    assert first.index("AS2: Observes") < first.index("AS3: Formulates") < first.index("IN1: Plans")
    assert "And 8 more after these." in page


# Evidence -------------------------------------------------------------------------------------


def test_the_trainee_adds_evidence(signed_in: Callable[[User], Client], training: TrainingPlan, trainee: User) -> None:
    client = signed_in(trainee)
    form = page_of(client.get(_url(training, "evidence") + "?competency=RS1"))
    assert '<option value="RS1" selected>' in form
    response = client.post(
        _url(training, "evidence"),
        {
            "competency": "RS1",
            "kind": EvidenceKind.CASE_DISCUSSION,
            "dated_on-day": "20",
            "dated_on-month": "11",
            "dated_on-year": "2026",
            "description": "Talked through a domestic abuse disclosure in supervision",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url(training)
    evidence = Evidence.objects.get()
    assert (evidence.competency_code, evidence.recorded_by, evidence.dated_on) == (
        "RS1",
        trainee,
        dt.date(2026, 11, 20),
    )
    assert AuditEvent.objects.filter(action="training_plan.evidence_added", object_id=str(training.pk)).exists()
    page = page_of(client.get(_url(training)))
    assert "Case discussion, 20 November 2026: Talked through a domestic abuse disclosure" in page
    assert "Evidence added for RS1." in page


def test_evidence_in_the_future_is_refused_and_what_was_typed_kept(
    signed_in: Callable[[User], Client], training: TrainingPlan, trainee: User
) -> None:
    response = signed_in(trainee).post(
        _url(training, "evidence"),
        {
            "competency": "IN2",
            "kind": EvidenceKind.OBSERVED_SESSION,
            "dated_on-day": "1",
            "dated_on-month": "12",
            "dated_on-year": "2026",
            "description": "Video feedback session",
        },
    )
    page = page_of(response)
    assert "There is a problem" in page
    assert "Date of the evidence must be today or in the past" in page
    assert "Video feedback session" in page
    assert '<option value="IN2" selected>' in page
    assert not Evidence.objects.exists()


# Sign-off -------------------------------------------------------------------------------------


def _sign_off(
    client: Client, found: TrainingPlan, code: str = "AS1", comment: str = "Confident, warm engagement"
) -> object:
    return client.post(
        _url(found, "sign-off"),
        {
            "competency": code,
            "signed_on-day": "27",
            "signed_on-month": "11",
            "signed_on-year": "2026",
            "comment": comment,
        },
    )


def test_the_supervisor_signs_off_a_competency(
    signed_in: Callable[[User], Client], training: TrainingPlan, supervisor: User
) -> None:
    client = signed_in(supervisor)
    response = _sign_off(client, training)
    assert response.status_code == 302  # type: ignore[attr-defined]
    sign_off = SignOff.objects.get()
    assert (sign_off.signed_by, sign_off.signed_on, sign_off.comment) == (
        supervisor,
        TODAY,
        "Confident, warm engagement",
    )
    event = AuditEvent.objects.get(action="training_plan.competency_signed_off")
    assert event.actor == supervisor
    assert event.detail["competency"] == "AS1"
    assert "Clinical supervisor, Example satellite team" in event.role
    page = page_of(client.get(_url(training)))
    assert "Signed off on 27 November 2026 by Sam Supervisor" in page
    assert "Confident, warm engagement" in page
    # Signed once: no longer offered, and a second post is refused on the form.
    assert 'value="AS1"' not in page_of(client.get(_url(training, "sign-off")))
    again = page_of(_sign_off(client, training, comment="Again"))  # type: ignore[arg-type]
    assert "Select a competency not yet signed off" in again
    assert "Again" in again
    assert SignOff.objects.count() == 1


def test_a_comment_is_required(signed_in: Callable[[User], Client], training: TrainingPlan, supervisor: User) -> None:
    page = page_of(_sign_off(signed_in(supervisor), training, code="RS2", comment=""))  # type: ignore[arg-type]
    assert "Enter a comment about the sign-off" in page
    assert '<option value="RS2" selected>' in page
    assert not SignOff.objects.exists()


def test_the_trainee_and_team_lead_cannot_sign_off(
    signed_in: Callable[[User], Client], training: TrainingPlan, trainee: User, team_lead: User
) -> None:
    for person in (trainee, team_lead):
        client = signed_in(person)
        assert client.get(_url(training, "sign-off")).status_code == 403
        assert _sign_off(client, training).status_code == 403  # type: ignore[attr-defined]
        assert "Sign off a competency" not in page_of(client.get(_url(training)))
    assert not SignOff.objects.exists()
    assert AuditEvent.objects.filter(action="access.refused", outcome=Outcome.DENIED).count() == 4


def test_the_action_refuses_a_second_sign_off_a_future_date_and_a_non_supervisor(
    training: TrainingPlan, supervisor: User, trainee: User, world: World
) -> None:
    services.sign_off_competency(
        actor=acting(supervisor), plan=training, competency_code="WW1", signed_on=TODAY, comment="Yes"
    )
    with pytest.raises(services.WorkforceError, match="already signed off by Sam Supervisor on 27 November 2026"):
        services.sign_off_competency(
            actor=acting(supervisor), plan=training, competency_code="WW1", signed_on=TODAY, comment="Again"
        )
    with pytest.raises(services.WorkforceError, match="today or in the past"):
        services.sign_off_competency(
            actor=acting(supervisor),
            plan=training,
            competency_code="WW2",
            signed_on=TODAY + dt.timedelta(days=1),
            comment="Yes",
        )
    with pytest.raises(services.WorkforceError, match="Only the trainee's supervisor"):
        services.sign_off_competency(
            actor=acting(trainee), plan=training, competency_code="WW2", signed_on=TODAY, comment="Yes"
        )
    assert AuditEvent.objects.filter(action="training_plan.sign_off_refused", outcome=Outcome.DENIED).count() == 1
    # Another supervisor in the trainee's team may sign off too.
    other = UserFactory(full_name="Olive Other")
    MembershipFactory(user=other, role=Role.SUPERVISOR, team=world.satellite)
    services.sign_off_competency(
        actor=acting(other), plan=training, competency_code="WW2", signed_on=TODAY, comment="Yes"
    )
    assert SignOff.objects.count() == 2


# Query budget ---------------------------------------------------------------------------------


def test_trainees_list_query_count_does_not_grow(
    signed_in: Callable[[User], Client], world: World, supervisor: User
) -> None:
    client = signed_in(supervisor)

    def add() -> None:
        person = UserFactory()
        MembershipFactory(user=person, role=Role.TRAINEE, team=world.satellite)
        found = plan(person, world.satellite, supervisor)
        SignOff.objects.create(plan=found, competency_code="AS1", signed_by=supervisor, signed_on=TODAY, comment="ok")

    assert_flat(
        grow=growing(add, lambda: TrainingPlan.objects.count()),
        fetch=lambda: page_of(client.get("/training")),
    )
