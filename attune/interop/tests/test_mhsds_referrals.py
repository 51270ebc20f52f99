"""MHSDS counts a service request from the day the referral is received, not from the day the
family reaches a caseload: referrals waiting for triage or for a place, and those closed at triage
in the month, are submitted from the referral and the family's people (mhsds_load)."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.core.formatting import LONDON
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, UnbornInfantFactory
from attune.interop import mhsds_load, mhsds_rules
from attune.interop.mhsds_presenters import finding_row
from attune.organisations.models import Team
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.services import append_status
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status

pytestmark = pytest.mark.django_db

JANUARY = mhsds_load.parse_month("2025-01")
TODAY = dt.datetime(2025, 2, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def _family(team: Team, *, unborn: bool = False) -> Family:
    family = FamilyFactory(team=team)
    InfantFactory(family=family, date_of_birth=dt.date(2024, 10, 1))
    CarerFactory(family=family, date_of_birth=dt.date(1994, 3, 8))
    if unborn:
        UnbornInfantFactory(family=family, expected_due_date=dt.date(2025, 5, 1))
    return family


def _referral(team: Team, received: dt.datetime, *, unborn: bool = False) -> Referral:
    referral: Referral = ReferralFactory(team=team, family=_family(team, unborn=unborn), received_at=received)
    return referral


def _closed(referral: Referral, status: Status, on: dt.datetime) -> Referral:
    append_status(referral=referral, status=status, entered_at=on)
    return referral


def _rows(team: Team, table: str) -> list[dict[str, str]]:
    return mhsds_load.extract_for(team, JANUARY).tables[table]


def _requests(team: Team) -> dict[str, dict[str, str]]:
    return {row["ServiceRequestId"]: row for row in _rows(team, "MHS101Referral")}


def test_a_referral_waiting_for_triage_is_a_service_request_of_each_born_person(world: World) -> None:
    waiting = _referral(world.hub, dt.datetime(2025, 1, 20, 14, 5, tzinfo=LONDON), unborn=True)
    requests = _requests(world.hub)
    # The born baby and the mother; not the unborn baby (numbered among the babies all the same).
    assert len(requests) == 2
    [baby_id] = [key for key in requests if key.startswith(f"{waiting.reference}-I")]
    assert f"{waiting.reference}-C1" in requests
    baby = requests[baby_id]
    assert baby["ReferralRequestReceivedDate"] == "2025-01-20"
    assert baby["ReferralRequestReceivedTime"] == "14:05:00"
    assert baby["SourceOfReferralMH"] == "A2"
    assert baby["ServDischDate"] == ""
    assert [row["ReferClosureDate"] for row in _rows(world.hub, "MHS102ServiceTypeReferredTo")] == ["", ""]
    assert len(_rows(world.hub, "MHS001MPI")) == 2


def test_a_referral_received_before_the_month_and_still_waiting_is_submitted_too(world: World) -> None:
    waiting = _referral(world.hub, dt.datetime(2024, 11, 4, 9, 0, tzinfo=LONDON))
    _closed(waiting, Status.AWAITING_INFORMATION, dt.datetime(2024, 11, 6, 9, 0, tzinfo=LONDON))
    assert set(_requests(world.hub)) == {f"{waiting.reference}-I1", f"{waiting.reference}-C1"}


def test_a_referral_declined_in_the_month_closes_on_the_day_of_the_decision(world: World) -> None:
    declined = _referral(world.hub, dt.datetime(2025, 1, 6, 9, 0, tzinfo=LONDON))
    _closed(declined, Status.DECLINED, dt.datetime(2025, 1, 9, 16, 30, tzinfo=LONDON))
    signposted = _referral(world.hub, dt.datetime(2024, 12, 30, 9, 0, tzinfo=LONDON))
    # Late in the evening of the 31st in London is still January, though it is 1 February in UTC
    # only an hour later: the day is the local one.
    _closed(signposted, Status.SIGNPOSTED, dt.datetime(2025, 1, 31, 23, 30, tzinfo=LONDON))
    requests = _requests(world.hub)
    assert requests[f"{declined.reference}-I1"]["ServDischDate"] == "2025-01-09"
    assert requests[f"{signposted.reference}-C1"]["ServDischDate"] == "2025-01-31"
    closures = {
        row["ServiceRequestId"]: row["ReferClosureDate"] for row in _rows(world.hub, "MHS102ServiceTypeReferredTo")
    }
    assert closures[f"{declined.reference}-C1"] == "2025-01-09"


def test_referrals_closed_before_the_month_or_received_after_it_are_not_submitted(world: World) -> None:
    _closed(
        _referral(world.hub, dt.datetime(2024, 12, 2, 9, 0, tzinfo=LONDON)),
        Status.WITHDRAWN,
        dt.datetime(2024, 12, 20, 9, 0, tzinfo=LONDON),
    )
    _referral(world.hub, dt.datetime(2025, 2, 3, 9, 0, tzinfo=LONDON))
    _referral(world.satellite, dt.datetime(2025, 1, 20, 9, 0, tzinfo=LONDON))  # another team's
    assert _requests(world.hub) == {}


def test_a_referral_declined_after_the_month_was_open_through_it(world: World) -> None:
    later = _referral(world.hub, dt.datetime(2025, 1, 28, 9, 0, tzinfo=LONDON))
    _closed(later, Status.DECLINED, dt.datetime(2025, 2, 3, 9, 0, tzinfo=LONDON))
    assert _requests(world.hub)[f"{later.reference}-I1"]["ServDischDate"] == ""


def test_a_family_on_a_caseload_is_submitted_once_with_its_episode(world: World, practitioner: User) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=dt.datetime(2025, 1, 15, 9, 0, tzinfo=LONDON))
    episode.carers.update(date_of_birth=dt.date(1994, 3, 8))
    extract = mhsds_load.extract_for(world.hub, JANUARY)
    ids = [row["ServiceRequestId"] for row in extract.tables["MHS101Referral"]]
    assert len(ids) == len(set(ids)) == episode.infants.count() + episode.carers.count()
    assert {source.kind for (table, _), source in extract.sources.items() if table == "MHS101Referral"} == {"episode"}


def test_an_accepted_referral_whose_episode_opens_after_the_month_was_waiting_in_it(
    world: World, practitioner: User
) -> None:
    episode = open_episode(world.hub, practitioner, opened_at=dt.datetime(2025, 2, 4, 9, 0, tzinfo=LONDON))
    extract = mhsds_load.extract_for(world.hub, JANUARY)
    sources = {source for (table, _), source in extract.sources.items() if table == "MHS101Referral"}
    assert {(s.kind, s.pk) for s in sources} == {("referral", str(episode.referral_id))}


def test_a_finding_on_a_waiting_referral_links_to_the_referral(world: World) -> None:
    waiting = _referral(world.hub, dt.datetime(2025, 1, 20, 9, 0, tzinfo=LONDON))
    Referral.objects.filter(pk=waiting.pk).update(source="ZZ")  # as if from an old import
    validation = mhsds_rules.validate(mhsds_load.extract_for(world.hub, JANUARY))
    found = [f for f in validation.errors if f.item == "SourceOfReferralMH"]
    assert [f.table for f in found] == ["MHS101Referral", "MHS101Referral"]  # the baby and the mother
    for finding in found:
        assert f'<a href="/referrals/{waiting.pk}">Open the referral' in str(finding_row(finding)[-1]["html"])


def test_the_waiting_referrals_are_read_in_the_same_queries_for_one_and_for_thirty(world: World) -> None:
    _referral(world.hub, dt.datetime(2025, 1, 20, 9, 0, tzinfo=LONDON))
    mhsds_load.facts_for(world.hub, JANUARY)
    with CaptureQueriesContext(connection) as one:
        mhsds_load.facts_for(world.hub, JANUARY)
    for day in range(2, 31):
        _referral(world.hub, dt.datetime(2025, 1, day, 9, 0, tzinfo=LONDON))
    with CaptureQueriesContext(connection) as thirty:
        facts = mhsds_load.facts_for(world.hub, JANUARY)
    assert len(facts.episodes) == 30
    assert len(thirty.captured_queries) == len(one.captured_queries)
