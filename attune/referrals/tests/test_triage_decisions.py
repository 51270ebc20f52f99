"""Triage decisions, one page each: the referral page links to the decisions open to it; each
decision's page has only its own fields (nothing revealed under a radio); saving appends its
status row, writes its audit event and its outbox messages; missing answers keep what was typed;
two people deciding at once cannot overwrite each other; impossible moves are refused plainly."""

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.clocks import add_months
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.queries import assert_flat, create_in_bulk, growing_in_bulk
from attune.families.codes import ContactPreference
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory, SafeguardingFlagFactory
from attune.notifications.models import Message, MessageStatus
from attune.organisations.models import Team
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.models import Referral, ReferralKind, ReferralStatus
from attune.referrals.services import append_statuses
from attune.referrals.tests.factories import ReferralFactory
from attune.referrals.workflow import Status

SLUGS = ["accept", "signpost", "decline", "ask-for-information"]


def waiting_referral(team: Team, **carer: Any) -> Referral:
    family = FamilyFactory(team=team)
    InfantFactory(family=family, given_name="Ava", family_name="Hughes")
    CarerFactory(family=family, given_name="Jade", family_name="Hughes", **carer)
    referral: Referral = ReferralFactory(family=family)
    return referral


def seen(referral: Referral) -> int:
    """The latest status row: the one a person opening the referral now is shown."""
    return referral.history.order_by("-entered_at", "-id").values_list("pk", flat=True)[0]


def decide_url(referral: Referral, slug: str) -> str:
    return f"/referrals/{referral.pk}/decide/{slug}"


def post(client: Client, referral: Referral, slug: str, **data: Any) -> Any:
    return client.post(decide_url(referral, slug), {"seen_status": seen(referral), **data})


def statuses(referral: Referral) -> list[str]:
    return list(referral.history.order_by("entered_at", "id").values_list("status", flat=True))


def templates(referral: Referral) -> list[str]:
    return list(Message.objects.about("referrals.referral", str(referral.pk)).values_list("template", flat=True))


def html(response: Any) -> str:
    """The page with runs of white space made one space, as a reader sees it."""
    return re.sub(r"\s+", " ", response.content.decode())


def summary_errors(page: str) -> list[tuple[str, str]]:
    """(link, text) for each item of the error summary."""
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary)]


def summary_items(page: str) -> list[str]:
    """The words of each item of the error summary, links and all."""
    if "nhsuk-error-summary__list" not in page:
        return []
    summary = page.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", item))).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary)
    ]


def field_errors(page: str) -> list[str]:
    return [
        text.strip() for text in re.findall(r'nhsuk-error-message"[^>]*> <span[^>]*>Error: </span>(.*?)</span>', page)
    ]


def banners(page: str) -> list[str]:
    """The words of each notification banner (the messages after a redirect)."""
    found = re.findall(r'<div class="nhsuk-notification-banner__content">(.*?)</div>', page)
    return [unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def field_names(page: str) -> list[str]:
    """The names of the form's fields, each once, in the order they appear (in the page's main
    content: the header's search box is on every page)."""
    main = page.split("<main", 1)[-1]
    names = re.findall(r'<(?:input|textarea|select)[^>]* name="([^"]+)"', main)
    return [name for i, name in enumerate(names) if name not in names[:i] and name != "csrfmiddlewaretoken"]


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]+)" checked', page)


@pytest.fixture
def hub_referral(world: World) -> Referral:
    return waiting_referral(world.hub)


# The referral page's links ---------------------------------------------------------------------


def test_an_open_referral_links_to_each_decision_with_the_status_seen(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(signed_in(coordinator).get(f"/referrals/{hub_referral.pk}"))

    status = seen(hub_referral)
    assert "<h2>Decide</h2>" in page
    links = re.findall(r'<li><a href="(/referrals/[^"]+/decide/[^"]+)">([^<]+)</a></li>', page)
    assert links == [
        (f"{decide_url(hub_referral, 'accept')}?seen={status}", "Accept to the waiting list"),
        (f"{decide_url(hub_referral, 'signpost')}?seen={status}", "Signpost to another service"),
        (f"{decide_url(hub_referral, 'decline')}?seen={status}", "Decline"),
        (f"{decide_url(hub_referral, 'ask-for-information')}?seen={status}", "Ask the referrer for more information"),
    ]
    # No decision form, so no radios revealing anything
    assert 'type="radio"' not in page
    assert "nhsuk-radios__conditional" not in page


def test_while_waiting_for_information_the_page_offers_the_answer_and_the_other_decisions(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    post(client, hub_referral, "ask-for-information", note="Which GP?")

    page = html(client.get(f"/referrals/{hub_referral.pk}"))

    assert "<h2>Information received</h2>" in page
    assert f'name="seen_status" value="{seen(hub_referral)}"' in page
    assert "<h2>Or decide without waiting</h2>" in page
    assert re.findall(r'/decide/([a-z-]+)\?seen=(\d+)"', page) == [
        (slug, str(seen(hub_referral))) for slug in ("accept", "signpost", "decline")
    ]


def test_a_closed_referral_has_nothing_to_decide(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    post(client, hub_referral, "decline", decline_reason="area")

    page = html(client.get(f"/referrals/{hub_referral.pk}"))

    assert "<h2>Decide</h2>" not in page
    assert "/decide/" not in page
    assert "Information received</h2>" not in page


# Each decision's page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "heading", "fields", "button"),
    [
        ("accept", "Accept to the waiting list", ["level_of_need", "priority", "note"], "Accept referral"),
        (
            "signpost",
            "Signpost to another service",
            ["level_of_need", "signposted_to", "note"],
            "Signpost referral",
        ),
        ("decline", "Decline", ["decline_reason", "level_of_need", "note"], "Decline referral"),
        ("ask-for-information", "Ask the referrer for more information", ["note"], "Send request"),
    ],
)
def test_each_decision_has_a_page_with_only_its_own_fields(
    slug: str,
    heading: str,
    fields: list[str],
    button: str,
    signed_in: Callable[[User], Client],
    coordinator: User,
    hub_referral: Referral,
) -> None:
    SafeguardingFlagFactory(family=hub_referral.family, kind="child_in_need", detail="Social worker: Sam Khan")
    status = seen(hub_referral)

    response = signed_in(coordinator).get(f"{decide_url(hub_referral, slug)}?seen={status}")

    assert response.status_code == 200
    page = html(response)
    assert f"<title>{heading} – Referral {hub_referral.reference} – " in page
    assert f"<h1>{heading}</h1>" in page
    # The safeguarding banner first, then who the decision is about
    assert page.index("data-safeguarding-banner") < page.index("<h1>")
    assert "Child in need plan: Social worker: Sam Khan" in page
    assert f'<a href="/referrals/{hub_referral.pk}">{hub_referral.reference}</a>' in page
    assert "Ava Hughes" in page
    assert "Jade Hughes (mother)" in page
    assert f'class="nhsuk-back-link" href="/referrals/{hub_referral.pk}"' in page
    # Its own fields and nothing else; nothing is revealed under a radio
    assert field_names(page) == ["seen_status", *fields]
    assert f'name="seen_status" value="{status}"' in page
    assert "nhsuk-radios__conditional" not in page
    assert "aria-controls" not in page
    assert f"{button} </button>" in page or f"{button}</button>" in page
    event = AuditEvent.objects.get(action="referral.viewed")
    assert (event.object_id, event.detail) == (str(hub_referral.pk), {"decision": slug})


def test_a_decision_page_shows_why_the_referral_is_out_of_criteria(
    signed_in: Callable[[User], Client], coordinator: User, world: World, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    url = f"{decide_url(hub_referral, 'decline')}?seen={seen(hub_referral)}"
    hub_referral.family.local_authority = world.hub_area
    hub_referral.family.save()
    assert "Eligibility" not in html(client.get(url))  # within criteria: nothing to weigh

    hub_referral.family.local_authority = world.satellite_area
    hub_referral.family.save()
    page = html(client.get(url))

    assert "<h2>Eligibility</h2>" in page
    assert "Out of criteria" in page
    assert "This address is in Mill Town Council. This team covers Seaside Council" in page


def test_asking_a_family_who_referred_themselves_says_the_family_is_asked(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    hub_referral.kind = ReferralKind.SELF
    hub_referral.save()

    page = html(
        signed_in(coordinator).get(f"{decide_url(hub_referral, 'ask-for-information')}?seen={seen(hub_referral)}")
    )

    assert "What information do you need from the family?" in page
    assert "This is sent to the family with the reference number" in page


# Each decision through its page ----------------------------------------------------------------


def test_accept_appends_status_audits_and_tells_referrer_and_family(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    response = post(client, hub_referral, "accept", level_of_need="disturbance", priority="urgent")

    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{hub_referral.pk}"
    hub_referral.refresh_from_db()
    assert statuses(hub_referral) == ["received", "accepted"]
    assert hub_referral.history.last().by == coordinator
    assert (hub_referral.level_of_need, hub_referral.priority) == ("disturbance", "urgent")
    event = AuditEvent.objects.get(action="referral.accepted", object_id=str(hub_referral.pk))
    assert event.actor == coordinator
    assert event.detail == {"level_of_need": "disturbance", "priority": "urgent"}
    assert event.role == "Coordinator, Example hub team"
    assert templates(hub_referral) == ["referral_accepted_referrer", "referral_accepted_family"]

    page = html(client.get(response["Location"]))
    assert "is accepted to the waiting list, priority urgent" in page  # the success banner
    assert "nhsuk-notification-banner--success" in page
    assert "Accepted to the waiting list" in page
    assert "Disturbance: the relationship is disturbed" in page
    assert "/decide/" not in page  # closed: nothing left to decide


def test_accept_keeps_its_note_in_the_history_only(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    post(
        signed_in(coordinator),
        hub_referral,
        "accept",
        level_of_need="distress",
        priority="soon",
        note="Mum prefers mornings",
    )
    assert hub_referral.history.last().note == "Mum prefers mornings"
    assert not Message.objects.filter(body__contains="Mum prefers mornings").exists()


def test_signpost_records_where_and_offers_the_letter(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    response = post(
        client,
        hub_referral,
        "signpost",
        level_of_need="stress",
        signposted_to="Family hub baby group",
        note="They meet on Tuesdays at 10am.",
    )

    assert response.status_code == 302
    hub_referral.refresh_from_db()
    assert statuses(hub_referral) == ["received", "signposted"]
    assert (hub_referral.signposted_to, hub_referral.level_of_need) == ("Family hub baby group", "stress")
    assert AuditEvent.objects.filter(action="referral.signposted", object_id=str(hub_referral.pk)).count() == 1
    assert templates(hub_referral) == ["referral_signposted_referrer", "referral_signposted_family"]
    family_message = Message.objects.get(template="referral_signposted_family", about_id=str(hub_referral.pk))
    assert "Family hub baby group" in family_message.body
    assert "They meet on Tuesdays at 10am." in family_message.body

    letter = client.get(f"/referrals/{hub_referral.pk}/letter")
    assert letter.status_code == 200
    text = html(letter)
    assert "Dear Jade Hughes," in text
    assert "We think Family hub baby group is the best service" in text
    assert "They meet on Tuesdays at 10am." in text
    assert AuditEvent.objects.filter(action="referral.letter_viewed", object_id=str(hub_referral.pk)).exists()


def test_a_referral_that_is_not_signposted_has_no_letter(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    assert signed_in(coordinator).get(f"/referrals/{hub_referral.pk}/letter").status_code == 404


def test_decline_with_a_reason(signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral) -> None:
    response = post(
        signed_in(coordinator),
        hub_referral,
        "decline",
        level_of_need="stress",
        decline_reason="area",
        note="Lives in Preston.",
    )

    assert response.status_code == 302
    hub_referral.refresh_from_db()
    assert statuses(hub_referral) == ["received", "declined"]
    assert (hub_referral.decline_reason, hub_referral.level_of_need) == ("area", "stress")
    assert hub_referral.history.last().note == "Lives in Preston."
    assert AuditEvent.objects.filter(action="referral.declined", object_id=str(hub_referral.pk)).count() == 1
    assert templates(hub_referral) == ["referral_declined_referrer", "referral_declined_family"]


def test_decline_for_area_before_the_need_is_judged(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    response = post(signed_in(coordinator), hub_referral, "decline", decline_reason="area")

    assert response.status_code == 302
    hub_referral.refresh_from_db()
    assert statuses(hub_referral) == ["received", "declined"]
    assert (hub_referral.decline_reason, hub_referral.level_of_need) == ("area", "")


def test_asking_for_information_pauses_and_information_received_resumes(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    response = post(client, hub_referral, "ask-for-information", note="Is the family's GP still Dr Patel?")

    assert response.status_code == 302
    assert statuses(hub_referral) == ["received", "awaiting_information"]
    assert AuditEvent.objects.filter(action="referral.awaiting_information", object_id=str(hub_referral.pk)).exists()
    assert templates(hub_referral) == ["referral_information_requested_referrer"]
    request_message = Message.objects.get(template="referral_information_requested_referrer")
    assert "Is the family's GP still Dr Patel?" in request_message.body

    # The page now offers "Information received", and shows the question asked
    page = html(client.get(f"/referrals/{hub_referral.pk}"))
    assert f"The triage clock for {hub_referral.reference} is paused." in page  # the success banner
    assert "Is the family&#39;s GP still Dr Patel?" in page
    assert "Waiting for more information" in page
    assert ">Paused</strong>" in page

    received = client.post(
        f"/referrals/{hub_referral.pk}",
        {"seen_status": seen(hub_referral), "received_note": "Yes, Dr Patel at Park Surgery."},
    )

    assert received.status_code == 302
    assert statuses(hub_referral) == ["received", "awaiting_information", "received"]
    assert hub_referral.history.last().note == "Yes, Dr Patel at Park Surgery."
    assert AuditEvent.objects.filter(action="referral.information_received", object_id=str(hub_referral.pk)).exists()
    assert "The triage clock has started again" in html(client.get(received["Location"]))


def test_information_received_needs_a_note(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    post(client, hub_referral, "ask-for-information", note="Which GP?")

    response = client.post(f"/referrals/{hub_referral.pk}", {"seen_status": seen(hub_referral), "received_note": ""})

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: " in page
    assert summary_errors(page) == [("#id_received_note", "Enter what the referrer told you")]
    assert field_errors(page) == ["Enter what the referrer told you"]
    assert statuses(hub_referral) == ["received", "awaiting_information"]


# Missing answers -------------------------------------------------------------------------------


def test_incomplete_acceptance_shows_each_problem_by_its_field_and_keeps_what_was_typed(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    response = post(signed_in(coordinator), hub_referral, "accept", note="Mum keen to start soon, phone only")

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: Accept to the waiting list – " in page
    assert summary_errors(page) == [
        ("#id_level_of_need", "Select the level of need"),
        ("#id_priority", "Select the priority"),
    ]
    assert field_errors(page) == ["Select the level of need", "Select the priority"]
    assert "Mum keen to start soon, phone only</textarea>" in page
    assert f'name="seen_status" value="{seen(hub_referral)}"' in page
    assert statuses(hub_referral) == ["received"]
    assert not AuditEvent.objects.filter(action="referral.accepted").exists()
    assert templates(hub_referral) == []


def test_accepting_without_a_priority_keeps_the_level_of_need_chosen(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(post(signed_in(coordinator), hub_referral, "accept", level_of_need="disturbance"))

    assert summary_errors(page) == [("#id_priority", "Select the priority")]
    assert checked(page, "level_of_need") == ["disturbance"]
    assert checked(page, "priority") == []


def test_declining_for_another_reason_needs_the_reason(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(post(signed_in(coordinator), hub_referral, "decline", level_of_need="distress", decline_reason="other"))

    assert summary_errors(page) == [("#id_note", "Enter why the referral is declined")]
    assert field_errors(page) == ["Enter why the referral is declined"]
    assert checked(page, "level_of_need") == ["distress"]
    assert checked(page, "decline_reason") == ["other"]
    assert statuses(hub_referral) == ["received"]


def test_declining_needs_a_reason(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(post(signed_in(coordinator), hub_referral, "decline", note="Not for us"))
    assert summary_errors(page) == [("#id_decline_reason", "Select why the referral is declined")]
    assert "Not for us</textarea>" in page


def test_signposting_needs_the_service_and_the_level_of_need(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(post(signed_in(coordinator), hub_referral, "signpost", note="Tuesdays at 10am"))
    assert summary_errors(page) == [
        ("#id_level_of_need", "Select the level of need"),
        ("#id_signposted_to", "Enter the service you are signposting the family to"),
    ]
    assert "Tuesdays at 10am</textarea>" in page


def test_asking_for_information_needs_the_question(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(post(signed_in(coordinator), hub_referral, "ask-for-information", note="  "))
    assert summary_errors(page) == [("#id_note", "Enter what information you need from the referrer")]
    assert statuses(hub_referral) == ["received"]


def test_a_choice_that_is_not_on_the_list_is_refused_by_its_field(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(post(signed_in(coordinator), hub_referral, "accept", level_of_need="fine", priority="urgent"))
    assert summary_errors(page) == [("#id_level_of_need", "Select the level of need")]
    assert checked(page, "priority") == ["urgent"]
    assert statuses(hub_referral) == ["received"]


# Two people at once ----------------------------------------------------------------------------


def test_two_people_deciding_at_once_the_second_is_told_and_keeps_what_they_typed(
    coordinator: User, practitioner: User, hub_referral: Referral
) -> None:
    first, second = sign_in_client(Client(), coordinator), sign_in_client(Client(), practitioner)
    # Both open the referral and follow its links, so both pages carry the same status
    status_seen = seen(hub_referral)
    for client, slug in ((first, "accept"), (second, "decline")):
        page = html(client.get(f"/referrals/{hub_referral.pk}"))
        assert f"/decide/{slug}?seen={status_seen}" in page
        assert client.get(f"{decide_url(hub_referral, slug)}?seen={status_seen}").status_code == 200

    accepted = first.post(
        decide_url(hub_referral, "accept"),
        {"seen_status": status_seen, "level_of_need": "distress", "priority": "soon"},
    )
    typed = {
        "seen_status": status_seen,
        "decline_reason": "other",
        "level_of_need": "stress",
        "note": "The family moved to Leeds last week",
    }
    refused = second.post(decide_url(hub_referral, "decline"), typed)

    assert accepted.status_code == 302
    assert refused.status_code == 200
    page = html(refused)
    assert "<title>Error: Decline – " in page
    # Who decided what, in the summary, with a link back to the referral to see what changed
    [warning] = summary_items(page)
    assert re.fullmatch(
        r"Cora Coordinator accepted the referral to the waiting list at \d{1,2}:\d\d[ap]m while you were deciding\. "
        r"Your decision has not been saved\. Check the referral and decide again if you need to\. "
        r"See what changed on the referral",
        warning,
    )
    assert summary_errors(page) == [(f"/referrals/{hub_referral.pk}", "See what changed on the referral")]
    # Nothing the second person typed is lost, and the page still carries the status they saw
    assert "The family moved to Leeds last week</textarea>" in page
    assert checked(page, "decline_reason") == ["other"]
    assert checked(page, "level_of_need") == ["stress"]
    assert f'name="seen_status" value="{status_seen}"' in page
    assert seen(hub_referral) != status_seen
    hub_referral.refresh_from_db()
    assert statuses(hub_referral) == ["received", "accepted"]
    assert hub_referral.decline_reason == ""
    assert not AuditEvent.objects.filter(action="referral.declined").exists()
    assert templates(hub_referral) == ["referral_accepted_referrer", "referral_accepted_family"]

    # Sending it again changes nothing: they must look at the referral first
    again = html(second.post(decide_url(hub_referral, "decline"), typed))
    assert "while you were deciding" in summary_items(again)[0]
    assert statuses(hub_referral) == ["received", "accepted"]

    # The referral now shows the decision, with nothing left to decide
    referral_page = html(second.get(f"/referrals/{hub_referral.pk}"))
    assert "Accepted to the waiting list" in referral_page
    assert "/decide/" not in referral_page


def test_a_decision_page_the_workflow_no_longer_allows_sends_the_person_to_the_referral(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    post(client, hub_referral, "decline", decline_reason="area")

    response = client.get(f"{decide_url(hub_referral, 'accept')}?seen={seen(hub_referral)}", follow=True)

    assert response.redirect_chain == [(f"/referrals/{hub_referral.pk}", 302)]
    assert banners(html(response))[-1] == "This referral is declined, so it cannot be accepted to the waiting list now."
    assert statuses(hub_referral) == ["received", "declined"]


def test_asking_again_while_waiting_for_information_is_not_offered(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    post(client, hub_referral, "ask-for-information", note="Which GP?")

    response = client.get(f"{decide_url(hub_referral, 'ask-for-information')}?seen={seen(hub_referral)}", follow=True)

    assert banners(html(response))[-1] == (
        "This referral is waiting for more information, so you cannot ask the referrer for more information now."
    )


def test_an_illegal_transition_posted_is_refused_with_its_message_and_keeps_what_was_typed(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    post(client, hub_referral, "ask-for-information", note="Which GP?")

    # Asking again while already waiting for information is not a move the workflow allows
    response = post(client, hub_referral, "ask-for-information", note="And the address?")

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: " in page
    assert summary_items(page) == [
        "This referral is waiting for more information, so it cannot be changed to "
        "'waiting for more information'. Go back to the referral"
    ]
    assert summary_errors(page) == [(f"/referrals/{hub_referral.pk}", "Go back to the referral")]
    assert "And the address?</textarea>" in page
    assert statuses(hub_referral) == ["received", "awaiting_information"]


# Addresses that do not lead to a decision ------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?seen=", "?seen=abc", "?seen=0", "OTHER"])
def test_a_missing_or_wrong_status_sends_the_person_back_to_decide_again(
    query: str, signed_in: Callable[[User], Client], coordinator: User, world: World, hub_referral: Referral
) -> None:
    if query == "OTHER":  # the status of another referral
        query = f"?seen={seen(waiting_referral(world.hub))}"

    response = signed_in(coordinator).get(decide_url(hub_referral, "accept") + query, follow=True)

    assert response.redirect_chain == [(f"/referrals/{hub_referral.pk}", 302)]
    assert banners(html(response)) == [
        "We could not tell which version of the referral you were deciding on. "
        "Check the referral and choose your decision again."
    ]


def test_a_decision_posted_without_the_status_seen_is_not_saved(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    response = signed_in(coordinator).post(
        decide_url(hub_referral, "accept"), {"level_of_need": "stress", "priority": "soon"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{hub_referral.pk}"
    assert statuses(hub_referral) == ["received"]


def test_an_unknown_decision_is_not_found(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    for slug in ("accepted", "withdraw", "received"):
        assert client.get(f"{decide_url(hub_referral, slug)}?seen={seen(hub_referral)}").status_code == 404
    assert post(client, hub_referral, "withdraw").status_code == 404
    refused = AuditEvent.objects.filter(action="access.refused", object_id=str(hub_referral.pk))
    assert refused.count() == 4
    assert {event.outcome for event in refused} == {Outcome.NOT_FOUND}
    assert statuses(hub_referral) == ["received"]


# Who decides -----------------------------------------------------------------------------------


def test_a_family_that_asked_not_to_be_contacted_is_not_messaged_and_the_page_says_so(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    referral = waiting_referral(world.hub, contact_preference=ContactPreference.NONE)
    client = signed_in(coordinator)
    post(client, referral, "accept", level_of_need="distress", priority="routine")

    family_message = Message.objects.get(template="referral_accepted_family", about_id=str(referral.pk))
    assert family_message.status == MessageStatus.WITHHELD
    page = html(client.get(f"/referrals/{referral.pk}"))
    assert "Not sent" in page
    assert "The family asked not to be contacted directly" in page
    assert "Referrer: Jo Bloggs" in page


def test_a_trainee_in_the_satellite_team_decides_its_referrals(
    signed_in: Callable[[User], Client], trainee: User, world: World
) -> None:
    referral = waiting_referral(world.satellite)
    response = post(signed_in(trainee), referral, "accept", level_of_need="stress", priority="soon")
    assert response.status_code == 302
    assert statuses(referral) == ["received", "accepted"]


def test_a_supervisor_deciding_in_the_satellite_team_is_audited_in_that_role(
    signed_in: Callable[[User], Client], supervisor: User, world: World
) -> None:
    referral = waiting_referral(world.satellite)
    post(signed_in(supervisor), referral, "accept", level_of_need="stress", priority="soon")
    event = AuditEvent.objects.get(action="referral.accepted")
    assert event.role == "Clinical supervisor, Example satellite team"


@pytest.mark.parametrize("slug", SLUGS)
def test_a_coordinator_of_another_team_can_neither_open_nor_post_a_decision(
    slug: str, signed_in: Callable[[User], Client], outsider: User, hub_referral: Referral
) -> None:
    client = signed_in(outsider)
    assert client.get(f"{decide_url(hub_referral, slug)}?seen={seen(hub_referral)}").status_code == 404
    response = post(client, hub_referral, slug, level_of_need="stress", priority="soon", decline_reason="area")
    assert response.status_code == 404
    assert statuses(hub_referral) == ["received"]


def test_a_second_role_in_the_team_changes_nothing(world: World, hub_referral: Referral) -> None:
    person = MembershipFactory(team=world.hub, role=Role.COORDINATOR).user
    MembershipFactory(user=person, team=world.hub, role=Role.PRACTITIONER)
    client = sign_in_client(Client(), person)
    assert client.get(f"/referrals/{hub_referral.pk}").status_code == 200
    assert client.get(f"{decide_url(hub_referral, 'accept')}?seen={seen(hub_referral)}").status_code == 200


# Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_decision_page_query_count_does_not_grow_with_flags_history_or_people(
    slug: str, signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    first_seen = seen(hub_referral)

    family = hub_referral.family

    def add(k: int) -> None:
        received = hub_referral.received_at
        append_statuses(
            [ReferralStatus(referral=hub_referral, status=Status.RECEIVED, entered_at=received) for _ in range(k)]
        )
        create_in_bulk(SafeguardingFlagFactory, ({"family": family, "raised_by": coordinator} for _ in range(k)))
        create_in_bulk(CarerFactory, ({"family": family, "is_main_contact": False} for _ in range(k)))
        create_in_bulk(InfantFactory, ({"family": family} for _ in range(k)))

    def fetch() -> None:
        response = client.get(f"{decide_url(hub_referral, slug)}?seen={first_seen}")
        assert response.status_code == 200

    assert_flat(grow=growing_in_bulk(add, lambda: hub_referral.history.count()), fetch=fetch)
    assert family.infants.count() > 100
    assert family.safeguarding_flags.count() > 100


def test_a_refused_decision_query_count_does_not_grow_either(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    client = signed_in(coordinator)
    status_seen = seen(hub_referral)

    family = hub_referral.family

    def add(k: int) -> None:
        create_in_bulk(SafeguardingFlagFactory, ({"family": family, "raised_by": coordinator} for _ in range(k)))
        create_in_bulk(InfantFactory, ({"family": family} for _ in range(k)))

    def fetch() -> None:
        response = client.post(decide_url(hub_referral, "accept"), {"seen_status": status_seen, "note": "Keen"})
        assert response.status_code == 200

    assert_flat(grow=growing_in_bulk(add, lambda: family.safeguarding_flags.count()), fetch=fetch)
    assert family.infants.count() > 100


# A decline reason that contradicts the eligibility check ----------------------------------------

AGE_QUESTION = (
    "The eligibility check says this referral is within the age range. Decline as outside the age range anyway?"
)


def test_declining_as_outside_the_age_range_when_within_it_asks_first_then_records_the_confirmation(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    # Ava is 6 months old: the referral page says "Within criteria" for her age
    client = signed_in(coordinator)

    asked = html(post(client, hub_referral, "decline", decline_reason="age", level_of_need="stress", note="Too old"))

    assert "<title>Error: Decline" in asked
    assert summary_errors(asked) == [("#id_confirm", AGE_QUESTION)]
    assert "Yes, decline as outside the age range" in asked
    # Nothing is saved, and what was chosen is kept
    assert statuses(hub_referral) == ["received"]
    assert checked(asked, "decline_reason") == ["age"]
    assert checked(asked, "level_of_need") == ["stress"]
    assert "Too old</textarea>" in asked

    confirmed = post(
        client, hub_referral, "decline", decline_reason="age", level_of_need="stress", note="Too old", confirm="yes"
    )

    assert confirmed.status_code == 302
    hub_referral.refresh_from_db()
    assert statuses(hub_referral) == ["received", "declined"]
    assert hub_referral.decline_reason == "age"
    event = AuditEvent.objects.get(action="referral.declined", object_id=str(hub_referral.pk))
    assert event.detail == {
        "level_of_need": "stress",
        "confirmed_against_eligibility": AGE_QUESTION,
        "decline_reason": "age",
    }


def test_the_confirmation_is_not_offered_until_a_reason_contradicts_the_check(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    page = html(signed_in(coordinator).get(f"{decide_url(hub_referral, 'decline')}?seen={seen(hub_referral)}"))
    assert "confirm" not in field_names(page)


def test_declining_as_outside_the_area_when_the_check_says_within_asks_first(
    signed_in: Callable[[User], Client], coordinator: User, world: World, hub_referral: Referral
) -> None:
    hub_referral.family.local_authority = world.hub_area
    hub_referral.family.save()
    client = signed_in(coordinator)

    asked = html(post(client, hub_referral, "decline", decline_reason="area"))

    assert summary_errors(asked) == [
        (
            "#id_confirm",
            "The eligibility check says this referral is within the team&#39;s area. "
            "Decline as outside the area anyway?",
        )
    ]
    assert statuses(hub_referral) == ["received"]
    assert post(client, hub_referral, "decline", decline_reason="area", confirm="yes").status_code == 302
    assert statuses(hub_referral) == ["received", "declined"]


def test_declining_as_outside_the_age_range_when_the_check_agrees_is_not_questioned(
    signed_in: Callable[[User], Client], coordinator: User, hub_referral: Referral
) -> None:
    hub_referral.family.infants.update(date_of_birth=add_months(timezone.localdate(), -70))

    response = post(signed_in(coordinator), hub_referral, "decline", decline_reason="age")

    assert response.status_code == 302
    assert statuses(hub_referral) == ["received", "declined"]
    assert "confirmed_against_eligibility" not in AuditEvent.objects.get(action="referral.declined").detail
