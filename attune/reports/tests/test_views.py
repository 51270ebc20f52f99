"""Report pages: who may open which report, who sees exact figures, the period chooser, audit.

The figures here come from a hand-made `Report` (build_report is replaced), so these tests prove
the pages, scoping and suppression independently of the indicators; test_views_real.py runs the
real indicators through the same pages.
"""

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.organisations.models import OrganisationKind
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, OrganisationFactory, SiteFactory
from attune.organisations.tests.world import World
from attune.reports.tables import Column, Figure, Kind, Note, Report, ReportScope, Row, Section, Table

PERIOD = "2025-26-Q3"


def hand_made(scope: ReportScope, *, today: date | None = None) -> Report:
    """A report with a small count (3) that suppression must hide, and a total."""
    sources = Table(
        key="sources",
        title="Referrals received by source",
        columns=(Column("referrals", "Referrals"), Column("accepted", "Accepted", additive=True)),
        rows=(
            Row("Health visitor", {"referrals": 3, "accepted": 0}),
            Row("GP", {"referrals": 22, "accepted": 20}),
            Row("Midwife", {"referrals": 31, "accepted": 30}),
        ),
        total=Row("Total", {"referrals": 56, "accepted": 50}),
        description="Referrals received in the period, by who referred.",
        notes=(Note("{count} had no source recorded.", {"count": Figure(2, one="referral", many="referrals")}),),
        chart="bar",
        chart_column="referrals",
    )
    waits = Table(
        key="waits",
        title="Waiting times",
        columns=(Column("families", "Families", additive=False), Column("median", "Median", Kind.MEDIAN, unit="days")),
        rows=(Row("Referral to triage decision", {"families": 12, "median": 4.5}, samples={"median": 12}),),
    )
    return Report(
        scope=scope,
        sections=(Section("referrals", "Referrals", (sources,)), Section("waiting", "Waiting", (waits,))),
        notes=(
            Note(
                "{count} had no postcode, so no deprivation decile.",
                {"count": Figure(3, one="referral", many="referrals")},
            ),
        ),
    )


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[ReportScope]:
    """Replace the indicators with the hand-made report; the list holds each scope asked for."""
    asked: list[ReportScope] = []

    def fake(scope: ReportScope, *, today: date | None = None) -> Report:
        asked.append(scope)
        return hand_made(scope, today=today)

    monkeypatch.setattr("attune.reports.views.build_report", fake)
    return asked


def cells(html: str) -> list[str]:
    return [
        text.strip()
        for text in re.findall(r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">([^<]*)</td>', html)
    ]


def team_url(team_id: object, view: str = "", period: str = PERIOD) -> str:
    suffix = {"": "", "print": "print", "csv": "export.csv", "xlsx": "export.xlsx"}[view]
    return f"/reports/teams/{team_id}/{suffix}?period={period}"


@pytest.fixture
def council_commissioner(world: World) -> User:
    """A commissioner in another organisation, which funds and commissions nothing here."""
    council = OrganisationFactory(name="Faraway Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    person = MembershipFactory(role=Role.COMMISSIONER, team=None, organisation=council).user
    return person


# Who sees exact figures ------------------------------------------------------------------------


def test_team_lead_sees_exact_small_numbers_on_their_own_team(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(team_lead).get(team_url(world.hub.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert cells(html)[:2] == ["3", "0"]
    assert "*" not in cells(html)
    assert "Exact figures: for the team only. Downloads and printed reports are suppressed." in html
    assert built[0].team_ids == frozenset({world.hub.pk})
    assert (built[0].start, built[0].end) == (date(2025, 10, 1), date(2025, 12, 31))
    event = AuditEvent.objects.get(action="reports.viewed")
    assert event.object_id == str(world.hub.pk)
    assert event.detail == {"scope": "team", "scope_id": str(world.hub.pk), "period": PERIOD, "suppressed": False}


def test_commissioner_sees_the_same_figures_suppressed(
    world: World, commissioner: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(commissioner).get(team_url(world.hub.pk))
    html = response.content.decode()
    assert response.status_code == 200
    shown = cells(html)
    # 3 is hidden; 22 and 31 are rounded to 20 and 30; the smallest other count in the column is
    # hidden too, because the total would give the 3 back.
    assert shown[0] == "*"
    assert "3" not in shown
    assert shown[6:8] == ["55", "50"]  # the total row, rounded from its own exact value
    assert "* means the figure is hidden to protect privacy" in html
    assert "Small numbers are hidden on this page" in html
    assert "counts from 1 to 7 are shown as *" in html
    assert AuditEvent.objects.get(action="reports.viewed").detail["suppressed"] is True


def test_hub_lead_reads_the_satellite_suppressed_unless_they_lead_it_too(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    client = signed_in(team_lead)
    assert cells(client.get(team_url(world.satellite.pk)).content.decode())[0] == "*"
    MembershipFactory(user=team_lead, role=Role.TEAM_LEAD, team=world.satellite)
    assert cells(client.get(team_url(world.satellite.pk)).content.decode())[0] == "3"


def test_page_shows_chart_table_contents_and_notes(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    html = signed_in(team_lead).get(team_url(world.hub.pk)).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="attune-chart"' in html
    assert 'id="report-chart-sources-title"' in html
    assert (
        '<caption class="nhsuk-table__caption nhsuk-table__caption--s">Referrals received by source</caption>' in html
    )
    assert 'href="#report-section-referrals"' in html
    assert "2 referrals had no source recorded." in html
    assert "About these figures" in html
    assert "3 referrals had no postcode, so no deprivation decile." in html
    assert "4.5 days" in html
    assert f'href="/reports/teams/{world.hub.pk}/export.xlsx?period={PERIOD}"' in html
    assert f'href="/reports/teams/{world.hub.pk}/print?period={PERIOD}"' in html


# Who may open which report -----------------------------------------------------------------------


def test_practitioner_is_refused_reports(
    world: World, practitioner: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    client = signed_in(practitioner)
    assert client.get("/reports/").status_code == 403
    assert client.get(team_url(world.hub.pk)).status_code == 403
    assert client.get(team_url(world.hub.pk, "csv")).status_code == 403
    assert list(AuditEvent.objects.filter(action="access.refused").values_list("outcome", flat=True)) == [
        "denied",
        "denied",
        "denied",
    ]
    assert built == []


def test_outsider_gets_not_found_for_a_team_report(
    world: World, outsider: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(outsider).get(team_url(world.hub.pk))
    assert response.status_code == 404
    assert AuditEvent.objects.get(action="access.refused").outcome == "not_found"


def test_commissioner_of_another_organisation_gets_not_found(
    world: World,
    council_commissioner: User,
    signed_in: Callable[[User], Client],
    built: list[ReportScope],
) -> None:
    client = signed_in(council_commissioner)
    assert client.get(team_url(world.hub.pk)).status_code == 404
    assert client.get(f"/reports/organisations/{world.icb.pk}/?period={PERIOD}").status_code == 404
    assert client.get(f"/reports/areas/{world.hub_area.pk}/?period={PERIOD}").status_code == 404
    # Their list offers their own council's report only.
    html = client.get("/reports/").content.decode()
    assert "Faraway Council" in html
    assert str(world.hub.pk) not in html
    assert str(world.icb.pk) not in html
    assert AuditEvent.objects.filter(action="access.refused", outcome="not_found").count() == 3
    assert built == []


def test_team_lead_cannot_open_an_organisation_report(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    assert signed_in(team_lead).get(f"/reports/organisations/{world.icb.pk}/").status_code == 404


def test_team_lead_cannot_open_another_providers_team(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    assert signed_in(team_lead).get(team_url(world.other_team.pk)).status_code == 404


def test_organisation_report_covers_what_it_commissions_always_suppressed(
    world: World, commissioner: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(commissioner).get(f"/reports/organisations/{world.icb.pk}/?period={PERIOD}")
    html = response.content.decode()
    assert response.status_code == 200
    assert built[0].funder_id == world.icb.pk
    assert built[0].team_ids == frozenset({world.hub.pk, world.satellite.pk, world.other_team.pk})
    assert "Everything Example ICB funds or commissions" in html
    assert cells(html)[0] == "*"


def test_area_report_narrows_to_the_council_area(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(team_lead).get(f"/reports/areas/{world.hub_area.pk}/?period={PERIOD}")
    assert response.status_code == 200
    assert built[0].local_authority_id == world.hub_area.pk
    assert world.hub.pk in built[0].team_ids
    assert "Families living in Seaside Council" in response.content.decode()


def test_site_narrows_a_team_report_and_an_unknown_site_is_not_found(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    site = SiteFactory(team=world.hub, name="Central family hub")
    elsewhere = SiteFactory(team=world.other_team)
    client = signed_in(team_lead)
    response = client.get(f"{team_url(world.hub.pk)}&site={site.pk}")
    assert response.status_code == 200
    assert built[0].site_id == site.pk
    assert "families whose preferred site is Central family hub" in response.content.decode()
    assert client.get(f"{team_url(world.hub.pk)}&site={elsewhere.pk}").status_code == 404
    assert client.get(f"{team_url(world.hub.pk)}&site=not-a-site").status_code == 404


# The landing page and the period chooser -------------------------------------------------------


def test_reports_list_offers_what_the_commissioner_may_open(
    world: World, commissioner: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(commissioner).get("/reports/?period=2025-26")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/reports/organisations/{world.icb.pk}/?period=2025-26"' in html
    assert "Everything Example ICB funds or commissions" in html
    assert f'href="/reports/teams/{world.hub.pk}/?period=2025-26"' in html
    assert f'href="/reports/areas/{world.satellite_area.pk}/?period=2025-26"' in html
    assert "Financial year 2025-26" in html
    assert AuditEvent.objects.filter(action="reports.listed").count() == 1
    assert built == []


def test_reports_list_defaults_to_the_last_complete_quarter(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    from django.utils import timezone

    from attune.core.periods import last_complete_quarter

    expected = last_complete_quarter(timezone.localdate())
    html = signed_in(team_lead).get("/reports/").content.decode()
    assert f'href="/reports/teams/{world.hub.pk}/?period={expected.key}"' in html
    assert f'<option value="{expected.key}" selected>' in html


def test_a_bad_period_shows_the_chooser_with_a_message(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(team_lead).get(team_url(world.hub.pk, period="2025-27"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "2025-27 is not a financial year: the years must follow each other, as in 2025-26" in html
    assert built == []
    assert not AuditEvent.objects.filter(action="reports.viewed").exists()


def test_dates_the_wrong_way_round_keep_what_was_typed(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    query = "period=dates&start-day=31&start-month=12&start-year=2025&end-day=1&end-month=10&end-year=2025"
    html = signed_in(team_lead).get(f"/reports/teams/{world.hub.pk}/?{query}").content.decode()
    assert "The end date must be the same as or after the start date" in html
    assert 'name="start-day" type="text" value="31"' in html or 'value="31"' in html
    assert 'value="2025"' in html
    assert built == []


def test_a_date_that_does_not_exist_is_named(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    query = "period=dates&start-day=31&start-month=2&start-year=2025&end-day=1&end-month=3&end-year=2025"
    html = signed_in(team_lead).get(f"/reports/?{query}").content.decode()
    assert "Enter a real start date" in html
    assert 'value="31"' in html


def test_dates_give_a_report_with_links_that_keep_them(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    query = "period=dates&start-day=1&start-month=11&start-year=2024&end-day=31&end-month=3&end-year=2025"
    client = signed_in(team_lead)
    html = client.get(f"/reports/teams/{world.hub.pk}/?{query}").content.decode()
    assert (built[0].start, built[0].end) == (date(2024, 11, 1), date(2025, 3, 31))
    assert "period=2024-11-01..2025-03-31" in html
    # Following such a link fills the date boxes again.
    html = client.get(team_url(world.hub.pk, period="2024-11-01..2025-03-31")).content.decode()
    assert "1 November 2024 to 31 March 2025" in html
    assert '<option value="dates" selected>' in html


# The printable report --------------------------------------------------------------------------


def test_printable_report_is_suppressed_even_for_the_team_lead(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    response = signed_in(team_lead).get(team_url(world.hub.pk, "print"))
    html = response.content.decode()
    assert response.status_code == 200
    assert cells(html)[0] == "*"
    assert "Quarterly report for Example hub team" in html
    assert "Quarter 3 2025-26 (October to December 2025): 1 October 2025 to 31 December 2025" in html
    # The note's count is suppressed like the cells (it once printed the exact 3 here).
    assert "* referrals had no postcode, so no deprivation decile." in html
    assert "3 referrals had no postcode" not in html
    assert "counts from 1 to 7 are shown as *" in html
    assert "nhsuk-header__navigation" not in html
    event = AuditEvent.objects.get(action="reports.printed")
    assert event.detail["suppressed"] is True


def test_a_period_that_has_not_started_is_refused(
    world: World, team_lead: User, signed_in: Callable[[User], Client], built: list[ReportScope]
) -> None:
    client = signed_in(team_lead)
    html = client.get(team_url(world.hub.pk, period="2090-91")).content.decode()
    assert "Choose a period that has started: there are no figures for the future yet" in html
    query = "period=dates&start-day=1&start-month=1&start-year=2090&end-day=31&end-month=3&end-year=2090"
    html = client.get(f"/reports/teams/{world.hub.pk}/?{query}").content.decode()
    assert "The start date must be today or in the past" in html
    assert built == []
