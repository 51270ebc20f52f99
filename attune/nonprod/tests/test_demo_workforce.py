"""The demo's workforce: trainees' plans (Aisha mid-programme, Megan earlier on), the satellite's
posts with extensions ending soon and the team lead warned, and activity over the past year."""

import datetime as dt

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.core.models import AuditEvent, Task, TaskKind
from attune.nonprod import demo_workforce, scenario
from attune.nonprod.tests.demo import loaded_once
from attune.workforce.models import Evidence, NonCaseloadActivity, Post, SignOff, TrainingPlan

pytestmark = pytest.mark.django_db


def _load() -> None:
    scenario.load()
    demo_workforce.load_for_scenario()


def _person(key: str) -> User:
    return User.objects.get(email=next(p.email for p in scenario.PEOPLE if p.key == key))


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (TrainingPlan, Evidence, SignOff, Post, NonCaseloadActivity, Task))


def test_loading_twice_changes_nothing_and_a_later_load_keeps_the_warning(time_machine: TimeMachineFixture) -> None:
    _load()
    before = _counts()
    demo_workforce.load_for_scenario()
    assert _counts() == before
    # Three months later the extensions are re-dated to end soon again.
    time_machine.move_to(timezone.now() + dt.timedelta(days=90))
    demo_workforce.load_for_scenario()
    today = timezone.localdate()
    for post in Post.objects.filter(title__contains="extension"):
        assert post.ends_on is not None
        assert today < post.ends_on <= today + dt.timedelta(weeks=8)
    assert TrainingPlan.objects.count() == 2


demo_once = loaded_once(_load)


@pytest.mark.usefixtures("demo_once")
class TestTheLoadedDemo:
    """Tests that read the demo as loaded today (loaded once for them all)."""

    def test_trainees_have_plans_with_sign_offs_and_evidence(self) -> None:
        aisha = TrainingPlan.objects.get(trainee=_person("trainee_1"))
        megan = TrainingPlan.objects.get(trainee=_person("trainee_2"))
        today = timezone.localdate()
        assert aisha.started_on == scenario.SATELLITE_START < today < aisha.expected_qualification_on
        assert aisha.supervisor == megan.supervisor == _person("supervisor")
        assert aisha.sign_offs.count() == 6 > megan.sign_offs.count() == 2
        assert all(s.signed_on <= today and s.comment for s in SignOff.objects.all())
        # Each sign-off rests on evidence for that competency.
        for plan in (aisha, megan):
            evidenced = set(plan.evidence.values_list("competency_code", flat=True))
            assert set(plan.sign_offs.values_list("competency_code", flat=True)) <= evidenced
        assert AuditEvent.objects.filter(action="training_plan.competency_signed_off").count() == 8

    def test_posts_and_the_warning_for_the_team_lead(self) -> None:
        satellite = scenario.teams()[1]
        first = Post.objects.filter(team=satellite, ends_on=dt.date(2025, 3, 31))
        assert first.count() == 2
        assert {p.starts_on for p in first} == {dt.date(2024, 11, 1)}
        assert {p.funded_by for p in first} == {"Blackburn with Darwen Council"}
        today = timezone.localdate()
        extensions = Post.objects.filter(team=satellite, title__contains="extension")
        assert extensions.count() == 2
        assert all(today < p.ends_on <= today + dt.timedelta(weeks=8) for p in extensions if p.ends_on)
        assert Post.objects.filter(team=scenario.teams()[0]).exists()
        warned = Task.objects.open().filter(kind=TaskKind.POST_ENDING)
        assert {t.assignee for t in warned} == {_person("team_lead")}
        assert warned.count() == 2

    def test_activities_over_the_past_year(self) -> None:
        today = timezone.localdate()
        held = list(NonCaseloadActivity.objects.values_list("held_on", flat=True))
        assert len(held) >= 4
        assert all(today - dt.timedelta(days=366) <= day <= today for day in held)
