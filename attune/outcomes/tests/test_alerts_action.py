"""Acting on a risk alert: its page shows the alert and asks what was done; only recording the
action closes the alert and every RISK_ALERT task about it, with the action as the note."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.core.actors import Actor
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.families.models import FamilyAlert
from attune.organisations.tests.world import World
from attune.outcomes import services
from attune.outcomes.models import Administration, Source
from attune.outcomes.tests.entry_helpers import answers, episode_with_baby


def _request(user: User) -> Actor:
    return acting(user, ip="127.0.0.1")


@pytest.fixture
def raised(world: World, practitioner: User, team_lead: User) -> tuple[Episode, Administration, FamilyAlert]:
    episode = episode_with_baby(world.hub, practitioner)
    stored = services.record_administration(
        actor=None,
        episode=episode,
        instrument="EPDS",
        answers=answers("EPDS", {10: 2}),
        time_point="assessment",
        completed_on=timezone.localdate(),
        source=Source.STAFF,
        carer=episode.carers.get(),
    )
    return episode, stored, FamilyAlert.objects.get()


def test_recording_the_action_closes_the_alert_and_its_tasks(
    raised: tuple[Episode, Administration, FamilyAlert], practitioner: User, team_lead: User
) -> None:
    _, _, alert = raised
    assert Task.objects.open().filter(kind=TaskKind.RISK_ALERT).count() == 2
    services.record_alert_action(actor=_request(team_lead), alert=alert, action="Spoke to her today; GP informed")
    alert.refresh_from_db()
    assert alert.closed_at is not None
    assert alert.closed_by == team_lead
    assert alert.action_taken == "Spoke to her today; GP informed"
    closed = Task.objects.filter(kind=TaskKind.RISK_ALERT)
    assert all(task.closed_at and task.closed_note == "Spoke to her today; GP informed" for task in closed)
    assert closed.count() == 2
    assert AuditEvent.objects.filter(action="family_alert.closed", object_id=str(alert.pk)).exists()


@pytest.mark.parametrize("action", ["", "   \n "])
def test_closing_needs_an_action(
    raised: tuple[Episode, Administration, FamilyAlert], practitioner: User, action: str
) -> None:
    _, _, alert = raised
    with pytest.raises(services.OutcomeError) as problem:
        services.record_alert_action(actor=_request(practitioner), alert=alert, action=action)
    assert problem.value.message == "Enter what you did about this alert"
    assert problem.value.field == "action"
    assert FamilyAlert.objects.active().count() == 1
    assert Task.objects.open().filter(kind=TaskKind.RISK_ALERT).count() == 2


def test_an_alert_closes_once(raised: tuple[Episode, Administration, FamilyAlert], practitioner: User) -> None:
    _, _, alert = raised
    services.record_alert_action(actor=_request(practitioner), alert=alert, action="Rang her; GP seeing her today")
    with pytest.raises(services.OutcomeError, match="already been closed"):
        services.record_alert_action(actor=_request(practitioner), alert=alert, action="Rang her again this evening")


def test_alert_page_records_the_action_and_the_alert_goes(
    signed_in: Callable[[User], Client], raised: tuple[Episode, Administration, FamilyAlert], practitioner: User
) -> None:
    episode, stored, alert = raised
    client = signed_in(practitioner)
    url = f"/measures/{stored.pk}/alerts/{alert.pk}"
    page = client.get(url).content.decode()
    assert "EPDS item 10" in page
    assert "Describe what was done and what was decided" in page
    assert AuditEvent.objects.filter(action="outcomes.alert_viewed", object_id=str(alert.pk)).exists()

    refused = client.post(url, {"action": "  "})
    assert refused.status_code == 200
    assert "Enter what you did about this alert" in refused.content.decode()
    assert FamilyAlert.objects.active().count() == 1

    now = timezone.localtime()
    done = client.post(
        url,
        {
            "actions_done": ["assessed_by_phone", "crisis_team"],
            "done_on-day": now.day,
            "done_on-month": now.month,
            "done_on-year": now.year,
            "done_time": f"{now:%H:%M}",
            "done_by": str(practitioner.pk),
            "action": "Rang her; crisis team visiting tonight",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == f"/measures/{stored.pk}"
    assert not FamilyAlert.objects.active().exists()
    assert not Task.objects.open().filter(kind=TaskKind.RISK_ALERT).exists()
    result = client.get(done["Location"]).content.decode()
    assert "Action recorded. The alert is closed" in result
    assert "Rang her; crisis team visiting tonight" in result
    assert "data-risk-alerts" not in client.get(f"/episodes/{episode.pk}").content.decode()
    # A closed alert's page shows what was done, with no form.
    closed_page = client.get(url).content.decode()
    assert "Rang her; crisis team visiting tonight" in closed_page
    assert "Record the action and close the alert" not in closed_page


def test_an_alert_of_another_measure_is_404(
    signed_in: Callable[[User], Client], raised: tuple[Episode, Administration, FamilyAlert], practitioner: User
) -> None:
    episode, _, alert = raised
    other = services.record_administration(
        actor=None,
        episode=episode,
        instrument="GAD7",
        answers=answers("GAD7"),
        time_point="assessment",
        completed_on=timezone.localdate(),
        source=Source.STAFF,
        carer=episode.carers.get(),
    )
    assert signed_in(practitioner).get(f"/measures/{other.pk}/alerts/{alert.pk}").status_code == 404


def test_a_commissioner_never_sees_an_alert(
    signed_in: Callable[[User], Client], raised: tuple[Episode, Administration, FamilyAlert], commissioner: User
) -> None:
    _, stored, alert = raised
    client = signed_in(commissioner)
    assert client.get(f"/measures/{stored.pk}/alerts/{alert.pk}").status_code == 404
    assert client.post(f"/measures/{stored.pk}/alerts/{alert.pk}", {"action": "x"}).status_code == 404
    assert FamilyAlert.objects.active().count() == 1
