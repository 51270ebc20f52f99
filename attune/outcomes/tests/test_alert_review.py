"""A risk alert's action recorded in structure (what was done, when, by whom, and a description
of what was done and decided), and a high-risk alert (self-harm, harm to the baby: declared in
the instruments' data) reviewed by the team's clinical supervisor or, with none, its team lead,
due 2 working days after the action is recorded. The alert's page shows its history."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.models import AuditEvent, Outcome, Task, TaskKind
from attune.core.testing.actors import acting
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes import instruments, services
from attune.outcomes.models import Administration, Source
from attune.outcomes.tests.entry_helpers import answers, episode_with_baby

# A Friday morning (London is on UTC in November): 2 working days on is Tuesday, same time.
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
# Session, user, memberships, the measure, the alert, the banner, the team's staff or the
# reviewers asked, the audit row and its savepoints: the same whatever the alert's history.
QUERIES = 12
GOOD = "Rang mum at once: no plans to act; safety plan agreed, GP told and crisis number given."


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


def _measure(episode: Episode, code: str, scores: dict[int, int]) -> tuple[Administration, FamilyAlert]:
    stored = services.record_administration(
        actor=None,
        episode=episode,
        instrument=code,
        answers=answers(code, scores),
        time_point="assessment",
        completed_on=timezone.localdate(),
        source=Source.STAFF,
        carer=episode.carers.get() if instruments.get(code).about != "infant" else None,
        infant=episode.infants.get() if instruments.get(code).about != "carer" else None,
    )
    return stored, FamilyAlert.objects.get(about_id=str(stored.pk))


@pytest.fixture
def epds(world: World, practitioner: User) -> tuple[Episode, Administration, FamilyAlert]:
    episode = episode_with_baby(world.hub, practitioner)
    stored, alert = _measure(episode, "EPDS", {10: 2})
    return episode, stored, alert


def _form(user: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "actions_done": ["assessed_by_phone", "gp_told"],
        "done_on-day": "27",
        "done_on-month": "11",
        "done_on-year": "2026",
        "done_time": "10:00",
        "done_by": str(user.pk),
        "action": GOOD,
    }
    data.update(changes)
    return data


def _url(stored: Administration, alert: FamilyAlert) -> str:
    return f"/measures/{stored.pk}/alerts/{alert.pk}"


# High risk comes from the instruments' data ------------------------------------------------


def test_high_risk_rules_are_declared_in_the_instrument_data() -> None:
    declared = {
        (instrument.code, rule.item)
        for instrument in instruments.all_instruments()
        for rule in instrument.risk_rules
        if rule.high_risk
    }
    assert declared == {("EPDS", 10), ("PHQ9", 9), ("CORE10", 6), ("PBQ", 18), ("PBQ", 24)}
    assert services.high_risk_messages("ADBB") == frozenset()


def test_a_self_harm_answer_raises_a_high_risk_alert_and_a_withdrawn_baby_does_not(
    world: World, practitioner: User
) -> None:
    episode = episode_with_baby(world.hub, practitioner)
    _, self_harm = _measure(episode, "PHQ9", {9: 1})
    _, harm_to_baby = _measure(episode, "PBQ", {24: 1})
    _, withdrawal = _measure(episode, "ADBB", {1: 2, 2: 2, 3: 2})
    assert self_harm.high_risk
    assert harm_to_baby.high_risk
    assert not withdrawal.high_risk


# The action, through the service ----------------------------------------------------------


def test_a_high_risk_action_raises_a_review_task_for_the_supervisor_due_in_2_working_days(
    epds: tuple[Episode, Administration, FamilyAlert], practitioner: User, supervisor: User, team_lead: User
) -> None:
    _, stored, alert = epds
    services.record_alert_action(
        actor=acting(practitioner),
        alert=alert,
        action=GOOD,
        actions_done=["assessed_by_phone", "gp_told"],
        done_at=NOW - dt.timedelta(minutes=0),
    )
    alert.refresh_from_db()
    assert alert.actions_done == ["assessed_by_phone", "gp_told"]
    assert (alert.action_done_at, alert.action_done_by, alert.closed_by) == (NOW, practitioner, practitioner)
    assert alert.review_due_at == DUE
    task = Task.objects.open().get(kind=TaskKind.REVIEW_RISK_ALERT)
    assert (task.assignee, task.due_at) == (supervisor, DUE)  # the supervisor, not the team lead
    assert task.url == _url(stored, alert)
    assert not Task.objects.open().filter(kind=TaskKind.RISK_ALERT).exists()


def test_without_a_supervisor_the_team_lead_reviews(
    epds: tuple[Episode, Administration, FamilyAlert], practitioner: User, team_lead: User
) -> None:
    _, _, alert = epds
    services.record_alert_action(actor=acting(practitioner), alert=alert, action=GOOD, actions_done=["gp_told"])
    assert [t.assignee for t in Task.objects.open().filter(kind=TaskKind.REVIEW_RISK_ALERT)] == [team_lead]


def test_the_review_setting_changes_the_due_time(
    epds: tuple[Episode, Administration, FamilyAlert], practitioner: User, supervisor: User, settings: Any
) -> None:
    settings.ATTUNE_ALERT_REVIEW_WORKING_DAYS = 1
    _, _, alert = epds
    services.record_alert_action(actor=acting(practitioner), alert=alert, action=GOOD, actions_done=["gp_told"])
    assert Task.objects.open().get(kind=TaskKind.REVIEW_RISK_ALERT).due_at == NOW + dt.timedelta(days=3)


def test_an_alert_that_is_not_high_risk_needs_no_review(world: World, practitioner: User, supervisor: User) -> None:
    episode = episode_with_baby(world.hub, practitioner)
    _, withdrawal = _measure(episode, "ADBB", {1: 2, 2: 2, 3: 2})
    services.record_alert_action(actor=acting(practitioner), alert=withdrawal, action=GOOD, actions_done=["other"])
    withdrawal.refresh_from_db()
    assert withdrawal.closed_at is not None
    assert withdrawal.review_due_at is None
    assert not Task.objects.filter(kind=TaskKind.REVIEW_RISK_ALERT).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"action": "x"}, "action", "Describe what was done and what was decided, in at least 20 characters"),
        ({"actions_done": []}, "actions_done", "Select what was done about this alert"),
        ({"actions_done": ["made_up"]}, "actions_done", "Select what was done from the list"),
        ({"done_at": NOW + dt.timedelta(hours=1)}, "done_at", "must be now or in the past"),
        ({"done_at": NOW - dt.timedelta(hours=1)}, "done_at", "must be after the alert was raised"),
    ],
)
def test_an_action_is_refused_without_its_parts(
    epds: tuple[Episode, Administration, FamilyAlert],
    practitioner: User,
    supervisor: User,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    _, _, alert = epds
    given: dict[str, Any] = {"action": GOOD, "actions_done": ["gp_told"], "done_at": NOW, **changes}
    with pytest.raises(services.OutcomeError, match=message) as refused:
        services.record_alert_action(actor=acting(practitioner), alert=alert, **given)
    assert refused.value.field == field
    assert FamilyAlert.objects.active().count() == 1
    assert Task.objects.open().filter(kind=TaskKind.RISK_ALERT).exists()
    assert not Task.objects.filter(kind=TaskKind.REVIEW_RISK_ALERT).exists()


# Through the page --------------------------------------------------------------------------


def test_posting_x_is_refused_with_the_message_and_keeps_what_was_typed(
    signed_in: Callable[[User], Client], epds: tuple[Episode, Administration, FamilyAlert], practitioner: User
) -> None:
    _, stored, alert = epds
    response = signed_in(practitioner).post(_url(stored, alert), _form(practitioner, action="x"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Describe what was done and what was decided, in at least 20 characters" in page
    assert "<title>Error:" in page
    assert 'value="gp_told" checked' in page.replace("\n", " ") or 'value="gp_told"  checked' in page
    assert ">x</textarea>" in page
    assert 'value="10:00"' in page
    assert FamilyAlert.objects.active().count() == 1
    assert AuditEvent.objects.filter(
        action="outcomes.alert_action_refused", object_id=str(alert.pk), outcome=Outcome.FAILURE
    ).exists()


def test_a_good_action_closes_the_alert_and_the_supervisor_reviews_it(
    signed_in: Callable[[User], Client],
    epds: tuple[Episode, Administration, FamilyAlert],
    practitioner: User,
    supervisor: User,
) -> None:
    _, stored, alert = epds
    url = _url(stored, alert)
    done = signed_in(practitioner).post(url, _form(practitioner))
    assert done.status_code == 302
    assert not FamilyAlert.objects.active().exists()
    task = Task.objects.open().get(kind=TaskKind.REVIEW_RISK_ALERT, assignee=supervisor)

    reviewer = signed_in(supervisor)
    page = reviewer.get(task.url).content.decode()
    assert "data-review-due" in page
    assert "must review the action taken by 10:00am on Tuesday 1 December 2026" in page
    assert "Risk assessed by phone, GP told" in page
    assert GOOD in page
    assert "Pat Practitioner" in page
    assert "Do you agree with the action taken?" in page

    refused = reviewer.post(f"{url}/review", {"outcome": "", "comment": ""})
    assert refused.status_code == 200
    assert "Select whether you agree with the action taken" in refused.content.decode()
    assert "Enter a comment on the action taken" in refused.content.decode()

    reviewed = reviewer.post(f"{url}/review", {"outcome": "agree", "comment": "Right call; see her this week."})
    assert reviewed.status_code == 302
    task.refresh_from_db()
    assert task.closed_at is not None
    assert task.closed_by == supervisor
    assert AuditEvent.objects.filter(action="family_alert.reviewed", object_id=str(alert.pk)).exists()
    history = reviewer.get(url).content.decode()
    assert "Review recorded." in history
    assert "Reviewed: agree" in history
    assert "Right call; see her this week." in history
    assert "Sam Supervisor" in history
    assert GOOD in history  # the action stays in the history
    assert "data-review-due" not in history
    assert "Do you agree with the action taken?" not in history


def test_a_practitioner_cannot_review_and_a_stranger_gets_404(
    signed_in: Callable[[User], Client],
    epds: tuple[Episode, Administration, FamilyAlert],
    practitioner: User,
    supervisor: User,
    outsider: User,
) -> None:
    _, stored, alert = epds
    services.record_alert_action(actor=acting(practitioner), alert=alert, action=GOOD, actions_done=["gp_told"])
    url = f"{_url(stored, alert)}/review"
    review = {"outcome": "agree", "comment": "Fine by me"}
    client = signed_in(practitioner)
    assert "Do you agree with the action taken?" not in client.get(_url(stored, alert)).content.decode()
    assert client.post(url, review).status_code == 403
    assert signed_in(outsider).post(url, review).status_code == 404
    alert.refresh_from_db()
    assert alert.reviewed_at is None
    assert Task.objects.open().filter(kind=TaskKind.REVIEW_RISK_ALERT).exists()
    with pytest.raises(services.OutcomeError, match="Only a clinical supervisor or team lead"):
        services.review_alert_action(actor=acting(practitioner), alert=alert, outcome="agree", comment="Fine")


def test_an_alert_closed_before_structure_keeps_its_history(
    signed_in: Callable[[User], Client], epds: tuple[Episode, Administration, FamilyAlert], practitioner: User
) -> None:
    _, stored, alert = epds
    FamilyAlert.objects.filter(pk=alert.pk).update(
        closed_at=NOW, closed_by=practitioner, action_taken="Rang her; GP informed", high_risk=False
    )
    page = signed_in(practitioner).get(_url(stored, alert)).content.decode()
    assert "Rang her; GP informed" in page
    assert "Not recorded" in page
    assert "Record the action and close the alert" not in page


@pytest.mark.parametrize("reviewed", [False, True])
def test_the_alert_page_takes_a_fixed_number_of_queries(
    signed_in: Callable[[User], Client],
    epds: tuple[Episode, Administration, FamilyAlert],
    practitioner: User,
    supervisor: User,
    django_assert_max_num_queries: Callable[..., Any],
    reviewed: bool,
) -> None:
    _, stored, alert = epds
    if reviewed:
        services.record_alert_action(actor=acting(practitioner), alert=alert, action=GOOD, actions_done=["gp_told"])
    client = signed_in(supervisor)
    client.get(_url(stored, alert))  # sessions and the like warmed
    with django_assert_max_num_queries(QUERIES):
        assert client.get(_url(stored, alert)).status_code == 200
