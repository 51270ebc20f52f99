"""The search page: who may search, what a result shows, the audit, bad input, query counts."""

import datetime as dt
import html as html_lib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import open_episode, waiting_referrals
from attune.core.models import AuditEvent
from attune.core.testing.queries import PAGE_BUDGET, queries_for
from attune.families import search_index
from attune.families.models import Carer, Family, FamilyAlert, Infant
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, SafeguardingFlagFactory
from attune.organisations.tests.world import World
from attune.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

URL = "/search"


def text(response: Any) -> str:
    page = response.content.decode()
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def results(response: Any) -> list[str]:
    return re.findall(r'<h2 class="nhsuk-card__heading[^"]*"><a href="([^"]+)"', response.content.decode())


def ashworths(team: Any, count: int) -> list[Family]:
    """`count` families of Chloe and Ava Ashworth, each referred (waiting for triage), made in bulk
    and indexed as loaders index them."""
    referrals = waiting_referrals(team, count)
    ids = [referral.family_id for referral in referrals]
    Carer.objects.filter(family_id__in=ids).update(given_name="Chloe", family_name="Ashworth")
    Infant.objects.filter(family_id__in=ids).update(given_name="Ava", family_name="Ashworth")
    search_index.reindex_families(ids)
    return list(Family.objects.filter(pk__in=ids))


def test_a_coordinator_finds_a_family_by_a_misspelt_name(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    family = FamilyFactory(team=world.hub)
    CarerFactory(
        family=family,
        given_name="Chloë",
        family_name="Ashworth",
        date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 29 + 30),
    )
    InfantFactory(
        family=family,
        given_name="Ava",
        family_name="Ashworth",
        date_of_birth=timezone.localdate() - dt.timedelta(days=70),
    )
    ReferralFactory(family=family, reference="PIR-ACDE-FGHJ")
    SafeguardingFlagFactory(family=family, kind="child_protection_plan")
    FamilyAlert.objects.create(family=family, message="EPDS item 10 answered above 0", about_type="x", about_id="1")
    response = signed_in(coordinator).get(URL, {"q": "ashwroth"})
    assert response.status_code == 200
    assert results(response) == [f"/families/{family.pk}"]
    page = text(response)
    assert "Searching by name" in page
    assert "1 family found for ‘ashwroth’" in page
    assert "Family of Ava Ashworth" in page
    assert "Ava Ashworth, 2 months" in page
    assert "Chloë Ashworth (mother), 29 years old" in page
    assert world.hub.name in page
    assert "Referral PIR-ACDE-FGHJ waiting for triage" in page
    assert "Safeguarding: child protection plan" in page
    assert "Risk alert: EPDS item 10 answered above 0" in page


def test_where_the_family_is(
    signed_in: Callable[[User], Client], coordinator: User, practitioner: User, world: World
) -> None:
    waiting = ashworths(world.hub, 1)[0]
    episode = open_episode(world.hub, practitioner)
    search_index.reindex_family(episode.family_id)
    client = signed_in(coordinator)
    page = text(client.get(URL, {"q": waiting.carers.get().family_name}))
    assert "On the waiting list (referral" in page
    name = episode.family.carers.get().family_name
    page = text(client.get(URL, {"q": name}))
    assert f"On the caseload of {practitioner.full_name}" in page


def test_every_search_is_audited_with_what_was_looked_for(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    [family] = ashworths(world.hub, 1)
    client = signed_in(coordinator)
    client.get(URL, {"q": "  943 476 5919 "})
    client.get(URL, {"q": "Ashworth"})
    events = list(AuditEvent.objects.filter(action="search.families").order_by("occurred_at", "id"))
    assert [(e.actor_id, e.outcome) for e in events] == [(coordinator.pk, "success")] * 2
    assert events[0].detail == {
        "kind": "nhs_number",
        "query": "943 476 5919",
        "results": 0,
        "more": False,
    }
    assert events[1].detail["results"] == 1
    assert "Coordinator" in events[1].role
    # each family a results page listed is a read of it, named on its own event
    [listed] = AuditEvent.objects.filter(action="search.listed")
    assert (listed.family_id, listed.actor_id) == (family.pk, coordinator.pk)
    assert listed.detail == {**events[1].detail, "search": events[1].pk}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a name, NHS number, date of birth, postcode, phone number or referral reference"),
        ("a", "Enter at least 2 letters or numbers"),
        ("%", "Enter at least 2 letters or numbers"),
        ("_", "Enter at least 2 letters or numbers"),
        ("*", "Enter at least 2 letters or numbers"),
        ("x" * 500, "Your search must be 100 characters or fewer"),
        ("123 456 7890", "123 456 7890 is not a valid NHS number. Check the number and try again"),
        ("31/2/2025", "31/2/2025 is not a real date"),
        ("²³⁴⁵⁶", "Search by name, NHS number"),
        ("9" * 60, "An NHS number has 10 digits"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_what_was_typed_and_is_audited(
    signed_in: Callable[[User], Client], coordinator: User, world: World, typed: str, message: str
) -> None:
    response = signed_in(coordinator).get(URL, {"q": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in html_lib.unescape(page)
    assert f'value="{html_lib.escape(typed)}"' in page or typed == ""
    assert "Traceback" not in page
    event = AuditEvent.objects.get(action="search.families")
    assert event.detail["problem"].startswith(message)
    assert (event.detail["results"], event.detail["query"]) == (0, typed.strip()[:100])


@pytest.mark.parametrize("typed", ["'; drop table families_family; --", "(.*)+[a-z]", "Ash%_*", "\x00Ash", "<script>"])
def test_sql_and_markup_typed_are_only_ever_text(
    signed_in: Callable[[User], Client], coordinator: User, world: World, typed: str
) -> None:
    ashworths(world.hub, 1)
    response = signed_in(coordinator).get(URL, {"q": typed})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]
    assert Family.objects.count() == 1


def test_no_query_shows_the_form_and_records_nothing(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    response = signed_in(coordinator).get(URL)
    assert response.status_code == 200
    assert '<label class="nhsuk-label nhsuk-label--l" for="search-q">' in response.content.decode() or (
        "Search for a family" in text(response)
    )
    assert not AuditEvent.objects.filter(action="search.families").exists()


def test_families_of_other_teams_are_never_found_nor_counted(
    signed_in: Callable[[User], Client], coordinator: User, outsider: User, world: World
) -> None:
    ashworths(world.other_team, 3)
    mine = ashworths(world.hub, 1)
    response = signed_in(coordinator).get(URL, {"q": "Ashworth"})
    assert results(response) == [f"/families/{mine[0].pk}"]
    assert "1 family found" in text(response)
    response = signed_in(outsider).get(URL, {"q": "Ashworth"})
    assert len(results(response)) == 3


def test_no_families_found_gives_tips(signed_in: Callable[[User], Client], coordinator: User, world: World) -> None:
    ashworths(world.other_team, 1)
    page = text(signed_in(coordinator).get(URL, {"q": "Ashworth"}))
    assert "No families found for ‘Ashworth’" in page
    assert "check the spelling" in page
    assert "You can only find families in the teams you work with." in page


def test_too_many_shows_the_first_25_and_says_how_to_narrow(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    ashworths(world.hub, 26)
    response = signed_in(coordinator).get(URL, {"q": "Ashworth"})
    assert len(results(response)) == 25
    assert "Showing the first 25 of 26 families found for ‘Ashworth’. Add a date of birth or postcode" in text(response)
    assert "Only the first 25 of 26 families are shown." in text(response)


@pytest.mark.parametrize("who", ["commissioner", "ig_lead", "system_admin"])
def test_people_who_do_not_work_with_families_cannot_search_and_have_no_box(
    signed_in: Callable[[User], Client], world: World, who: str, request: pytest.FixtureRequest
) -> None:
    person: User = request.getfixturevalue(who)
    client = signed_in(person)
    assert client.get(URL, {"q": "Ashworth"}).status_code == 403
    assert 'id="search-field"' not in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action="access.refused", outcome="denied").exists()


def test_the_header_box_is_on_every_staff_page(
    signed_in: Callable[[User], Client], coordinator: User, practitioner: User, world: World
) -> None:
    for person in (coordinator, practitioner):
        client = signed_in(person)
        for address in ("/", "/caseload", "/search"):
            page = client.get(address).content.decode()
            assert f'action="{URL}"' in page, address
            assert 'id="search-field"' in page
            assert "Search for a family" in page


def test_signed_out_is_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(URL, {"q": "Ashworth"})
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_results_page_query_count_holds_for_1_and_25_families(
    signed_in: Callable[[User], Client], coordinator: User, practitioner: User, world: World
) -> None:
    client = signed_in(coordinator)
    ashworths(world.hub, 1)

    def fetch() -> None:
        assert client.get(URL, {"q": "Ashworth"}).status_code == 200

    fetch()
    small = queries_for(fetch)
    more = ashworths(world.hub, 30)
    for family in more[:10]:
        SafeguardingFlagFactory(family=family)
        FamilyAlert.objects.create(family=family, message="Alert", about_type="x", about_id="1")
    episode = open_episode(world.hub, practitioner)
    Carer.objects.filter(family=episode.family).update(family_name="Ashworth")
    search_index.reindex_family(episode.family_id)
    assert len(results(client.get(URL, {"q": "Ashworth"}))) == 25
    large = queries_for(fetch)
    assert small == large, f"{small} queries for 1 family but {large} for 25"
    assert large <= PAGE_BUDGET
