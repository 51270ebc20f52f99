"""Presenters are tested without the database: models built in memory."""

from datetime import date

from attune.accounts.models import User
from attune.organisations import presenters
from attune.organisations.models import Membership, Organisation, Service, Site, SiteKind, Team, TeamKind


def _service() -> Service:
    return Service(
        name="Example PAIRS",
        provider=Organisation(name="Example Trust"),
        commissioner=Organisation(name="Example ICB"),
    )


def test_satellite_summary_names_its_hub() -> None:
    hub = Team(name="Hub team", kind=TeamKind.HUB, service=_service())
    satellite = Team(name="Satellite", kind=TeamKind.SATELLITE, hub=hub, service=_service())
    summary = presenters.TeamSummary(satellite)
    assert summary.relationship == "Satellite of Hub team, which supervises it"
    assert summary.kind_tag == {"text": "Satellite team", "classes": "nhsuk-tag--purple"}
    rows = {row["key"]["text"]: row["value"]["text"] for row in summary.summary_rows()}
    assert rows == {
        "Service": "Example PAIRS",
        "Provider": "Example Trust",
        "Commissioner": "Example ICB",
        "Type": "Satellite of Hub team, which supervises it",
    }


def test_area_served_shows_when_known() -> None:
    team = Team(
        name="Hub", kind=TeamKind.HUB, service=_service(), local_authority=Organisation(name="Blackpool Council")
    )
    rows = presenters.TeamSummary(team).summary_rows()
    assert rows[-1] == {"key": {"text": "Area served"}, "value": {"text": "Blackpool Council"}}


def test_member_rows_show_dates_in_words() -> None:
    member = Membership(
        user=User(full_name="Aisha Begum"), role="trainee", starts_on=date(2024, 11, 1), ends_on=date(2025, 3, 31)
    )
    assert presenters.member_rows([member]) == [
        [
            {"text": "Aisha Begum"},
            {"text": "Trainee parent-infant therapist"},
            {"text": "1 November 2024"},
            {"text": "31 March 2025"},
        ]
    ]


def test_site_rows_join_address_parts() -> None:
    site = Site(name="Darwen family hub", kind=SiteKind.FAMILY_HUB, address="Darwen", postcode="BB3 1AX")
    assert presenters.site_rows([site]) == [
        [{"text": "Darwen family hub"}, {"text": "Family hub"}, {"text": "Darwen, BB3 1AX"}]
    ]


def test_staff_rows_escape_names() -> None:
    user = User(full_name="<script>alert(1)</script>", email="x@example.org")
    cell = presenters.staff_rows([user])[0][0]["html"]
    assert "<script>" not in cell
    assert "&lt;script&gt;" in cell


def test_status_tag() -> None:
    assert presenters.account_status_tag(User(is_active=False))["text"] == "Disabled"
    assert presenters.account_status_tag(User(is_active=True))["text"] == "Active"
