"""The triage decisions as entries: each offered one has its form, and what each needs."""

from attune.referrals import decisions, forms
from attune.referrals.codes import DeclineReason
from attune.referrals.services import Decision
from attune.referrals.workflow import Status


def test_every_decision_offered_on_a_page_has_its_form_and_only_those() -> None:
    offered = {kind.status for kind in decisions.BY_SLUG.values()}
    assert set(forms.FORMS) == offered
    assert Status.WITHDRAWN not in offered  # recorded, not offered on a page yet


def test_what_each_decision_needs() -> None:
    assert decisions.problems(Decision(Status.ACCEPTED)) == {
        "level_of_need": "Select the level of need",
        "priority": "Select the priority",
    }
    assert decisions.problems(Decision(Status.SIGNPOSTED, level_of_need="distress", signposted_to="  ")) == {
        "signposted_to": "Enter the service you are signposting the family to"
    }
    # Declining may leave the need out, but not a wrong one; another reason needs saying.
    assert decisions.problems(Decision(Status.DECLINED, decline_reason=DeclineReason.OTHER)) == {
        "note": "Enter why the referral is declined"
    }
    assert decisions.problems(Decision(Status.DECLINED, level_of_need="x", decline_reason="")) == {
        "level_of_need": "Select the level of need",
        "decline_reason": "Select why the referral is declined",
    }
    assert decisions.problems(Decision(Status.AWAITING_INFORMATION)) == {
        "note": "Enter what information you need from the referrer"
    }
    assert decisions.problems(Decision(Status.WITHDRAWN)) == {}


def test_a_decline_reason_that_contradicts_the_eligibility_check_is_questioned() -> None:
    age = decisions.contradiction(DeclineReason.AGE, within_age=True, within_area=False)
    assert age is not None
    assert age.question == (
        "The eligibility check says this referral is within the age range. Decline as outside the age range anyway?"
    )
    assert age.answer == "Yes, decline as outside the age range"
    area = decisions.contradiction(DeclineReason.AREA, within_age=False, within_area=True)
    assert area is not None
    assert area.question.startswith("The eligibility check says this referral is within the team's area.")
    # Agreeing with the check, or a check that could not say, contradicts nothing
    assert decisions.contradiction(DeclineReason.AGE, within_age=False, within_area=True) is None
    assert decisions.contradiction(DeclineReason.AREA, within_age=True, within_area=False) is None
    # Reasons the check says nothing about are never questioned
    for reason in (DeclineReason.NO_CONSENT, DeclineReason.NOT_RELATIONAL, DeclineReason.OTHER, ""):
        assert decisions.contradiction(reason, within_age=True, within_area=True) is None
