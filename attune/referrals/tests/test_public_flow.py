"""The public referral forms as a journey: pages open without signing in, answers are kept
when going back and forth, pages appear only when they apply, and the check-your-answers page
shows every answer with a "Change" link that comes back to it.

The answers and helpers here are shared by the other test_public_* modules."""

import html as html_lib
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from attune.organisations.tests.world import World

PRO = "/refer/professional"
SELF = "/refer/yourself"
CHECK = "check"


def date_parts(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def months_ago(months: int) -> date:
    return timezone.localdate() - timedelta(days=round(months * 30.5))


def professional_answers(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A health visitor refers a 4-month-old in Mill Town (the satellite team's area)."""
    answers: dict[str, dict[str, Any]] = {
        "postcode": {"postcode": "bb1 7dj"},
        "born": {"born": "yes"},
        "baby": {
            "given_name": "Ava",
            "family_name": "Hartley",
            **date_parts("date_of_birth", months_ago(4)),
            "nhs_number": "943 476 5919",
        },
        "parent-or-carer": {
            "given_name": "Jade",
            "family_name": "Hartley",
            "relationship": "mother",
            "parental_responsibility": "yes",
        },
        "contact": {
            "phone": "07700 900982",
            "phone_is_safe": "yes",
            "email": "",
            "contact_preference": "sms",
            "safe_contact_note": "",
        },
        "another-carer": {"another": "no"},
        "address": {"address_line_1": "1 Mill Lane", "address_line_2": "", "town": "Blackburn"},
        "language-and-ethnicity": {
            "language": "English",
            "interpreter_needed": "no",
            "infant_ethnicity": "A",
            "carer_ethnicity": "A",
        },
        "gp-and-professionals": {"gp_practice": "Mill Lane Surgery", "other_professionals": ""},
        "reason": {"reason": "Mum feels low and finds it hard to feel close to Ava."},
        "stresses": {"stresses_parent": ["parental_mental_health"], "stresses_interaction": ["bonding"]},
        "safeguarding": {"safeguarding": ["none"]},
        "about-you": {
            "name": "Jo Bloggs",
            "role": "A2",
            "organisation": "Mill Town health visiting team",
            "email": "jo.bloggs@example.nhs.uk",
            "phone": "",
        },
        "agreement": {"consent": "yes"},
    }
    answers.update(changes)
    return answers


def self_answers(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A mother in Seaside (the hub team's area) refers herself and her 4-month-old."""
    answers = professional_answers()
    del answers["about-you"]
    answers["postcode"] = {"postcode": "FY1 4AB"}
    answers["are-you-the-parent"] = {"is_parent": "yes"}
    answers["contact"] = {
        "phone": "07700 900123",
        "phone_is_safe": "yes",
        "email": "jade@example.com",
        "email_is_safe": "yes",
        "contact_preference": "email",
        "safe_contact_note": "",
    }
    answers["agreement"] = {"agree": ["yes"]}
    answers.update(changes)
    return answers


def post(client: Client, base: str, slug: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(f"{base}/{slug}", data, **extra)


def fill_in(client: Client, base: str, answers: dict[str, dict[str, Any]]) -> str:
    """Answer each page the flow asks for, following it to the check page; returns its URL."""
    response = client.get(base)
    location = response["Location"]
    for _ in range(30):
        if location.endswith("/check") or location.endswith("/sent"):
            return location
        slug = location.rsplit("/", 1)[-1].split("?")[0]
        assert slug in answers, f"The flow asked for {slug!r}, which the test did not answer"
        response = client.post(location, answers[slug])
        assert response.status_code == 302, (slug, _errors(response))
        location = response["Location"]
    raise AssertionError("The flow never reached the check page")


def send(client: Client, base: str, answers: dict[str, dict[str, Any]], **extra: Any) -> Any:
    fill_in(client, base, answers)
    return client.post(f"{base}/check", extra)


def _errors(response: Any) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<a href="#[^"]*">([^<]*)</a>', html.split('class="nhsuk-error-summary"', 1)[-1])[:10]


def errors(response: Any) -> list[str]:
    """The messages in the page's error summary."""
    html = response.content.decode()
    if "nhsuk-error-summary" not in html:
        return []
    summary = html.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [html_lib.unescape(" ".join(m.split())) for m in re.findall(r"<a [^>]*>([^<]*)</a>", summary)]


def title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match
    return html_lib.unescape(" ".join(match.group(1).split()))


def page_text(response: Any) -> str:
    """What the page says, without its markup."""
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # The rate-limit counters live in the cache, which outlives a test.
    cache.clear()


def test_the_start_page_of_several_services_names_each_team(client: Client, world: World) -> None:
    html = client.get("/refer").content.decode()
    assert "<h1>Refer a family for parent-infant relationship support</h1>" in html
    assert "the Elsewhere team covers City Council" in html
    assert "the Example hub team covers Seaside Council" in html


# Reaching the pages ----------------------------------------------------------------------------


def test_the_start_page_needs_no_sign_in_and_names_the_service(client: Client, world: World) -> None:
    world.other_team.rules_history.all().delete()  # one service takes referrals here
    response = client.get("/refer")
    assert response.status_code == 200
    html = response.content.decode()
    assert title(response).startswith("Refer to the Example PAIRS")
    assert "<h1>Refer to the Example PAIRS</h1>" in html
    assert "until the child's 5th birthday" in html
    assert "Example satellite team covers Mill Town Council" in html
    assert 'href="/refer/professional"' in html
    assert "Refer a family (for professionals)" in html
    assert 'href="/refer/yourself"' in html
    assert "Refer yourself (for parents and carers)" in html


def test_every_public_page_answers_without_sign_in(client: Client, world: World) -> None:
    client.get(PRO)
    response = client.get(f"{PRO}/postcode")
    assert response.status_code == 200
    assert title(response).startswith("What is the family's postcode? – Refer a family")
    response = client.get(f"{SELF}/postcode")
    assert response.status_code == 200
    assert "What is your postcode?" in response.content.decode()


def test_a_page_cannot_be_skipped_to(client: Client, world: World) -> None:
    response = client.get(f"{PRO}/reason")
    assert response.status_code == 302
    assert response["Location"] == f"{PRO}/postcode"
    assert client.get(f"{PRO}/check")["Location"] == f"{PRO}/postcode"
    assert client.get(f"{PRO}/no-such-page").status_code == 404


def test_the_first_page_goes_back_to_the_start_page(client: Client, world: World) -> None:
    html = client.get(f"{PRO}/postcode").content.decode()
    assert re.search(r'class="nhsuk-back-link" href="/refer"', html)


def test_starting_again_clears_earlier_answers(client: Client, world: World) -> None:
    post(client, PRO, "postcode", {"postcode": "BB1 7DJ"})
    assert "BB1 7DJ" in client.get(f"{PRO}/postcode").content.decode()
    client.get(PRO)
    assert "BB1 7DJ" not in client.get(f"{PRO}/postcode").content.decode()


def test_answers_left_idle_for_an_hour_are_cleared(client: Client, world: World, time_machine: Any) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    post(client, PRO, "postcode", {"postcode": "BB1 7DJ"})
    time_machine.shift(timedelta(minutes=61))
    response = client.get(f"{PRO}/born")
    assert response["Location"] == f"{PRO}/postcode"
    page = client.get(f"{PRO}/postcode").content.decode()
    assert "BB1 7DJ" not in page
    assert "we cleared your answers after an hour without activity" in page
    # Said once.
    assert "we cleared your answers" not in client.get(f"{PRO}/postcode").content.decode()


# Going back and forth --------------------------------------------------------------------------


def test_each_page_goes_on_to_the_next_and_back_to_the_last(client: Client, world: World) -> None:
    response = post(client, PRO, "postcode", {"postcode": "BB1 7DJ"})
    assert response["Location"] == f"{PRO}/born"
    html = client.get(f"{PRO}/born").content.decode()
    assert f'class="nhsuk-back-link" href="{PRO}/postcode"' in html


def test_answers_are_kept_when_going_back(client: Client, world: World) -> None:
    answers = professional_answers()
    post(client, PRO, "postcode", answers["postcode"])
    post(client, PRO, "born", answers["born"])
    post(client, PRO, "baby", answers["baby"])
    # Back to the baby's page: everything typed is there.
    html = client.get(f"{PRO}/baby").content.decode()
    assert 'value="Ava"' in html
    assert 'value="Hartley"' in html
    assert f'value="{months_ago(4).year}"' in html
    assert 'value="943 476 5919"' in html
    assert "nhsuk-error" not in html
    # And further back: the postcode as typed, and the radio chosen.
    assert 'value="bb1 7dj"' in client.get(f"{PRO}/postcode").content.decode()
    assert 'value="yes" checked' in client.get(f"{PRO}/born").content.decode()


def test_an_invalid_page_keeps_everything_typed(client: Client, world: World) -> None:
    post(client, PRO, "postcode", {"postcode": "BB1 7DJ"})
    post(client, PRO, "born", {"born": "yes"})
    data = {"given_name": "Ava", "family_name": "", **date_parts("date_of_birth", months_ago(4)), "nhs_number": "123"}
    response = post(client, PRO, "baby", data)
    assert response.status_code == 200
    assert title(response).startswith("Error: About the baby")
    assert errors(response) == [
        "Enter the baby's last name",
        "Enter a valid NHS number. It is 10 digits, like 943 476 5919",
    ]
    html = response.content.decode()
    assert 'value="Ava"' in html
    assert 'value="123"' in html
    assert f'value="{months_ago(4).day}"' in html
    # Until the page is put right, the pages after it wait for it.
    assert client.get(f"{PRO}/another-carer")["Location"] == f"{PRO}/baby"
    # Coming back to it shows what was typed, with its errors.
    again = client.get(f"{PRO}/baby")
    assert 'value="123"' in again.content.decode()
    assert errors(again) == errors(response)


def test_the_baby_page_depends_on_whether_the_baby_is_born(client: Client, world: World) -> None:
    post(client, PRO, "postcode", {"postcode": "BB1 7DJ"})
    assert post(client, PRO, "born", {"born": "no"})["Location"] == f"{PRO}/unborn-baby"
    # The born baby's page does not apply now: it sends the person to where they are up to.
    assert client.get(f"{PRO}/baby")["Location"] == f"{PRO}/unborn-baby"
    assert "Due date" in client.get(f"{PRO}/unborn-baby").content.decode()
    assert post(client, PRO, "born", {"born": "yes"})["Location"] == f"{PRO}/baby"
    assert client.get(f"{PRO}/unborn-baby")["Location"] == f"{PRO}/baby"


def test_the_second_carer_pages_appear_only_when_there_is_one(client: Client, world: World) -> None:
    answers = professional_answers()
    fill_in(client, PRO, answers)
    assert client.get(f"{PRO}/other-parent-or-carer")["Location"] == f"{PRO}/check"
    response = post(client, PRO, "another-carer", {"another": "yes"})
    assert response["Location"] == f"{PRO}/other-parent-or-carer"
    html = client.get(f"{PRO}/other-parent-or-carer").content.decode()
    assert "About the other parent or carer" in html
    assert f'class="nhsuk-back-link" href="{PRO}/another-carer"' in html


def test_the_address_page_shows_the_postcode_with_a_change_link(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers())
    html = client.get(f"{PRO}/address").content.decode()
    assert "BB1 7DJ" in html
    assert f'href="{PRO}/postcode?return=address"' in html
    # Changing it comes back to the address page.
    assert post(client, PRO, "postcode?return=address", {"postcode": "BB1 1AA"})["Location"] == f"{PRO}/address"
    assert "BB1 1AA" in client.get(f"{PRO}/address").content.decode()


# Check your answers ----------------------------------------------------------------------------


def test_check_your_answers_shows_every_answer(client: Client, world: World) -> None:
    assert fill_in(client, PRO, professional_answers()) == f"{PRO}/check"
    response = client.get(f"{PRO}/check")
    assert response.status_code == 200
    assert title(response).startswith("Check your answers before sending your referral")
    text = page_text(response)
    for expected in (
        "Where the family lives",
        "Postcode BB1 7DJ",
        "Address 1 Mill Lane Blackburn",
        "The baby",
        "First name Ava",
        f"Date of birth {months_ago(4).day} {months_ago(4):%B %Y}",
        "NHS number 943 476 5919",
        "Main parent or carer",
        "Relationship to the baby Mother",
        "Phone number 07700 900982",
        "Contact by Text message",
        "Another parent or carer No",
        "The parent's history and wellbeing Parental mental health problems",
        "The relationship between parent and baby Difficulty bonding",
        "Safeguarding None known",
        "Your role Health visitor",
        "Work email address jo.bloggs@example.nhs.uk",
        "Family agreed to the referral Yes",
        "Send referral",
    ):
        assert expected in text, expected


def test_each_answer_has_a_change_link_that_returns_to_check(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers())
    html = client.get(f"{PRO}/check").content.decode()
    links = set(re.findall(r'href="(/refer/professional/[a-z-]+\?return=check)[^"]*"', html))
    assert f"{PRO}/postcode?return=check" in links
    assert f"{PRO}/baby?return=check" in links
    assert f"{PRO}/about-you?return=check" in links
    assert len(re.findall(r">Change<", html)) >= 20
    assert '<span class="nhsuk-u-visually-hidden"> first name (The baby)</span>' in html
    assert '<span class="nhsuk-u-visually-hidden"> NHS number (The baby)</span>' in html
    # The page opened from "Change" goes back to check, both by its back link and when answered.
    page = client.get(f"{PRO}/reason?return=check").content.decode()
    assert f'class="nhsuk-back-link" href="{PRO}/check#answers-reason"' in page
    response = post(client, PRO, "reason?return=check", {"reason": "Changed: dad is worried too."})
    # Back where the answer is, not at the top of a long page.
    assert response["Location"] == f"{PRO}/check#answers-reason"
    assert 'id="answers-reason"' in client.get(f"{PRO}/check").content.decode()
    assert "Changed: dad is worried too." in client.get(f"{PRO}/check").content.decode()


def test_a_change_that_adds_a_page_asks_it_before_returning(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers())
    response = post(client, PRO, "born?return=check", {"born": "no"})
    assert response["Location"] == f"{PRO}/unborn-baby?return=check"
    due = timezone.localdate() + timedelta(days=90)
    response = post(client, PRO, "unborn-baby?return=check", {**date_parts("expected_due_date", due)})
    assert response["Location"] == f"{PRO}/check#answers-unborn-baby"
    text = client.get(f"{PRO}/check").content.decode()
    assert "Due date" in text
    assert "First name" not in re.sub(r"<[^>]+>", " ", text.split("Main parent or carer")[0])


def test_a_change_that_makes_another_answer_wrong_sends_the_person_there(client: Client, world: World) -> None:
    """A new postcode means another team, whose age limit the baby is past."""
    world.hub.rules_history.update(max_age_years=1)
    answers = professional_answers(
        baby={**professional_answers()["baby"], **date_parts("date_of_birth", months_ago(18))}
    )
    fill_in(client, PRO, answers)
    response = post(client, PRO, "postcode?return=check", {"postcode": "FY1 1AA"})
    assert response["Location"] == f"{PRO}/baby?return=check"
    page = client.get(f"{PRO}/baby?return=check")
    assert errors(page) == ["The child is 1. This team works with children up to their 1st birthday"]
    assert client.get(f"{PRO}/check")["Location"] == f"{PRO}/baby?return=check"


def test_a_change_link_cannot_send_the_person_elsewhere(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers())
    response = post(client, PRO, "reason?return=https://evil.example/", {"reason": "Still worried."})
    assert response["Location"] == f"{PRO}/stresses"
    html = client.get(f"{PRO}/reason?return=//evil.example").content.decode()
    assert "evil.example" not in html


def test_stresses_with_nothing_selected_show_as_one_row(client: Client, world: World) -> None:
    fill_in(client, PRO, professional_answers(stresses={}))
    text = page_text(client.get(f"{PRO}/check"))
    assert "Stresses None selected" in text
    assert "The baby None selected" not in text


def test_a_parent_reads_the_stresses_about_herself(client: Client, world: World) -> None:
    fill_in(client, SELF, self_answers())
    text = page_text(client.get(f"{SELF}/stresses"))
    assert "Difficult experiences in your own childhood" in text
    assert "The parent's own adverse childhood experiences" not in text


def test_public_pages_lead_back_to_the_referral_start_not_the_staff_sign_in(client: Client, world: World) -> None:
    html = client.get("/refer").content.decode()
    assert 'class="nhsuk-header__service-logo" href="/refer"' in html
    assert "Refer to a parent-infant relationship service" in html
    assert 'href="/sign-in"' not in html
