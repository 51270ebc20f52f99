"""The bench's hand-written SQL (nonprod/bench_sql.py) and the report agree on every figure the
bench compares, on a small hand-built dataset, on whichever engine the suite runs: `make bench`
checks the same at region scale, this keeps the two from drifting apart between benches."""

import datetime as dt
from decimal import Decimal

import pytest

from attune.accounts.models import User
from attune.families.models import FamilyAlert
from attune.nonprod import bench_sql
from attune.nonprod.management.commands.bench_reports import _compare
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_progress import stored
from attune.referrals.workflow import Status
from attune.reports.indicators import build_report
from attune.reports.tests.factories import END, START, TODAY, at, contact, discharge, episode, referral, scope
from attune.workforce.models import NonCaseloadActivity

pytestmark = pytest.mark.django_db


def test_the_hand_written_sql_and_the_report_agree(world: World, practitioner: User, team_lead: User) -> None:
    for day in (3, 10, 20):
        referral(world.hub, at(dt.date(2025, 10, day)), history=((Status.ACCEPTED, at(dt.date(2025, 10, day + 2))),))
    referral(world.hub, at(dt.date(2025, 11, 4)), source="A1")
    referral(world.satellite, at(dt.date(2025, 11, 5)))  # another team: counted in neither
    still_open = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    finished = episode(world.hub, practitioner, at(dt.date(2025, 8, 1)))
    for found in (still_open, finished):
        mum = found.family.carers.get()
        stored(found, "EPDS", 18, completed_on=dt.date(2025, 9, 5), carer=mum)
        stored(found, "EPDS", 9, completed_on=dt.date(2025, 11, 20), carer=mum)
        contact(found, at(dt.date(2025, 10, 7)))
        contact(found, at(dt.date(2025, 10, 14)), "3")
    discharge(finished, at(dt.date(2025, 12, 1)))
    FamilyAlert.objects.create(
        family=still_open.family, message="EPDS item 10", about_type="x", about_id="1", created_at=at(START)
    )
    FamilyAlert.objects.create(
        family=finished.family,
        message="EPDS item 10",
        about_type="x",
        about_id="2",
        created_at=at(dt.date(2025, 11, 1)),
        closed_at=at(dt.date(2025, 11, 2)),
    )
    NonCaseloadActivity.objects.create(
        team=world.hub,
        kind="training",
        held_on=dt.date(2025, 11, 12),
        audience="Health visitors",
        attendees=9,
        topic="Cues",
        hours=Decimal("1.5"),
        recorded_by=team_lead,
    )
    covered = scope(world.hub)

    sql = bench_sql.headline(sorted(covered.team_ids, key=str), START, END, TODAY)

    assert _compare(build_report(covered, today=TODAY), sql) == []
    # And the figures compared are not empty ones that agree by being nothing.
    assert (sql.referrals, sql.discharged_episodes, sql.paired_scores, sql.open_episodes) == (4, 1, 2, 1)
    assert (sql.alerts_raised, sql.alerts_open, sql.training_sessions, sql.training_attendees) == (2, 1, 1, 9)
    assert sum(sql.appointments_by_attendance.values()) == 4
