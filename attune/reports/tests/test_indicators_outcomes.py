"""Paired outcomes, risk alerts, supervision against the standard, training given: known answers."""

import datetime as dt
from decimal import Decimal

import pytest

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.families.models import FamilyAlert
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_progress import stored
from attune.reports.suppression import present_table
from attune.reports.tests.factories import (
    END,
    START,
    at,
    column,
    contact,
    discharge,
    episode,
    exact,
    row,
    scope,
    table,
    total,
)
from attune.supervision.models import ClinicalExperience, SessionAttendee, SupervisionSession
from attune.workforce.models import NonCaseloadActivity

pytestmark = pytest.mark.django_db
EPDS = "Edinburgh Postnatal Depression Scale"
KPCS = "Karitane Parenting Confidence Scale (KPCS)"


def test_outcomes_pair_the_first_and_the_latest_score(world: World, practitioner: User) -> None:
    improved = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))  # open at the end
    mum = improved.family.carers.get()
    stored(improved, "EPDS", 20, completed_on=dt.date(2025, 9, 10), carer=mum)
    stored(improved, "EPDS", 15, completed_on=dt.date(2025, 11, 1), carer=mum)
    stored(improved, "EPDS", 8, completed_on=END, carer=mum)
    stored(improved, "EPDS", 25, completed_on=END + dt.timedelta(days=1), carer=mum)  # after the period
    stored(improved, "PHQ9", 12, completed_on=dt.date(2025, 10, 1), carer=mum)  # no later score: no pair

    worse = episode(world.hub, practitioner, at(dt.date(2025, 6, 1)))
    stored(worse, "EPDS", 10, completed_on=dt.date(2025, 6, 5), carer=worse.family.carers.get())
    stored(worse, "EPDS", 16, completed_on=dt.date(2025, 10, 5), carer=worse.family.carers.get())
    discharge(worse, at(START, 9))  # discharged in the period

    same = episode(world.hub, practitioner, at(dt.date(2025, 6, 1)))
    stored(same, "EPDS", 12, completed_on=dt.date(2025, 6, 5), carer=same.family.carers.get())
    stored(same, "EPDS", 14, completed_on=dt.date(2025, 10, 5), carer=same.family.carers.get())
    confident = stored(same, "KPCS", 20, completed_on=dt.date(2025, 6, 5), carer=same.family.carers.get())
    later = stored(same, "KPCS", 30, completed_on=dt.date(2025, 10, 5), carer=same.family.carers.get())
    one_day = episode(world.hub, practitioner, at(dt.date(2025, 6, 1)))
    stored(one_day, "EPDS", 20, completed_on=dt.date(2025, 10, 5), carer=one_day.family.carers.get())
    stored(one_day, "EPDS", 5, completed_on=dt.date(2025, 10, 5), carer=one_day.family.carers.get())  # same day

    # Discharged before the period, and another team's: never counted.
    gone = episode(world.hub, practitioner, at(dt.date(2025, 6, 1)))
    stored(gone, "EPDS", 20, completed_on=dt.date(2025, 6, 5), carer=gone.family.carers.get())
    stored(gone, "EPDS", 5, completed_on=dt.date(2025, 9, 5), carer=gone.family.carers.get())
    discharge(gone, at(START - dt.timedelta(days=1)))
    theirs = episode(world.satellite, practitioner, at(dt.date(2025, 6, 1)))
    stored(theirs, "EPDS", 20, completed_on=dt.date(2025, 6, 5), carer=theirs.family.carers.get())
    stored(theirs, "EPDS", 5, completed_on=dt.date(2025, 10, 5), carer=theirs.family.carers.get())

    found = table(scope(world.hub), "outcomes_paired")

    assert [r.label for r in found.rows] == [EPDS, KPCS]
    assert row(found, EPDS) == {
        "pairs": 3,
        "improved": 1,
        "unchanged": 1,
        "deteriorated": 1,
        "above_at_start": 1,
        "moved_below": 1,
        "cases": 0,  # no attended contacts in this test
        "cases_improved": 0,
    }
    kpcs = row(found, KPCS)
    assert kpcs["pairs"] == 1
    assert kpcs["improved"] is kpcs["unchanged"] is kpcs["deteriorated"] is None
    assert kpcs["above_at_start"] == int(bool(confident.above_cutoff))
    assert kpcs["moved_below"] == int(bool(confident.above_cutoff) and later.above_cutoff is False)
    assert any("Karitane" in note and "no reliable-change threshold" in note for note in exact(found.notes))


def test_risk_alerts_raised_actioned_and_open(world: World, practitioner: User) -> None:
    home = episode(world.hub, practitioner, at(dt.date(2025, 9, 1))).family
    elsewhere = episode(world.satellite, practitioner, at(dt.date(2025, 9, 1))).family

    def alert(family: object, raised: dt.datetime, closed: dt.datetime | None = None) -> None:
        FamilyAlert.objects.create(
            family=family, message="EPDS item 10", about_type="x", about_id="1", created_at=raised, closed_at=closed
        )

    alert(home, at(START, 9), at(START, 21))  # 0.5 days
    alert(home, at(dt.date(2025, 11, 1), 9), at(dt.date(2025, 11, 3), 9))  # 2.0 days
    alert(home, at(dt.date(2025, 11, 1), 9), at(dt.date(2025, 11, 5), 21))  # 4.5 days
    alert(home, at(END, 9), at(END + dt.timedelta(days=3), 9))  # actioned after the period: open at its end
    alert(home, at(dt.date(2025, 12, 1), 9))  # never actioned
    alert(home, at(START - dt.timedelta(days=1), 9))  # before the period
    alert(elsewhere, at(START, 9))  # another team's

    found = table(scope(world.hub), "risk_alerts")

    assert found.rows[0].values == {"raised": 5, "actioned": 3, "open": 2, "median": 2.0, "p90": pytest.approx(4.0)}
    assert found.rows[0].samples == {"median": 3, "p90": 3}


def test_supervision_periods_inside_the_period_and_the_membership(world: World) -> None:
    newer = MembershipFactory(team=world.hub, role=Role.PRACTITIONER, starts_on=dt.date(2024, 1, 1)).user
    experienced = MembershipFactory(team=world.hub, role=Role.TRAINEE, starts_on=dt.date(2024, 1, 1)).user
    ClinicalExperience.objects.create(
        practitioner=experienced, under_twos_experience_since=dt.date(2015, 1, 1), weekly_hours=Decimal("37.5")
    )
    MembershipFactory(
        team=world.hub, role=Role.PRACTITIONER, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2025, 11, 2)
    )
    MembershipFactory(team=world.hub, role=Role.TEAM_LEAD, starts_on=dt.date(2024, 1, 1))  # not counted
    MembershipFactory(team=world.satellite, role=Role.PRACTITIONER, starts_on=dt.date(2024, 1, 1))
    supervisor = UserFactory()

    def session(person: User, day: dt.date, minutes: int) -> None:
        held = SupervisionSession.objects.create(
            supervisor=supervisor,
            kind="individual",
            format="in_person",
            held_on=day,
            duration_minutes=minutes,
            recorded_by=supervisor,
        )
        SessionAttendee.objects.create(session=held, supervisee=person)

    # Weekly (no experience recorded): 12 weeks from Monday 6 October to Sunday 28 December.
    session(newer, dt.date(2025, 10, 1), 60)  # the week of 29 September: not inside the period
    session(newer, dt.date(2025, 10, 7), 60)
    session(newer, dt.date(2025, 10, 14), 60)
    session(newer, dt.date(2025, 10, 21), 30)  # too short
    # Fortnightly: 6 fortnights from 6 October to 28 December.
    session(experienced, dt.date(2025, 10, 10), 60)
    session(experienced, dt.date(2025, 10, 21), 45)
    session(experienced, dt.date(2025, 10, 30), 15)

    found = table(scope(world.hub), "supervision")

    # 12 + 6 + 4 (the leaver: 6 October to 2 November) periods; 2 + 2 met.
    assert row(found, "Example hub team") == {"people": 3, "required": 22, "met": 4}
    assert total(found) == {"people": 3, "required": 22, "met": 4}


def test_training_given_by_kind(world: World, team_lead: User) -> None:
    def activity(team: object, kind: str, day: dt.date, attendees: int, hours: str) -> None:
        NonCaseloadActivity.objects.create(
            team=team,
            kind=kind,
            held_on=day,
            audience="Health visitors",
            attendees=attendees,
            topic="Infant cues",
            hours=Decimal(hours),
            recorded_by=team_lead,
        )

    activity(world.hub, "training", START, 10, "2.5")
    activity(world.hub, "training", END, 5, "1.5")
    activity(world.hub, "consultation", dt.date(2025, 11, 1), 3, "1.00")
    activity(world.hub, "training", END + dt.timedelta(days=1), 40, "6")
    activity(world.satellite, "training", START, 40, "6")

    found = table(scope(world.hub), "training_given")

    assert column(found, "sessions") == {"Consultation": 1, "Training": 2}
    assert row(found, "Training") == {"sessions": 2, "attendees": 15, "hours": Decimal("4.0")}
    assert total(found) == {"sessions": 3, "attendees": 18, "hours": Decimal("5.0")}


def test_reliable_improvement_of_all_pairs_and_the_talking_therapies_definition(
    world: World, practitioner: User
) -> None:
    def pair(first: int, latest: int, attended: int, missed: int = 0) -> None:
        made = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
        mum = made.family.carers.get()
        stored(made, "EPDS", first, completed_on=dt.date(2025, 9, 10), carer=mum)
        stored(made, "EPDS", latest, completed_on=dt.date(2025, 11, 10), carer=mum)
        for n in range(attended):
            contact(made, at(dt.date(2025, 9, 15) + dt.timedelta(days=n)))
        for n in range(missed):
            contact(made, at(dt.date(2025, 10, 15) + dt.timedelta(days=n)), attendance="3")

    pair(20, 8, attended=2)  # a case (above 13 at baseline, 2 attended), reliably improved
    pair(20, 8, attended=1, missed=1)  # improved, but one attended contact: not a case
    pair(20, 19, attended=3)  # a case, no reliable change
    pair(10, 3, attended=2)  # improved, but below the cut-off at baseline: not a case

    found = table(scope(world.hub), "outcomes_paired")

    values = row(found, EPDS)
    assert (values["pairs"], values["improved"]) == (4, 3)
    assert (values["cases"], values["cases_improved"]) == (2, 1)
    labels = {column.key: column.label for column in found.columns}
    assert labels["improved_pct"] == "Reliably improved (% of all families with a first and latest score)"
    shown = present_table(found, None)
    cells = dict(zip([c.key for c in found.columns], [c.text for c in shown.rows[0].cells], strict=True))
    assert (cells["improved_pct"], cells["cases_improved_pct"]) == ("75%", "50%")
    assert "NHS Talking Therapies" in found.description
