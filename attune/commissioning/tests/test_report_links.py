"""The agreement page's link to its return is registered by reports (an app above commissioning);
without a registration the page simply has no link."""

import datetime as dt
from decimal import Decimal

import pytest

from attune.commissioning import presenters, report_links
from attune.commissioning.models import FundingAgreement
from attune.organisations.models import Organisation


def test_the_reports_app_registers_the_return_address() -> None:
    agreement = FundingAgreement()
    assert report_links.return_url(agreement) == f"/reports/agreements/{agreement.pk}/"


def test_without_a_registration_there_is_no_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_links, "_links", [])
    agreement = FundingAgreement(
        funder=Organisation(name="The council"),
        recipient=Organisation(name="The ICB"),
        amount=Decimal("1.00"),
        starts_on=dt.date(2024, 11, 1),
        ends_on=dt.date(2025, 3, 31),
        purpose="Satellite posts",
    )
    assert report_links.return_url(agreement) == ""
    assert "Funder's return" not in [row["key"]["text"] for row in presenters.summary_rows(agreement, [])]
