"""The demo's supervision: a year of history, one trainee overdue and one due, Tom fortnightly
and on time, a family discussed and an open action with its task."""

import datetime as dt

from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import Task, TaskKind
from attune.nonprod.tests.demo import person
from attune.supervision.models import (
    CaseDiscussion,
    ClinicalExperience,
    SupervisionAction,
    SupervisionSession,
    SupervisionStandardSetting,
)
from attune.supervision.standard import FORTNIGHT, PARENT_INFANT_FOUNDATION, WEEK, Status, compliance


def _status(person: User) -> Status:
    experience = ClinicalExperience.objects.get(practitioner=person)
    sessions = SupervisionSession.objects.filter(attendees__supervisee=person).values_list(
        "held_on", "duration_minutes"
    )
    return compliance(
        experience_since=experience.under_twos_experience_since,
        weekly_hours=experience.weekly_hours,
        sessions=list(sessions),
        today=timezone.localdate(),
        standard=PARENT_INFANT_FOUNDATION,
    ).status


def test_a_year_of_supervision_with_one_trainee_overdue_and_one_due() -> None:
    helen, tom = person("supervisor"), person("practitioner")
    # The demo's service keeps the Parent-Infant Foundation standard (no standard of its own).
    assert not SupervisionStandardSetting.objects.exists()
    aisha, megan = person("trainee_1"), person("trainee_2")
    today = timezone.localdate()
    held = SupervisionSession.objects.filter(supervisor=helen)
    assert held.filter(held_on__lte=today - dt.timedelta(days=300)).exists()
    assert held.filter(kind="group").count() > 40
    assert _status(megan) is Status.OVERDUE
    assert _status(aisha) is Status.DUE
    assert _status(tom) is not Status.OVERDUE


def test_experience_sets_weekly_for_trainees_and_fortnightly_for_tom() -> None:
    from attune.supervision.standard import requirement

    today = timezone.localdate()
    for key, period in (("trainee_1", WEEK), ("trainee_2", WEEK), ("practitioner", FORTNIGHT)):
        experience = ClinicalExperience.objects.get(practitioner=person(key))
        found = requirement(
            experience_since=experience.under_twos_experience_since,
            weekly_hours=experience.weekly_hours,
            on=today,
            standard=PARENT_INFANT_FOUNDATION,
        )
        assert found.period_days == period


def test_a_family_discussed_and_an_open_action_with_its_task() -> None:
    aisha = person("trainee_1")
    assert CaseDiscussion.objects.exists()
    action = SupervisionAction.objects.open().get(owner=aisha)
    assert Task.objects.open().filter(kind=TaskKind.SUPERVISION_ACTION, assignee=aisha).exists()
    assert action.due_on > timezone.localdate()
