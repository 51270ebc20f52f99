"""The demo's workforce on a later day: the satellite's extension posts are re-dated so the team
lead's 8-week warning still shows."""

import datetime as dt

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.nonprod import demo_workforce, scenario
from attune.workforce.models import Post, TrainingPlan

pytestmark = pytest.mark.django_db


def _load() -> None:
    scenario.load()
    demo_workforce.load_for_scenario()


def test_a_later_load_keeps_the_warning(time_machine: TimeMachineFixture) -> None:
    _load()
    # Three months later the extensions are re-dated to end soon again.
    time_machine.move_to(timezone.now() + dt.timedelta(days=90))
    demo_workforce.load_for_scenario()
    today = timezone.localdate()
    for post in Post.objects.filter(title__contains="extension"):
        assert post.ends_on is not None
        assert today < post.ends_on <= today + dt.timedelta(weeks=8)
    assert TrainingPlan.objects.count() == 2
