"""The triage inbox a page at a time (issue 18): 50 referrals a page, oldest first and in the
same order every time (referrals received at the same moment included), with the count, links
that keep the rest of the address, a page for a page number that is not one, and the page read
recorded on its audit event."""

import datetime as dt
import re
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.pages import check_bad_page_numbers, check_filters_kept, check_pages
from attune.core.testing.queries import create_in_bulk
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.services import append_statuses
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.views.staff import INBOX_PAGE
from attune.referrals.workflow import Status


def references(page: str) -> list[str]:
    body = page.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"PIR-TEST-\d+", body)


def received(world: World, count: int, at: dt.datetime) -> list[Referral]:
    households = FamilyFactory.create_batch(count, team=world.hub)
    create_in_bulk(InfantFactory, ({"family": f} for f in households))
    create_in_bulk(CarerFactory, ({"family": f} for f in households))
    referrals = create_in_bulk(
        ReferralFactory, ({"family": f, "team": world.hub, "received_at": at} for f in households)
    )
    append_statuses([ReferralStatus(referral=r, status=Status.RECEIVED, entered_at=at) for r in referrals])
    return referrals


def test_the_inbox_is_shown_fifty_referrals_a_page_oldest_first(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    now = timezone.now()
    older = received(world, 30, now - dt.timedelta(days=9))  # received together: the key orders them
    newer = received(world, INBOX_PAGE - 30 + 4, now - dt.timedelta(days=2))
    url = f"/teams/{world.hub.pk}/referrals"
    client = signed_in(coordinator)
    seen = check_pages(
        client,
        url,
        keys=references,
        expected=[r.reference for r in older + newer],
        per_page=INBOX_PAGE,
        many="referrals",
    )
    assert set(seen[:30]) == {r.reference for r in older}  # oldest first across the pages
    check_bad_page_numbers(client, url, keys=references, first=seen[:INBOX_PAGE], last=seen[INBOX_PAGE:])
    check_filters_kept(client, url, {"from": "dashboard"})
    shown = AuditEvent.objects.filter(action="referral.inbox_viewed").order_by("id")
    assert [event.detail for event in shown[:2]] == [{"count": 54, "page": 1}, {"count": 54, "page": 2}]


def test_those_who_run_the_inbox_are_offered_a_referral_sent_as_a_fhir_file(
    world: World, signed_in: Callable[[User], Client], coordinator: User, team_lead: User, practitioner: User
) -> None:
    """Coordinators and team leads take referrals from other systems into the inbox; a
    practitioner, whose upload page would refuse them, is not offered the link."""
    upload = f"/teams/{world.hub.pk}/referrals/fhir"
    for person, offered in ((coordinator, True), (team_lead, True), (practitioner, False)):
        page = signed_in(person).get(f"/teams/{world.hub.pk}/referrals").content.decode()
        assert (upload in page) is offered, person
