"""The referral page: what it shows (safeguarding, safe contact, eligibility, history, the
outbox), who may open it, and a query count that does not grow with the record."""

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from attune.accounts.models import User
from attune.core.formatting import LONDON
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.queries import assert_flat, growing
from attune.families.codes import ContactPreference
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, SafeguardingFlagFactory
from attune.notifications.models import Channel, Message, MessageStatus
from attune.organisations.models import Team
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.services import append_status
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status


def referral_for(team: Team, *, born: date | None = None, **family: Any) -> Referral:
    """Ava Hughes's family, referred: Ava is 6 months old unless `born` says otherwise."""
    household = FamilyFactory(team=team, **family)
    InfantFactory(family=household, given_name="Ava", family_name="Hughes", **({"date_of_birth": born} if born else {}))
    CarerFactory(
        family=household,
        given_name="Jade",
        family_name="Hughes",
        phone_is_safe=False,
        safe_contact_note="Partner reads her texts: email only",
        contact_preference=ContactPreference.EMAIL,
    )
    referral: Referral = ReferralFactory(
        family=household,
        stresses=["parental_mental_health", "bonding", "housing"],
        safeguarding_known=["marac"],
        reason="Mum feels low.\nShe finds it hard to feel close to Ava.",
    )
    return referral


def html(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_referral_page_shows_the_referral_the_family_and_its_safeguarding(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    referral = referral_for(world.hub, local_authority=world.hub_area)
    SafeguardingFlagFactory(family=referral.family, kind="child_protection_plan", detail="Plan since October")

    response = signed_in(coordinator).get(f"/referrals/{referral.pk}")

    assert response.status_code == 200
    page = html(response)
    # The safeguarding banner comes before the heading
    banner = page.index("data-safeguarding-banner")
    assert banner < page.index("<h1>")
    assert "Child protection plan: Plan since October" in page
    assert f"<h1>Referral {referral.reference} " in page
    assert "Waiting for triage" in page
    # Safe-contact instructions stand out
    assert "Do not use this phone number: it is not safe" in page
    assert "<strong>Partner reads her texts: email only</strong>" in page
    assert "Not safe to use" in page
    # The referrer's words, the stresses under their groups, what was known at referral
    assert "<p>Mum feels low.</p><p>She finds it hard to feel close to Ava.</p>" in page
    assert "The parent&#39;s history and wellbeing" in page
    assert "Parental mental health problems" in page
    assert "The family&#39;s circumstances" in page
    assert "Referred to MARAC (domestic abuse risk)" in page
    assert "Health visitor (A2)" in page
    assert "Yes, the family agreed to the referral" in page
    # Eligible, and in the first 1001 days
    assert "Within criteria" in page
    assert "First 1001 days" in page
    # The history, and while open a link to each decision, carrying the status shown
    assert "Referral form" in page
    assert f'href="/referrals/{referral.pk}/decide/accept?seen={referral.history.get().pk}"' in page
    event = AuditEvent.objects.get(action="referral.viewed")
    assert (event.actor, event.object_id, event.role) == (
        coordinator,
        str(referral.pk),
        "Coordinator, Example hub team",
    )


def test_eligibility_says_plainly_why_a_referral_is_out_of_criteria(
    signed_in: Callable[[User], Client], coordinator: User, world: World, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 11, 26, 11, tzinfo=LONDON), tick=False)  # the child is 5
    referral = referral_for(world.hub, born=date(2021, 3, 1), local_authority=world.satellite_area)

    page = html(signed_in(coordinator).get(f"/referrals/{referral.pk}"))

    assert "Out of criteria" in page
    assert "The child is 5. This team works with children up to their 5th birthday" in page
    assert "This address is in Mill Town Council. This team covers Seaside Council" in page
    assert "First 1001 days" not in page


def test_eligibility_warns_when_the_child_will_age_out_during_the_work(
    signed_in: Callable[[User], Client], coordinator: User, world: World, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime(2026, 11, 26, 11, tzinfo=LONDON), tick=False)  # 4, and 5 in February
    referral = referral_for(world.hub, born=date(2022, 2, 1), local_authority=world.hub_area)
    page = html(signed_in(coordinator).get(f"/referrals/{referral.pk}"))
    assert "Within criteria" in page
    assert "Turns 5 on 1 February 2027, within the 26 weeks the work is expected to take" in page


def test_messages_show_withheld_ones_with_their_reason(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    referral = referral_for(world.hub)
    for status, reason in ((MessageStatus.QUEUED, ""), (MessageStatus.WITHHELD, "No safe way to send a message")):
        Message.objects.create(
            channel=Channel.EMAIL,
            to="x@example.org" if not reason else "",
            recipient="Mother: Jade Hughes",
            template="referral_received_family",
            subject=f"Subject {status}",
            body="...",
            status=status,
            withheld_reason=reason,
            about_type="referrals.referral",
            about_id=str(referral.pk),
        )

    page = html(signed_in(coordinator).get(f"/referrals/{referral.pk}"))

    assert "Subject queued" in page
    assert "Waiting to send" in page
    assert "Subject withheld" in page
    assert "Not sent" in page
    assert "No safe way to send a message" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("practitioner", 200),
        ("team_lead", 200),
        ("supervisor", 200),
        ("trainee", 404),  # a satellite trainee sees satellite referrals only
        ("outsider", 404),
        ("commissioner", 404),
        ("ig_lead", 404),
        ("system_admin", 404),
    ],
)
def test_who_may_open_a_hub_referral(
    role: str, status: int, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], world: World
) -> None:
    referral = referral_for(world.hub)
    client = signed_in(request.getfixturevalue(role))

    response = client.get(f"/referrals/{referral.pk}")

    assert response.status_code == status
    if status == 404:
        assert "Jade Hughes" not in html(response)
        refused = AuditEvent.objects.get(action="access.refused", object_id=str(referral.pk))
        assert refused.outcome == Outcome.NOT_FOUND
        seen = referral.history.get().pk
        for path in (
            "letter",
            f"link/{referral.family_id}",
            f"decide/accept?seen={seen}",
            f"decide/decline?seen={seen}",
        ):
            assert client.get(f"/referrals/{referral.pk}/{path}").status_code == 404


@pytest.mark.parametrize(
    ("role", "hub", "satellite"),
    [
        ("trainee", 404, 200),
        ("supervisor", 200, 200),
        ("coordinator", 200, 404),
        ("outsider", 404, 404),
        ("commissioner", 404, 404),
    ],
)
def test_who_may_open_each_teams_inbox(
    role: str,
    hub: int,
    satellite: int,
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    world: World,
) -> None:
    referral_for(world.hub)
    referral_for(world.satellite)
    client = signed_in(request.getfixturevalue(role))
    assert client.get(f"/teams/{world.hub.pk}/referrals").status_code == hub
    assert client.get(f"/teams/{world.satellite.pk}/referrals").status_code == satellite


def test_satellite_trainee_sees_only_satellite_referrals(
    signed_in: Callable[[User], Client], trainee: User, world: World
) -> None:
    mine = referral_for(world.satellite)
    theirs = referral_for(world.hub)
    client = signed_in(trainee)

    inbox = client.get("/referrals", follow=True)
    assert inbox.redirect_chain == [(f"/teams/{world.satellite.pk}/referrals", 302)]
    page = html(inbox)
    assert mine.reference in page
    assert theirs.reference not in page
    assert client.get(f"/referrals/{mine.pk}").status_code == 200
    assert client.get(f"/referrals/{theirs.pk}").status_code == 404


def test_referral_page_query_count_does_not_grow_with_flags_history_messages_or_matches(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    referral = referral_for(world.hub, postcode="FY1 1AA")
    born = referral.family.infants.get().date_of_birth
    client = signed_in(coordinator)
    statuses = [Status.AWAITING_INFORMATION, Status.RECEIVED]

    def add() -> None:
        count = referral.history.count()
        append_status(
            referral=referral, status=statuses[count % 2], entered_at=referral.received_at, by=coordinator, note="..."
        )
        SafeguardingFlagFactory(family=referral.family, raised_by=coordinator)
        Message.objects.create(
            channel=Channel.EMAIL,
            recipient="Referrer: Jo Bloggs",
            template="referral_received_referrer",
            body="...",
            about_type="referrals.referral",
            about_id=str(referral.pk),
        )
        # A family the team already knows that looks like this one: a possible match
        other = FamilyFactory(team=world.hub, postcode="FY1 1AA")
        InfantFactory(family=other, given_name="Ava", family_name="Hughes", date_of_birth=born)

    def fetch() -> None:
        response = client.get(f"/referrals/{referral.pk}")
        assert response.status_code == 200

    assert_flat(grow=growing(add, lambda: referral.family.safeguarding_flags.count()), fetch=fetch)
    page = html(client.get(f"/referrals/{referral.pk}"))
    assert page.count("Strong match") == 200
