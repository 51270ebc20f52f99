"""The demo's data files: each reads into the demo's dataclasses, and a slip is refused."""

from dataclasses import dataclass

import dacite
import pytest

from attune.nonprod import demo_care, demo_data, demo_history, demo_outcomes, demo_referrals, demo_workforce, scenario


def test_every_data_file_reads_into_the_demo() -> None:
    assert len(scenario.PEOPLE) == 10
    assert {r.reference for r in demo_referrals.REFERRALS} == {f"PIR-DEMO-{n:04d}" for n in range(1, 17)}
    assert len(demo_care.EPISODES) == len(demo_outcomes.MEASURES) == 12
    assert len(demo_workforce.PLANS) == 2
    assert len(demo_history.FAMILIES) == 22
    assert len(demo_history.SESSIONS) == 13
    # Enumerations and amounts arrive as what the actions take, not as text.
    assert type(demo_referrals.REFERRALS[0].steps[0].status).__name__ == "Status"
    assert str(demo_care.CAPACITIES[0].contracted_hours) == "37.5"
    assert type(demo_history.FAMILIES[0].source).__name__ == "ReferralSource"
    assert demo_history.FAMILIES[0].received.isoformat() == "2024-11-05"


@dataclass(frozen=True)
class _Entry:
    name: str


def test_a_misspelt_field_is_refused_not_ignored() -> None:
    with pytest.raises(dacite.UnexpectedDataError, match="nmae"):
        dacite.from_dict(_Entry, {"name": "x", "nmae": "y"}, config=demo_data.CONFIG)
