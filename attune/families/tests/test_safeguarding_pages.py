"""Safeguarding referral pages: who may open them, what they show (outcome history, meetings,
pre-birth timescales, the banner line), errors that keep what was typed, and query counts."""

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.core.formatting import LONDON, date_long
from attune.core.models import AuditEvent, Task, TaskKind
from attune.core.testing.actors import acting
from attune.core.testing.queries import queries_for
from attune.families import safeguarding, services
from attune.families.models import Family, Infant
from attune.families.safeguarding_models import MeetingKind, ReferralOutcome, SafeguardingReferral
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, UnbornInfantFactory
from attune.organisations.tests.world import World

TODAY = date(2027, 3, 3)


@pytest.fixture(autouse=True)
def _pinned() -> object:
    with time_machine.travel(datetime.combine(TODAY, time(10, 0), tzinfo=LONDON), tick=False) as traveller:
        yield traveller


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def summary_errors(page: str) -> list[str]:
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [unescape(text.strip()) for text in re.findall(r"<a href=\"[^\"]+\">(.*?)</a>", summary)]


@pytest.fixture
def family(world: World) -> Family:
    found: Family = FamilyFactory(team=world.hub, local_authority=world.hub_area)
    CarerFactory(family=found, given_name="Amira", family_name="Ahmed")
    return found


@pytest.fixture
def unborn(family: Family) -> Infant:
    return UnbornInfantFactory(family=family, family_name="Ahmed", expected_due_date=TODAY + timedelta(weeks=16))


@pytest.fixture
def referral(practitioner: User, family: Family, unborn: Infant, world: World) -> SafeguardingReferral:
    return safeguarding.make_safeguarding_referral(
        actor=acting(practitioner),
        family=family,
        infant=unborn,
        concern="Domestic abuse disclosed at the antenatal visit",
        referred_on=TODAY,
        council=world.hub_area,
    )


def base(family: Family) -> str:
    return f"/families/{family.pk}/safeguarding-referrals"


def pages(family: Family, referral: SafeguardingReferral) -> list[str]:
    meeting = safeguarding.schedule_safeguarding_meeting(
        actor=acting(referral.referred_by),
        referral=referral,
        kind=MeetingKind.STRATEGY,
        starts_at=datetime.combine(TODAY, time(9), tzinfo=LONDON),
    )
    one = f"{base(family)}/{referral.pk}"
    return [
        f"{base(family)}/new",
        one,
        f"{one}/outcome",
        f"{one}/council-reference",
        f"{one}/meetings/new",
        f"{one}/meetings/{meeting.pk}/held",
        f"{one}/meetings/{meeting.pk}/move",
        f"{one}/meetings/{meeting.pk}/cancel",
    ]


def test_every_page_is_open_to_the_team_and_audited(
    signed_in: Callable[[User], Client], coordinator: User, family: Family, referral: SafeguardingReferral
) -> None:
    client = signed_in(coordinator)
    for url in pages(family, referral):
        before = AuditEvent.objects.filter(action="family.viewed", family_id=family.pk).count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert "data-safeguarding-banner" in html(response), url
        assert AuditEvent.objects.filter(action="family.viewed", family_id=family.pk).count() == before + 1, url


@pytest.mark.parametrize("who", ["outsider", "commissioner"])
def test_strangers_get_404_on_every_page_and_change_nothing(
    signed_in: Callable[[User], Client],
    request: pytest.FixtureRequest,
    who: str,
    family: Family,
    referral: SafeguardingReferral,
) -> None:
    client = signed_in(request.getfixturevalue(who))
    for url in pages(family, referral):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "outcome": "closed"}).status_code == 404, url
    assert client.post(f"{base(family)}/{referral.pk}/birth-told").status_code == 404
    assert referral.statuses.count() == 1


def test_a_referral_from_another_family_is_not_found(
    signed_in: Callable[[User], Client], practitioner: User, world: World, referral: SafeguardingReferral
) -> None:
    other = FamilyFactory(team=world.hub)
    assert signed_in(practitioner).get(f"{base(other)}/{referral.pk}").status_code == 404


def test_make_a_pre_birth_referral(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    client = signed_in(practitioner)
    page = html(client.get(f"{base(family)}/new"))
    # The only child is chosen already, and the family's council.
    assert re.search(rf'value="{unborn.pk}"[^>]*checked', page)
    assert re.search(rf'<option value="{world.hub_area.pk}" selected', page)
    response = client.post(
        f"{base(family)}/new",
        {
            "infant": str(unborn.pk),
            "concern": "Domestic abuse disclosed",
            "referred_on-day": "3",
            "referred_on-month": "3",
            "referred_on-year": "2027",
            "council": str(world.hub_area.pk),
            "council_reference": "",
        },
    )
    referral = SafeguardingReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{base(family)}/{referral.pk}"
    page = html(client.get(response["Location"]))
    assert "Strategy meeting due by 31 March 2027 (28 weeks of pregnancy)" in page
    assert "Made before birth at 24 weeks (due 23 June 2027)" in page
    assert "Referral to children&#39;s social care for the unborn baby: awaiting decision, since 3 March 2027" in page


def test_missing_concern_and_future_date_are_explained_and_values_kept(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    response = signed_in(practitioner).post(
        f"{base(family)}/new",
        {
            "infant": str(unborn.pk),
            "concern": "",
            "referred_on-day": "4",
            "referred_on-month": "3",
            "referred_on-year": "2027",
            "council": str(world.hub_area.pk),
            "council_reference": "CSC-77",
        },
    )
    page = html(response)
    assert summary_errors(page) == [
        "Enter the concern that led to the referral",
        "Date of the referral must be today or in the past",
    ]
    assert 'value="CSC-77"' in page
    assert 'value="4"' in page
    assert "<title>Error: " in page
    assert not SafeguardingReferral.objects.exists()


def test_a_child_not_in_the_family_is_not_found(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    stranger = InfantFactory(family=FamilyFactory(team=world.hub))
    client = signed_in(practitioner)
    assert client.get(f"{base(family)}/new?infant={stranger.pk}").status_code == 404
    response = client.post(f"{base(family)}/new", {"infant": str(stranger.pk), "concern": "x"})
    assert "Select the child the referral is about" in summary_errors(html(response))


def test_an_outcome_out_of_order_is_explained(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    client = signed_in(practitioner)
    url = f"{base(family)}/{referral.pk}/outcome"
    date_fields = {"decided_on-day": "3", "decided_on-month": "3", "decided_on-year": "2027"}
    assert client.post(url, {"outcome": "closed", **date_fields}).status_code == 302
    response = client.post(url, {"outcome": "closed", "note": "again", **date_fields})
    page = html(response)
    assert summary_errors(page) == ["This referral is closed. Make a new referral if there is a new concern"]
    assert "again" in page
    assert referral.statuses.count() == 2


def test_a_meeting_before_the_referral_is_explained(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    response = signed_in(practitioner).post(
        f"{base(family)}/{referral.pk}/meetings/new",
        {
            "kind": MeetingKind.STRATEGY,
            "date-day": "2",
            "date-month": "3",
            "date-year": "2027",
            "start_time": "10am",
            "notes": "Room 4",
        },
    )
    page = html(response)
    assert summary_errors(page) == ["The meeting must be on or after the referral date, 3 March 2027"]
    assert 'value="10am"' in page
    assert "Room 4" in page
    assert not referral.meetings.exists()


def test_an_early_conference_is_warned_about_on_the_referral_page(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    client = signed_in(practitioner)
    response = client.post(
        f"{base(family)}/{referral.pk}/meetings/new",
        {
            "kind": MeetingKind.INITIAL_CONFERENCE,
            "date-day": "1",
            "date-month": "4",
            "date-year": "2027",
            "start_time": "14:30",
        },
    )
    assert response.status_code == 302
    page = html(client.get(response["Location"]))
    assert "before 30 weeks of pregnancy (14 April 2027)" in page
    assert "data-conference-warning" in page


def test_council_reference_page_keeps_and_saves(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    client = signed_in(practitioner)
    url = f"{base(family)}/{referral.pk}/council-reference"
    assert summary_errors(html(client.post(url, {"reference": " "}))) == ["Enter the council's reference"]
    assert client.post(url, {"reference": "CSC-1234"}).status_code == 302
    referral.refresh_from_db()
    assert referral.council_reference == "CSC-1234"


def test_family_page_lists_referrals_and_the_banner_names_the_baby_after_birth(
    signed_in: Callable[[User], Client],
    practitioner: User,
    family: Family,
    unborn: Infant,
    referral: SafeguardingReferral,
) -> None:
    safeguarding.record_safeguarding_outcome(
        actor=acting(practitioner),
        referral=referral,
        outcome=ReferralOutcome.CHILD_PROTECTION_PLAN,
        decided_on=TODAY,
    )
    services.record_birth(
        actor=acting(practitioner), infant=unborn, date_of_birth=TODAY, given_name="Zara", family_name="Ahmed"
    )
    client = signed_in(practitioner)
    page = html(client.get(f"/families/{family.pk}"))
    assert "<h2>Safeguarding referrals</h2>" in page
    line = (
        "Referral to children&#39;s social care for Zara Ahmed (made before birth at 24 weeks): "
        "child protection plan, since 3 March 2027"
    )
    assert line in page
    page = html(client.get(f"{base(family)}/{referral.pk}"))
    assert "Safeguarding referral: Zara Ahmed" in page
    assert line in page
    assert "data-birth-to-tell" in page
    told = client.post(f"{base(family)}/{referral.pk}/birth-told")
    assert told.status_code == 302
    assert "data-birth-to-tell" not in html(client.get(told["Location"]))


def test_a_closed_referral_leaves_the_banner(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    safeguarding.record_safeguarding_outcome(
        actor=acting(practitioner), referral=referral, outcome=ReferralOutcome.CLOSED, decided_on=TODAY
    )
    page = html(signed_in(practitioner).get(f"/families/{family.pk}"))
    assert "Referral to children" not in page
    assert "Closed" in page  # still listed in the section


def test_referral_page_query_count_does_not_grow(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    client = signed_in(practitioner)
    url = f"{base(family)}/{referral.pk}"
    actor = acting(practitioner)

    def fetch() -> None:
        assert client.get(url).status_code == 200

    fetch()
    small = queries_for(fetch)
    for day in range(20):
        safeguarding.schedule_safeguarding_meeting(
            actor=actor,
            referral=referral,
            kind=MeetingKind.CORE_GROUP,
            starts_at=datetime.combine(TODAY + timedelta(days=day + 1), time(10), tzinfo=LONDON),
        )
    for outcome in [ReferralOutcome.SECTION_47, ReferralOutcome.CHILD_PROTECTION_PLAN, ReferralOutcome.CHILD_IN_NEED]:
        safeguarding.record_safeguarding_outcome(actor=actor, referral=referral, outcome=outcome, decided_on=TODAY)
    fetch()
    assert queries_for(fetch) == small <= 15


def test_banner_costs_no_query_more_with_many_referrals(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, unborn: Infant, world: World
) -> None:
    client = signed_in(practitioner)
    url = f"/families/{family.pk}"

    def fetch() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return html(response)

    fetch()
    empty = queries_for(fetch)
    for _ in range(12):
        safeguarding.make_safeguarding_referral(
            actor=acting(practitioner), family=family, infant=unborn, concern="x", referred_on=TODAY
        )
    fetch()
    assert queries_for(fetch) == empty
    assert fetch().count("data-safeguarding-referral") == 12


def test_a_page_about_one_referral_names_its_child_in_the_audit(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    signed_in(practitioner).get(f"{base(family)}/{referral.pk}")
    event = AuditEvent.objects.filter(action="family.viewed").latest("pk")
    assert event.family_id == family.pk
    assert event.person_id == referral.infant_id
    assert event.detail == {"page": "safeguarding_referral", "referral": str(referral.pk)}


def test_moving_a_meeting_moves_its_task_and_keeps_a_bad_time(
    signed_in: Callable[[User], Client], practitioner: User, family: Family, referral: SafeguardingReferral
) -> None:
    meeting = safeguarding.schedule_safeguarding_meeting(
        actor=acting(practitioner),
        referral=referral,
        kind=MeetingKind.STRATEGY,
        starts_at=datetime.combine(date(2027, 3, 15), time(10), tzinfo=LONDON),
    )
    client = signed_in(practitioner)
    url = f"{base(family)}/{referral.pk}/meetings/{meeting.pk}/move"
    page = html(client.get(url))
    assert 'value="10:00am"' in page
    assert 'value="15"' in page
    new_date = {"date-day": "22", "date-month": "3", "date-year": "2027"}
    page = html(client.post(url, {**new_date, "start_time": "25pm"}))
    assert summary_errors(page) == ["Enter a real start time, like 9:30am or 14:30"]
    assert 'value="25pm"' in page
    assert client.post(url, {**new_date, "start_time": "2pm"}).status_code == 302
    task = Task.objects.open().get(kind=TaskKind.SAFEGUARDING_MEETING)
    assert task.title == "Prepare for the strategy meeting on 22 March 2027 at 2:00pm"
    assert task.due_at == datetime.combine(date(2027, 3, 18), time(9), tzinfo=LONDON)


def test_the_family_page_names_an_unborn_child_by_the_due_date_in_its_list_of_referrals(
    signed_in: Callable[[User], Client],
    practitioner: User,
    family: Family,
    unborn: Infant,
    referral: SafeguardingReferral,
) -> None:
    """The list is read from the banner's query, which carries only names: the child comes from the
    family's people the page already holds, so an unborn baby is named by the due date."""
    page = html(signed_in(practitioner).get(f"/families/{family.pk}"))
    section = page.split("<h2>Safeguarding referrals</h2>", 1)[1].split("</table>", 1)[0]
    assert f"Unborn baby, due {date_long(unborn.expected_due_date)}" in section
