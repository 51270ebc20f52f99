"""The safeguarding banner line and the names a referral gives its child, without the database."""

from datetime import date

from attune.families.models import Infant
from attune.families.safeguarding_models import ReferralOutcome, SafeguardingReferral
from attune.families.safeguarding_presenters import banner_line, child_name, pre_birth_text, timescale_lines


def referral(infant: Infant, *, week: int | None = 24, status: str = "child_protection_plan") -> SafeguardingReferral:
    found = SafeguardingReferral(
        infant=infant,
        pre_birth=week is not None,
        pregnancy_week=week,
        due_date=date(2027, 6, 23) if week else None,
        referred_on=date(2027, 3, 3),
    )
    found.current_status = status  # type: ignore[attr-defined]
    found.current_since = date(2027, 3, 3)  # type: ignore[attr-defined]
    return found


def test_before_birth_the_banner_speaks_of_the_unborn_baby() -> None:
    unborn = Infant(family_name="Ahmed", expected_due_date=date(2027, 6, 23))
    line = banner_line(referral(unborn, status=ReferralOutcome.AWAITING_DECISION))
    assert line == "Referral to children's social care for the unborn baby: awaiting decision, since 3 March 2027"
    assert child_name(unborn) == "Unborn baby, due 23 June 2027"
    assert timescale_lines(referral(unborn)) == [
        "Strategy meeting due by 31 March 2027 (28 weeks of pregnancy)",
        "Initial child protection conference no earlier than 14 April 2027 (30 weeks of pregnancy)",
    ]


def test_after_birth_the_banner_names_the_baby_and_when_the_referral_was_made() -> None:
    born = Infant(given_name="Zara", family_name="Ahmed", date_of_birth=date(2027, 6, 20))
    assert banner_line(referral(born)) == (
        "Referral to children's social care for Zara Ahmed (made before birth at 24 weeks): "
        "child protection plan, since 3 March 2027"
    )
    assert timescale_lines(referral(born)) == []


def test_a_referral_about_a_born_child_says_nothing_of_pregnancy() -> None:
    born = Infant(given_name="Leo", family_name="Hughes", date_of_birth=date(2026, 9, 1))
    found = referral(born, week=None, status=ReferralOutcome.CHILD_IN_NEED)
    assert pre_birth_text(found) == ""
    assert banner_line(found) == (
        "Referral to children's social care for Leo Hughes: child in need (section 17), since 3 March 2027"
    )
