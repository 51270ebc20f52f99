"""Presenters for the triage and family pages, without the database."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from attune.accounts.models import User
from attune.families import presenters as family_presenters
from attune.families.codes import ContactPreference, NhsNumberStatus
from attune.families.models import Carer, Infant
from attune.referrals import decisions, presenters
from attune.referrals.clock import TriageClock
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.workflow import Status

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("clock", "text", "colour"),
    [
        (TriageClock(0, 5, False), "0 working days", "green"),
        (TriageClock(1, 5, False), "1 working day", "green"),
        (TriageClock(3, 5, False), "3 working days", "green"),
        (TriageClock(4, 5, False), "4 working days (due)", "orange"),
        (TriageClock(5, 5, False), "5 working days (due)", "orange"),
        (TriageClock(6, 5, False), "6 working days (over target)", "red"),
        (TriageClock(9, 5, True), "Paused", "grey"),
    ],
)
def test_clock_tag_says_in_words_what_its_colour_means(clock: TriageClock, text: str, colour: str) -> None:
    tag = presenters.clock_tag(clock)
    assert (tag["text"], tag["classes"]) == (text, f"nhsuk-tag--{colour}")


def test_paused_clock_says_how_long_it_ran() -> None:
    assert presenters.clock_tag(TriageClock(2, 5, True))["hint"] == "2 working days before the pause"


def _status(state: Status, at: datetime, by: str | None) -> ReferralStatus:
    return ReferralStatus(
        status=state, entered_at=at, by=User(full_name=by, email="x@example.org") if by else None, note=""
    )


def test_stale_warning_names_who_did_what_and_when() -> None:
    latest = _status(Status.ACCEPTED, datetime(2026, 11, 26, 14, 30, tzinfo=LONDON), "Cora Coordinator")
    assert presenters.stale_warning(latest, today=date(2026, 11, 26)) == (
        "Cora Coordinator accepted the referral to the waiting list at 2:30pm while you were deciding. "
        "Your decision has not been saved. Check the referral and decide again if you need to."
    )


def test_stale_warning_on_another_day_gives_the_date() -> None:
    latest = _status(Status.AWAITING_INFORMATION, datetime(2026, 11, 25, 9, 5, tzinfo=LONDON), None)
    assert presenters.stale_warning(latest, today=date(2026, 11, 26)).startswith(
        "Someone asked the referrer for more information on 25 November 2026 at 9:05am while you were deciding."
    )


@pytest.mark.parametrize(
    ("born", "today", "words"),
    [
        (date(2026, 11, 25), date(2026, 11, 26), "1 day"),
        (date(2026, 11, 1), date(2026, 11, 26), "3 weeks"),
        (date(2026, 5, 1), date(2026, 11, 26), "6 months"),
        (date(2024, 8, 26), date(2026, 11, 26), "2 years, 3 months"),
        (date(2023, 11, 26), date(2026, 11, 26), "3 years"),
    ],
)
def test_age_in_the_words_staff_use(born: date, today: date, words: str) -> None:
    assert family_presenters.age(born, today) == words


def test_unborn_baby_shows_its_due_date() -> None:
    unborn = Infant(expected_due_date=date(2027, 2, 14))
    assert family_presenters.baby_age(unborn, date(2026, 11, 26)) == "Due 14 February 2027"
    assert family_presenters.in_first_1001_days(unborn, date(2026, 11, 26))


def test_nhs_number_is_grouped_3_3_4_with_its_status() -> None:
    infant = Infant(nhs_number="9434765919", nhs_number_status=NhsNumberStatus.VERIFIED)
    assert family_presenters.nhs_number_text(infant) == "943 476 5919 (Number present and verified)"
    newborn = Infant(nhs_number="", nhs_number_status=NhsNumberStatus.POSTPONED_UNDER_SIX_WEEKS)
    assert family_presenters.nhs_number_text(newborn) == "Not known (Trace postponed (baby under six weeks old))"


def test_safe_contact_instructions_are_highlighted() -> None:
    carer = Carer(
        phone="07700 900123",
        phone_is_safe=False,
        contact_preference=ContactPreference.NONE,
        safe_contact_note="Only ring the family hub",
    )
    html = family_presenters.safe_contact_html(carer)
    assert "<strong>Do not use this phone number: it is not safe</strong>" in html
    assert "<strong>Do not contact directly</strong>" in html
    assert "<strong>Only ring the family hub</strong>" in html
    assert family_presenters.safe_contact_html(Carer(phone="07700 900123")) == ""


def test_moved_summary_names_what_a_merge_moved() -> None:
    assert family_presenters.moved_summary({}) == "Nothing"
    assert family_presenters.moved_summary({"referrals.referral": ["a"]}) == "1 referral"
    assert (
        family_presenters.moved_summary(
            {"families.carer": ["a", "b"], "families.safeguardingflag": ["c"], "referrals.referral": ["d"]}
        )
        == "2 parents or carers, 1 safeguarding flag and 1 referral"
    )


def test_stresses_are_grouped_as_pip_uk_groups_them() -> None:
    referral = Referral(stresses=["housing", "bonding", "premature", "poverty"])
    rows = presenters.stress_rows(referral)
    assert [row["key"]["text"] for row in rows] == [
        "The baby",
        "The relationship between parent and baby",
        "The family's circumstances",
    ]
    assert rows[2]["value"]["html"] == "Poverty or money worries<br>Housing problems or homelessness"


@pytest.mark.parametrize(
    ("state", "slugs"),
    [
        (Status.RECEIVED, ["accept", "signpost", "decline", "ask-for-information"]),
        # Information arriving (back to "received") is recorded on the referral page, not decided
        (Status.AWAITING_INFORMATION, ["accept", "signpost", "decline"]),
        (Status.ACCEPTED, []),
        (Status.SIGNPOSTED, []),
        (Status.DECLINED, []),
        (Status.WITHDRAWN, []),
    ],
)
def test_the_decisions_open_follow_the_workflow(state: Status, slugs: list[str]) -> None:
    assert [kind.slug for kind in presenters.decisions_from(state)] == slugs


def test_decision_links_carry_the_status_the_person_is_looking_at() -> None:
    referral = Referral(pk=uuid.UUID("12345678-1234-5678-1234-567812345678"))
    latest = ReferralStatus(pk=42, status=Status.AWAITING_INFORMATION)
    assert presenters.decision_links(referral, latest) == [
        {
            "text": "Accept to the waiting list",
            "href": f"/referrals/{referral.pk}/decide/accept?seen=42",
        },
        {
            "text": "Signpost to another service",
            "href": f"/referrals/{referral.pk}/decide/signpost?seen=42",
        },
        {"text": "Decline", "href": f"/referrals/{referral.pk}/decide/decline?seen=42"},
    ]


@pytest.mark.parametrize(
    ("state", "slug", "message"),
    [
        (Status.DECLINED, "accept", "This referral is declined, so it cannot be accepted to the waiting list now."),
        (
            Status.ACCEPTED,
            "signpost",
            "This referral is accepted to the waiting list, so it cannot be signposted to another service now.",
        ),
        (Status.SIGNPOSTED, "decline", "This referral is signposted to another service, so it cannot be declined now."),
        (
            Status.AWAITING_INFORMATION,
            "ask-for-information",
            "This referral is waiting for more information, so you cannot ask the referrer for more information now.",
        ),
    ],
)
def test_a_decision_no_longer_open_is_explained_plainly(state: Status, slug: str, message: str) -> None:
    assert presenters.not_allowed_message(state, decisions.BY_SLUG[slug]) == message
