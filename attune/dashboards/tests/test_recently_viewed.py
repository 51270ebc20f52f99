"""Recently viewed on the home page: the last ten families the person opened, from their own audit
events naming a family, newest first, only those they may still see, in three queries."""

import datetime as dt
import html as entities
import re
import uuid
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core import audit
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, create_in_bulk, queries_for
from attune.dashboards import recent
from attune.dashboards.presenters import recent_links
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.models import Membership
from attune.organisations.scope import Scope
from attune.organisations.tests.world import World

# Without the database ---------------------------------------------------------------------------


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def test_when_reads_today_yesterday_or_the_date() -> None:
    today = dt.date(2026, 3, 12)
    assert recent.opened_words(_at(today, 10, 42), today) == "Opened today at 10:42am"
    assert recent.opened_words(_at(today - dt.timedelta(days=1), 16, 5), today) == "Opened yesterday at 4:05pm"
    assert recent.opened_words(_at(dt.date(2026, 3, 3), 9, 0), today) == "Opened 3 March 2026"


def test_an_event_just_after_midnight_in_summer_is_today_in_london() -> None:
    """00:30 in London in July is 23:30 the day before in UTC: still today on the page."""
    today = dt.date(2026, 7, 1)
    at = _at(today, 0, 30).astimezone(dt.UTC)
    assert at.date() == dt.date(2026, 6, 30)
    assert recent.opened_words(at, today) == "Opened today at 12:30am"


def test_each_family_once_at_the_newest_time_it_was_opened() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = dt.datetime(2026, 3, 12, 10, 0, tzinfo=dt.UTC)
    events = [(b, now), (a, now - dt.timedelta(minutes=1)), (b, now - dt.timedelta(minutes=2)), (c, now)]
    assert recent.latest_first(events) == [(b, now), (a, now - dt.timedelta(minutes=1)), (c, now)]


def test_each_link_goes_to_the_family_page_with_when_it_was_opened() -> None:
    family_id = uuid.uuid4()
    today = dt.date(2026, 3, 12)
    found = [recent.Recent(family_id, "Family of Ava Hughes", _at(today, 9, 5))]
    assert recent_links(found, today) == [
        {"href": f"/families/{family_id}", "text": "Family of Ava Hughes", "hint": "Opened today at 9:05am"}
    ]


# Through the database ---------------------------------------------------------------------------


def _family(world: World, baby: str, carer: str = "Chloe Hughes", **kwargs: object) -> Family:
    family = FamilyFactory(team=kwargs.pop("team", world.hub))
    given, family_name = baby.split(" ")
    InfantFactory(family=family, given_name=given, family_name=family_name, **kwargs)
    carer_given, carer_family = carer.split(" ")
    CarerFactory(family=family, given_name=carer_given, family_name=carer_family, is_main_contact=True)
    return family


def _section(html: str) -> str:
    """The Recently viewed section of the home page, as text."""
    match = re.search(r'<h2 id="section-\d+">Recently viewed</h2>(.*?)</section>', html, re.S)
    assert match, "no Recently viewed section"
    return entities.unescape(match.group(1))


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/families/[0-9a-f-]+">([^<]+)</a>', _section(html))


def test_the_families_a_practitioner_opened_newest_first_linking_to_each(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)
    ava = _family(world, "Ava Hughes")
    noah = _family(world, "Noah Patel", carer="Priya Patel")
    for family in (ava, noah, ava):
        assert client.get(f"/families/{family.pk}").status_code == 200
    html = client.get("/").content.decode()
    section = _section(html)
    assert _names(html) == ["Family of Ava Hughes", "Family of Noah Patel"]
    assert f'href="/families/{ava.pk}"' in section
    assert section.count("Opened today at") == 2
    assert "The families you opened last, newest first." in section


def test_an_unborn_baby_s_family_goes_by_the_main_carer(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)
    family = _family(
        world, "Baby Ashworth", carer="Chloe Ashworth", date_of_birth=None, expected_due_date=timezone.localdate()
    )
    client.get(f"/families/{family.pk}")
    assert _names(client.get("/").content.decode()) == ["Family of Chloe Ashworth"]


def test_only_the_last_ten_families(signed_in: Callable[[User], Client], practitioner: User, world: World) -> None:
    client = signed_in(practitioner)
    families = [_family(world, f"Baby{n} Smith") for n in range(12)]
    for family in families:
        client.get(f"/families/{family.pk}")
    shown = _names(client.get("/").content.decode())
    assert shown == [f"Family of Baby{n} Smith" for n in range(11, 1, -1)]


def test_a_family_moved_to_another_team_drops_out(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)
    stays, moves = _family(world, "Ava Hughes"), _family(world, "Noah Patel")
    for family in (stays, moves):
        client.get(f"/families/{family.pk}")
    Family.objects.filter(pk=moves.pk).update(team=world.other_team)
    html = client.get("/").content.decode()
    assert _names(html) == ["Family of Ava Hughes"]
    assert "Noah" not in html


def test_a_family_the_person_left_drops_out(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    """Their role in the team ended: they may no longer see its families, so none is listed."""
    client = signed_in(practitioner)
    client.get(f"/families/{_family(world, 'Ava Hughes').pk}")
    Membership.objects.filter(user=practitioner).update(team=world.satellite)
    assert _names(client.get("/").content.decode()) == []


def test_only_the_person_s_own_successful_opening_counts(
    signed_in: Callable[[User], Client], practitioner: User, coordinator: User, world: World
) -> None:
    opened, colleague_s, refused, discussed = (_family(world, f"Baby{n} Jones") for n in range(4))
    audit.record(action="family.viewed", actor=acting(practitioner), obj=opened)
    audit.record(action="family.viewed", actor=acting(coordinator), obj=colleague_s)
    audit.record(action="family.viewed", actor=acting(practitioner), obj=refused, outcome=Outcome.DENIED)
    audit.record_each_family(
        action="supervision.discussion_viewed", actor=acting(practitioner), family_ids=[discussed.pk]
    )
    assert _names(signed_in(practitioner).get("/").content.decode()) == ["Family of Baby0 Jones"]


def test_any_page_naming_the_family_counts_as_opening_it(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    """A referral or an appointment is about a family: its read names the family."""
    family = _family(world, "Ava Hughes")
    audit.record(
        action="referral.viewed", actor=acting(practitioner), object_type="referrals.referral", family_id=family.pk
    )
    assert _names(signed_in(practitioner).get("/").content.decode()) == ["Family of Ava Hughes"]


def test_an_empty_state_before_any_family_is_opened(signed_in: Callable[[User], Client], practitioner: User) -> None:
    section = _section(signed_in(practitioner).get("/").content.decode())
    assert "You have not opened any family's records yet." in section
    assert "<a " not in section


@pytest.mark.parametrize("role", ["commissioner", "ig_lead", "system_admin"])
def test_nothing_for_people_who_never_see_a_family(
    role: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client]
) -> None:
    person = request.getfixturevalue(role)
    html = signed_in(person).get("/").content.decode()
    assert "Recently viewed" not in html


def test_yesterday_and_earlier_read_as_such(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    yesterday_s, last_week_s = _family(world, "Ava Hughes"), _family(world, "Noah Patel")
    now = timezone.now()
    for family, ago in ((last_week_s, 7), (yesterday_s, 1)):
        with time_machine.travel(now - dt.timedelta(days=ago), tick=False):
            audit.record(action="family.viewed", actor=acting(practitioner), obj=family)
    section = _section(signed_in(practitioner).get("/").content.decode())
    week_ago = timezone.localdate(now - dt.timedelta(days=7))
    assert "Opened yesterday at" in section
    assert f"Opened {week_ago.day} {week_ago:%B %Y}" in section


# Queries ------------------------------------------------------------------------------------------


def _viewed_in_bulk(practitioner: User, world: World) -> Callable[[int], None]:
    """Makes the practitioner's events name `n` families in all (each family with a baby and a
    carer), in a few bulk inserts."""

    def grow(n: int) -> None:
        have = AuditEvent.objects.filter(actor=practitioner).exclude(family_id=None).count()
        if n <= have:
            return
        families = create_in_bulk(FamilyFactory, [{"team": world.hub} for _ in range(n - have)])
        create_in_bulk(InfantFactory, [{"family": f, "given_name": "Ava", "family_name": "Hughes"} for f in families])
        create_in_bulk(CarerFactory, [{"family": f, "is_main_contact": True} for f in families])
        at = timezone.now()
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=practitioner,
                action="family.viewed",
                object_type="families.family",
                object_id=str(f.pk),
                family_id=f.pk,
                occurred_at=at - dt.timedelta(seconds=i),
            )
            for i, f in enumerate(families)
        )

    return grow


def test_recently_viewed_takes_three_queries_for_one_family_or_two_hundred(practitioner: User, world: World) -> None:
    scope = Scope(acting(practitioner), list(Membership.objects.filter(user=practitioner).select_related("team")))
    grow = _viewed_in_bulk(practitioner, world)
    grow(1)
    assert queries_for(lambda: recent.recently_viewed(scope)) == 3
    assert len(recent.recently_viewed(scope)) == 1
    grow(200)
    assert queries_for(lambda: recent.recently_viewed(scope)) == 3
    found = recent.recently_viewed(scope)
    assert len(found) == recent.SHOWN
    assert {family.name for family in found} == {"Family of Ava Hughes"}


def test_the_home_page_holds_its_query_count_as_viewed_families_grow(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    client = signed_in(practitioner)
    assert_flat(grow=_viewed_in_bulk(practitioner, world), fetch=lambda: client.get("/"))
