"""The bench's hand-written SQL (nonprod/bench_sql.py) and the report agree on every figure the
bench compares, on a small hand-built dataset, on whichever engine the suite runs: `make bench`
checks the same at region scale, this keeps the two from drifting apart between benches."""

import datetime as dt
from decimal import Decimal

import pytest

from attune.accounts.models import User
from attune.care.models import PractitionerCapacity
from attune.commissioning.models import FundingAgreement, PostCost
from attune.families.codes import EthnicCategory, Relationship
from attune.families.models import FamilyAlert
from attune.nonprod import bench_sql
from attune.nonprod.management.commands.bench_reports import _compare
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_progress import stored
from attune.referrals.workflow import Status
from attune.reports.indicators import build_report
from attune.reports.models import DeprivationRank, PostcodeLsoa
from attune.reports.tests.factories import END, START, TODAY, at, contact, discharge, episode, referral, scope
from attune.supervision.models import ClinicalExperience, SessionAttendee, SupervisionSession
from attune.workforce.models import NonCaseloadActivity, Post

pytestmark = pytest.mark.django_db


def test_the_hand_written_sql_and_the_report_agree(
    world: World, practitioner: User, supervisor: User, team_lead: User
) -> None:
    for day in (3, 10, 20):
        referral(world.hub, at(dt.date(2025, 10, day)), history=((Status.ACCEPTED, at(dt.date(2025, 10, day + 2))),))
    # Paused a week for more information before it was signposted: the triage wait leaves it out.
    referral(
        world.hub,
        at(dt.date(2025, 11, 4)),
        source="A1",
        postcode="",
        ethnicity=EthnicCategory.NOT_STATED,
        relationship=Relationship.FATHER,
        born=None,
        due=dt.date(2026, 2, 1),
        stresses=("housing", "bonding"),
        history=(
            (Status.AWAITING_INFORMATION, at(dt.date(2025, 11, 5))),
            (Status.RECEIVED, at(dt.date(2025, 11, 12))),
            (Status.SIGNPOSTED, at(dt.date(2025, 11, 14))),
        ),
    )
    referral(world.satellite, at(dt.date(2025, 11, 5)))  # another team: counted in neither
    still_open = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    finished = episode(world.hub, practitioner, at(dt.date(2025, 8, 1)))
    for found in (still_open, finished):
        mum = found.family.carers.get()
        stored(found, "EPDS", 18, completed_on=dt.date(2025, 9, 5), carer=mum)
        stored(found, "EPDS", 9, completed_on=dt.date(2025, 11, 20), carer=mum)
        contact(found, at(dt.date(2025, 10, 7)))
        contact(found, at(dt.date(2025, 10, 14)), "3")
    contact(still_open, at(dt.date(2025, 10, 21)), "6")
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
    PractitionerCapacity.objects.create(team=world.hub, practitioner=practitioner, contracted_hours=Decimal("30"))
    ClinicalExperience.objects.create(
        practitioner=practitioner, under_twos_experience_since=dt.date(2024, 1, 1), weekly_hours=Decimal("30")
    )
    for held_on in (dt.date(2025, 10, 7), dt.date(2025, 10, 14), dt.date(2025, 11, 4)):
        session = SupervisionSession.objects.create(
            supervisor=supervisor,
            kind="individual",
            format="video",
            held_on=held_on,
            duration_minutes=60,
            recorded_by=supervisor,
        )
        SessionAttendee.objects.create(session=session, supervisee=practitioner)
    PostcodeLsoa.objects.create(postcode="FY1 1AA", lsoa_code="E01990001", vintage="2021")
    DeprivationRank.objects.create(edition="IoD2025", lsoa_code="E01990001", rank=10, decile=1)
    post = Post.objects.create(team=world.hub, title="Therapist", starts_on=dt.date(2025, 4, 1), funded_by="ICB")
    PostCost.objects.create(
        post=post, annual_cost=Decimal("52000.00"), effective_from=dt.date(2025, 4, 1), recorded_by=team_lead
    )
    PostCost.objects.create(
        post=post, annual_cost=Decimal("54000.00"), effective_from=dt.date(2025, 11, 1), recorded_by=team_lead
    )
    agreement = FundingAgreement.objects.create(
        funder=world.icb,
        recipient=world.trust,
        amount=Decimal("60371.25"),
        starts_on=dt.date(2025, 11, 1),
        ends_on=dt.date(2026, 3, 31),
        purpose="Posts",
        recorded_by=team_lead,
    )
    agreement.teams.add(world.hub)

    for funder in (None, world.icb.pk):
        covered = scope(world.hub, funder_id=funder)
        sql = bench_sql.headline(sorted(covered.team_ids, key=str), START, END, TODAY, funder_id=funder)

        assert _compare(build_report(covered, today=TODAY), sql) == []
    # And the figures compared are not empty ones that agree by being nothing.
    assert (sql.referrals, sql.discharged_episodes, sql.paired_scores, sql.open_episodes) == (4, 1, 2, 1)
    assert (sql.alerts_raised, sql.alerts_open, sql.training_sessions, sql.training_attendees) == (2, 1, 1, 9)
    assert sum(sql.appointments_by_attendance.values()) == 5
    assert sql.families_seen == 2
    assert next(iter(sql.outcomes.values()))[:2] == (2, 2)  # two pairs on the EPDS, both reliably improved
    assert sql.alerts_times[0] is not None
    assert all(families and middle is not None for families, middle, _p90 in sql.waits.values())
    assert sql.waits["Referral to triage decision"][0] == 4
    assert sql.episodes_by_reason["completed"][0] == 1
    assert sql.caseload["Example hub team"][0] == 1
    assert all(figure > 0 for figure in sql.caseload["Example hub team"])
    people, required, met = sql.supervision["Example hub team"]
    assert people >= 1
    assert required > met > 0
    assert sql.equity["deprivation"]["1 (most deprived)"][0] == 3
    assert sql.equity["deprivation"]["Not known"][0] == 1
    assert sql.equity["ethnicity"]["Not stated"] == (1, 0, 0)
    assert sql.equity["age"]["Unborn"][0] == 1
    assert sql.equity["carer"]["Father"][0] == 1
    assert sql.equity["stresses"]["Housing problems or homelessness"] == (1, 0, 0)
    assert sql.staff_cost > 0
    assert sql.funding is not None
    assert sql.funding > 0
