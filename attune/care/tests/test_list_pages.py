"""The waiting list and caseloads a page at a time (issue 18): 50 rows a page in a stable order,
"Showing 51 to 55 of 55 families", links that keep the rest of the address, a page number that
is not a page answered with a page, and the page read recorded on its audit event."""

import re
from collections.abc import Callable

from django.test import Client

from attune.accounts.models import User
from attune.care.tests.factories import open_episodes, waiting_referrals
from attune.care.views.caseload import CASELOAD_PAGE
from attune.care.views.waiting import WAITING_PAGE
from attune.core.models import AuditEvent
from attune.core.testing.pages import check_bad_page_numbers, check_filters_kept, check_pages, page_text
from attune.organisations.tests.world import World


def references(page: str) -> list[str]:
    """The referral references in the table, in order."""
    body = page.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"PIR-TEST-\d+", body)


def episodes(page: str) -> list[str]:
    found = []
    for body in page.split('<tbody class="nhsuk-table__body">')[1:]:
        found += re.findall(r'href="/episodes/([0-9a-f-]+)"', body.split("</tbody>", 1)[0])
    return found


def test_the_waiting_list_is_shown_fifty_families_a_page(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    waiting = waiting_referrals(world.hub, WAITING_PAGE + 5)
    url = f"/teams/{world.hub.pk}/waiting-list"
    client = signed_in(team_lead)
    seen = check_pages(
        client, url, keys=references, expected=[r.reference for r in waiting], per_page=WAITING_PAGE, many="families"
    )
    check_bad_page_numbers(client, url, keys=references, first=seen[:WAITING_PAGE], last=seen[WAITING_PAGE:])
    check_filters_kept(client, url, {"site": "any"})
    shown = AuditEvent.objects.filter(action="waiting_list.viewed").order_by("id")
    assert [event.detail for event in shown[:2]] == [{"count": 55, "page": 1}, {"count": 55, "page": 2}]


def test_a_short_waiting_list_is_one_page_with_no_page_links(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    waiting_referrals(world.hub, 3)
    page = page_text(signed_in(team_lead).get(f"/teams/{world.hub.pk}/waiting-list", {"page": 7}))
    assert len(references(page)) == 3
    assert "3 families" in page
    assert "nhsuk-pagination" not in page


def test_my_caseload_is_shown_fifty_families_a_page(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    opened = open_episodes(world.hub, [practitioner] * (CASELOAD_PAGE + 2))
    client = signed_in(practitioner)
    seen = check_pages(
        client,
        "/caseload",
        keys=episodes,
        expected=[str(e.pk) for e in opened],
        per_page=CASELOAD_PAGE,
        many="families",
    )
    check_bad_page_numbers(client, "/caseload", keys=episodes, first=seen[:CASELOAD_PAGE], last=seen[CASELOAD_PAGE:])
    check_filters_kept(client, "/caseload", {"view": "mine"})
    page = page_text(client.get("/caseload", {"page": 2}))
    # The caption does not count the families on this page as if they were all.
    assert f"Your families in {world.hub.name}</caption>" in re.sub(r"\s+", " ", page).replace(
        " </caption>", "</caption>"
    )
    event = AuditEvent.objects.filter(action="caseload.viewed").order_by("-id").first()
    assert event is not None
    assert event.detail == {"count": CASELOAD_PAGE + 2, "page": 2}


def test_a_practitioners_caseload_is_shown_a_page_at_a_time_to_their_team_lead(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    opened = open_episodes(world.hub, [practitioner] * (CASELOAD_PAGE + 1))
    url = f"/teams/{world.hub.pk}/caseloads/{practitioner.pk}"
    client = signed_in(team_lead)
    check_pages(
        client, url, keys=episodes, expected=[str(e.pk) for e in opened], per_page=CASELOAD_PAGE, many="families"
    )
    event = AuditEvent.objects.filter(action="caseload.practitioner_viewed").order_by("-id").first()
    assert event is not None
    assert event.detail == {"team": str(world.hub.pk), "count": CASELOAD_PAGE + 1, "page": 2}
