"""The demo's outcome measures: answers that add up to the planned totals without raising risk
alerts, and a later load that re-sends the waiting link and adds nothing else."""

import datetime as dt

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from attune.nonprod import demo_care, demo_outcomes, scenario
from attune.outcomes import instruments, scoring
from attune.outcomes.models import Administration, QuestionnaireLink

HUB = "Blackpool PAIRS hub team"
SATELLITE = "Blackburn with Darwen satellite team"


def _load() -> None:
    scenario.load()
    demo_care.load_for_scenario()
    demo_outcomes.load_for_scenario()


# -- The answers, without the database --------------------------------------------------------


@pytest.mark.parametrize("code", ["EPDS", "PHQ9", "GAD7", "PBQ", "ADBB"])
def test_answers_add_up_to_the_total_and_leave_risk_items_at_0(code: str) -> None:
    instrument = instruments.get(code)
    for total in range(0, 22):  # every total up to the GAD-7's maximum
        answers = demo_outcomes.answers_for(code, total, seed="PIR-DEMO-0101:assessment")
        result = scoring.score(code, answers)
        assert result.total == total
        assert result.complete
        if code != "ADBB" or total < 5:
            assert result.alerts == ()
        assert answers == demo_outcomes.answers_for(code, total, seed="PIR-DEMO-0101:assessment")
    risk = next((rule.item for rule in instrument.risk_rules if rule.item is not None), None)
    if risk is not None:
        pinned = demo_outcomes.answers_for(code, 14, seed="x", fixed={risk: 1})
        result = scoring.score(code, pinned)
        assert result.total == 14
        assert len(result.alerts) == 1
    with pytest.raises(ValueError, match="cannot be spread"):
        demo_outcomes.answers_for(code, int(instrument.maximum) + 1, seed="x")


def test_every_demo_episode_has_measures_planned() -> None:
    assert {m.reference for m in demo_outcomes.MEASURES} == {s.plan.reference for s in demo_care.EPISODES}


# -- The loaded demo ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_a_week_later_sends_the_waiting_link_again_and_adds_nothing_else(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC), tick=False)
    _load()
    recorded = Administration.objects.count()
    time_machine.move_to(dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC), tick=False)
    _load()
    assert Administration.objects.count() == recorded
    assert QuestionnaireLink.objects.count() == 3
    assert QuestionnaireLink.objects.usable(timezone.now()).count() == 1
