"""`manage.py load_demo`: what it prints, and that running it again changes nothing."""

import re

from attune.nonprod import demo_care, demo_history, demo_referrals, scenario
from attune.nonprod.tests.demo import LoadedDemo
from attune.outcomes.models import Administration

HUB = "Blackpool PAIRS hub team"
SATELLITE = "Blackburn with Darwen satellite team"


def test_loading_twice_changes_nothing(demo: LoadedDemo) -> None:
    assert demo.first.keys() == demo.second.keys()
    changed = [label for label, rows in demo.first.items() if demo.second[label] != rows]
    assert changed == []
    # Not vacuous: the snapshot holds the whole demo, audit trail included.
    for label in ("referrals.Referral", "care.Appointment", "outcomes.Administration", "core.AuditEvent"):
        assert demo.first[label], label


def test_the_demo_holds_the_scenario_its_people_and_families(demo: LoadedDemo) -> None:
    count = {label: len(rows) for label, rows in demo.first.items()}
    assert count["organisations.Organisation"] == 4
    assert count["organisations.Team"] == 2
    assert count["organisations.Site"] == 3
    assert count["accounts.User"] == len(scenario.PEOPLE)
    assert count["organisations.Membership"] == 14
    assert count["referrals.EligibilityRules"] == 2
    assert count["organisations.Catchment"] == 7
    # Today's families, and the satellite's history under the council's agreement (demo_history).
    families = len(demo_referrals.REFERRALS) + len(demo_care.EPISODES) + len(demo_history.FAMILIES)
    assert count["families.Family"] == count["referrals.Referral"] == families == 50


def test_load_demo_prints_the_referrals(demo: LoadedDemo) -> None:
    text = demo.printed
    assert "Referrals by team and current state:" in text
    hub_row = next(line for line in text.splitlines() if line.strip().startswith(HUB) and "families" not in line)
    assert hub_row.split()[-7:] == ["2", "1", "8", "1", "1", "1", "14"]
    assert f"{SATELLITE}: 36 families, 2 waiting for triage (1 beyond the target)" in text
    assert "priya.shah@attune-demo.example" in text


def test_load_demo_prints_the_care(demo: LoadedDemo) -> None:
    assert "Care by team:" in demo.printed
    assert f"{SATELLITE}: 6 open episodes, 20 discharged, 2 families waiting" in demo.printed


def test_load_demo_prints_the_measures(demo: LoadedDemo) -> None:
    text = demo.printed
    assert "Outcome measures by team:" in text
    hub = re.search(rf"  {HUB}: (\d+) measures recorded, 0 risk alerts open, 3 parent questionnaires", text)
    satellite = re.search(rf"  {SATELLITE}: (\d+) measures recorded, 1 risk alert open, 0 parent questionnaires", text)
    assert hub is not None
    assert satellite is not None
    assert int(hub.group(1)) == Administration.objects.filter(episode__team__name=HUB).count() > 30
    assert int(satellite.group(1)) == Administration.objects.filter(episode__team__name=SATELLITE).count()
    assert "awaiting review, 1 questionnaire link waiting" in text
