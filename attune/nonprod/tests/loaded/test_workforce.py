"""The demo's workforce: trainees' plans (Aisha mid-programme, Megan earlier on), the satellite's
posts with extensions ending soon and the team lead warned, and activity over the past year."""

import datetime as dt

from django.utils import timezone

from attune.core.models import AuditEvent, Task, TaskKind
from attune.nonprod import demo_history, scenario
from attune.nonprod.tests.demo import person
from attune.workforce.models import NonCaseloadActivity, Post, SignOff, TrainingPlan


def test_trainees_have_plans_with_sign_offs_and_evidence() -> None:
    aisha = TrainingPlan.objects.get(trainee=person("trainee_1"))
    megan = TrainingPlan.objects.get(trainee=person("trainee_2"))
    today = timezone.localdate()
    assert aisha.started_on == scenario.SATELLITE_START < today < aisha.expected_qualification_on
    assert aisha.supervisor == megan.supervisor == person("supervisor")
    assert aisha.sign_offs.count() == 6 > megan.sign_offs.count() == 2
    assert all(s.signed_on <= today and s.comment for s in SignOff.objects.all())
    # Each sign-off rests on evidence for that competency.
    for plan in (aisha, megan):
        evidenced = set(plan.evidence.values_list("competency_code", flat=True))
        assert set(plan.sign_offs.values_list("competency_code", flat=True)) <= evidenced
    assert AuditEvent.objects.filter(action="training_plan.competency_signed_off").count() == 8


def test_posts_and_the_warning_for_the_team_lead() -> None:
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
    assert {t.assignee for t in warned} == {person("team_lead")}
    assert warned.count() == 2


def test_activities_over_the_past_year() -> None:
    today = timezone.localdate()
    # The year's work (the satellite's sessions under the council's first agreement are history:
    # demo_history, tested there).
    recent = NonCaseloadActivity.objects.exclude(topic__in={s.topic for s in demo_history.SESSIONS})
    held = list(recent.values_list("held_on", flat=True))
    assert len(held) >= 4
    assert all(today - dt.timedelta(days=366) <= day <= today for day in held)
