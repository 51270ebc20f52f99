"""What the report pages say and link to for a funding agreement's return (presenters, no
database)."""

import datetime as dt
import uuid
from decimal import Decimal

from attune.commissioning.models import FundingAgreement
from attune.core.periods import between
from attune.organisations.models import Organisation
from attune.reports import presenters
from attune.reports.scope import Subject, SubjectKind

START, END = dt.date(2024, 11, 1), dt.date(2025, 3, 31)


def test_an_agreements_addresses_carry_no_period_and_its_title_says_return() -> None:
    period = between(START, END)
    subject = Subject(
        SubjectKind.AGREEMENT,
        uuid.UUID(int=7),
        "Blackburn with Darwen Council to the ICB",
        "Satellite posts (Blackburn with Darwen satellite team)",
        frozenset(),
        period=period,
    )
    pk = "00000000-0000-0000-0000-000000000007"
    assert presenters.subject_url(subject, period) == f"/reports/agreements/{pk}/"
    assert presenters.subject_url(subject, period, "csv") == f"/reports/agreements/{pk}/export.csv"
    assert presenters.report_title(subject, period) == "Funder's return for Blackburn with Darwen Council to the ICB"
    assert presenters.audience_text(subject) == (
        "For the funder and the recipient of this agreement (Blackburn with Darwen Council to the ICB)"
    )
    assert presenters.file_name(subject, period, "xlsx") == (
        "attune-blackburn-with-darwen-council-to-the-icb-2024-11-01-to-2025-03-31.xlsx"
    )
    assert presenters.period_text(period) == "1 November 2024 to 31 March 2025"


def test_the_index_lists_each_agreement_with_its_amount_and_dates() -> None:
    found = FundingAgreement(
        funder=Organisation(name="Blackburn with Darwen Council"),
        recipient=Organisation(name="The ICB"),
        amount=Decimal("60371.25"),
        starts_on=START,
        ends_on=END,
        purpose="Two recruit-to-train posts",
    )
    assert presenters.agreement_links([found]) == [
        {
            "href": f"/reports/agreements/{found.pk}/",
            "text": "Blackburn with Darwen Council to The ICB",
            "description": "Two recruit-to-train posts: £60,371.25, 1 November 2024 to 31 March 2025",
        }
    ]
