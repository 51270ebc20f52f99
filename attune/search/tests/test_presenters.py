"""What the search page says, built without the database."""

import datetime as dt
import uuid

from attune.families.codes import Relationship
from attune.families.models import Carer, Family, FamilyAlert, Infant, SafeguardingFlag
from attune.organisations.models import Team
from attune.referrals.workflow import Status
from attune.search import presenters
from attune.search.queries import EpisodeState, ReferralState, Whereabouts
from attune.search.query import parse

TODAY = dt.date(2026, 3, 10)
FAMILY = uuid.uuid4()
AT = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)


def _referral(status: Status, *, episode: bool = False, reference: str = "PIR-ACDE-FGHJ") -> ReferralState:
    return ReferralState(FAMILY, reference, status.value, AT, episode)


def test_what_the_search_ran_as() -> None:
    def said(text: str) -> str:
        return presenters.described(parse(text, today=TODAY))

    assert said("Ashwroth") == "Searching by name"
    assert said("9434765919") == "Searching by NHS number 943 476 5919"
    assert said("+44 7700 900123") == "Searching by phone number 07700900123"
    assert said("pir-acde-fghj") == "Searching by referral reference PIR-ACDE-FGHJ"
    assert said("12/3/2025") == "Searching by date of birth or due date 12 March 2025"
    assert said("fy11aa") == "Searching by postcode FY1 1AA"
    assert said("FY1") == "Searching by postcode area FY1"
    assert said("Ashworth 12/3/2025 FY1 1AA") == (
        "Searching by name and date of birth or due date 12 March 2025 and postcode FY1 1AA"
    )


def test_where_the_family_is_on_a_caseload_and_referred_again() -> None:
    where = Whereabouts(
        referrals=[_referral(Status.ACCEPTED, episode=True), _referral(Status.RECEIVED, reference="PIR-KKKK-LLLL")],
        episodes=[EpisodeState(FAMILY, True, "Pat Practitioner", None)],
    )
    assert presenters.where_lines(where) == [
        "On the caseload of Pat Practitioner",
        "Referral PIR-KKKK-LLLL waiting for triage",
    ]


def test_where_the_family_is_waiting() -> None:
    assert presenters.where_lines(Whereabouts([_referral(Status.ACCEPTED)], [])) == [
        "On the waiting list (referral PIR-ACDE-FGHJ)"
    ]
    assert presenters.where_lines(Whereabouts([_referral(Status.AWAITING_INFORMATION)], [])) == [
        "Referral PIR-ACDE-FGHJ waiting for more information"
    ]


def test_where_the_family_was_last() -> None:
    discharged = Whereabouts(
        [_referral(Status.ACCEPTED, episode=True)],
        [EpisodeState(FAMILY, False, "", dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC))],
    )
    assert presenters.where_lines(discharged) == ["Discharged on 1 February 2026"]
    assert presenters.where_lines(Whereabouts([_referral(Status.DECLINED)], [])) == ["Referral PIR-ACDE-FGHJ: Declined"]
    assert presenters.where_lines(Whereabouts([], [])) == ["No referral recorded"]


def _family() -> Family:
    family = Family(pk=FAMILY, team=Team(name="Example hub team"))
    family.active_flags = [SafeguardingFlag(kind="child_protection_plan")]  # type: ignore[attr-defined]
    family.active_alerts = [FamilyAlert(message="EPDS item 10 answered above 0")]  # type: ignore[attr-defined]
    return family


def test_a_result_names_the_babies_and_carers_with_their_ages() -> None:
    family = _family()
    born = Infant(given_name="Ava", family_name="Ashworth", date_of_birth=dt.date(2025, 9, 1))
    unborn = Infant(expected_due_date=dt.date(2026, 6, 1))
    mother = Carer(
        given_name="Chloë",
        family_name="Ashworth",
        relationship=Relationship.MOTHER,
        date_of_birth=dt.date(1996, 3, 11),
        former_names=["Chloë Smith"],
        is_main_contact=True,
    )
    result = presenters.result(family, [born, unborn], [mother], Whereabouts([], []), TODAY)
    values = {row["key"]["text"]: row["value"] for row in result.rows}
    assert result.title == "Family of Ava Ashworth"
    assert values["Babies and children"]["html"] == "Ava Ashworth, 6 months<br>Unborn baby, due 1 June 2026"
    assert values["Parents and carers"]["html"] == "Chloë Ashworth (mother), 29 years old, formerly Chloë Smith"
    assert values["Team"]["text"] == "Example hub team"
    assert result.flags == ["Safeguarding: child protection plan", "Risk alert: EPDS item 10 answered above 0"]


def test_names_are_escaped() -> None:
    family = _family()
    carer = Carer(given_name="<b>Jo</b>", family_name="O'Neill", relationship=Relationship.FATHER)
    result = presenters.result(family, [], [carer], Whereabouts([], []), TODAY)
    values = {row["key"]["text"]: row["value"] for row in result.rows}
    assert values["Parents and carers"]["html"] == "&lt;b&gt;Jo&lt;/b&gt; O&#x27;Neill (father)"


def test_the_summary_line() -> None:
    assert presenters.Page().summary == ""
    assert presenters.Page(typed="Ashworth", searched=True).summary == "No families found for ‘Ashworth’"
    one = presenters.Result("Family of Ava Ashworth", "/families/x", [])
    assert presenters.Page(typed="Ash", searched=True, results=[one]).summary == "1 family found for ‘Ash’"
    many = presenters.Page(typed="Ash", searched=True, results=[one] * 25, more=True)
    assert many.summary.startswith(
        "Showing the first 25 of 26 families found for ‘Ash’. Add a date of birth or postcode"
    )
    counted = presenters.Page(typed="Ash", searched=True, results=[one] * 25, more=True, total=140)
    assert counted.summary.startswith("Showing the first 25 of 140 families found for ‘Ash’.")
    assert presenters.Page(typed="a", searched=True, problem="Enter at least 2 letters or numbers").summary == ""
