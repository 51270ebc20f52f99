"""CSV and Excel downloads: always suppressed (they leave the team), named clearly, audited."""

import csv
import io
from collections.abc import Callable

import openpyxl
from django.test import Client

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.organisations.tests.world import World
from attune.reports.tables import ReportScope
from attune.reports.tests.test_views import PERIOD, built, team_url  # noqa: F401 (built is a fixture)


def test_team_leads_csv_download_is_suppressed(
    world: World,
    team_lead: User,
    signed_in: Callable[[User], Client],
    built: list[ReportScope],  # noqa: F811
) -> None:
    response = signed_in(team_lead).get(team_url(world.hub.pk, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="attune-example-hub-team-2025-26-q3.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    health_visitor = next(row for row in rows if row and row[0] == "Health visitor")
    assert health_visitor[1] == "*"
    assert any("counts from 1 to 7 are shown as *" in cell for row in rows for cell in row)
    event = AuditEvent.objects.get(action="reports.exported")
    assert event.actor == team_lead
    assert event.object_type == "organisations.team"
    assert event.object_id == str(world.hub.pk)
    assert event.detail == {
        "scope": "team",
        "scope_id": str(world.hub.pk),
        "period": PERIOD,
        "format": "csv",
        "suppressed": True,
    }


def test_commissioners_excel_download_opens_and_has_the_star(
    world: World,
    commissioner: User,
    signed_in: Callable[[User], Client],
    built: list[ReportScope],  # noqa: F811
) -> None:
    response = signed_in(commissioner).get(f"/reports/organisations/{world.icb.pk}/export.xlsx?period={PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="attune-example-icb-2025-26-q3.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "About"
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "*" in values
    assert "Health visitor" in values
    assert 3 not in values
    event = AuditEvent.objects.get(action="reports.exported")
    assert event.detail["format"] == "xlsx"
    assert event.detail["suppressed"] is True
    assert event.detail["scope"] == "organisation"


def test_a_download_for_dates_is_named_by_them(
    world: World,
    team_lead: User,
    signed_in: Callable[[User], Client],
    built: list[ReportScope],  # noqa: F811
) -> None:
    response = signed_in(team_lead).get(team_url(world.hub.pk, "xlsx", period="2024-11-01..2025-03-31"))
    assert response["Content-Disposition"] == (
        'attachment; filename="attune-example-hub-team-2024-11-01-to-2025-03-31.xlsx"'
    )


def test_a_download_with_a_bad_period_shows_the_page_and_its_message(
    world: World,
    team_lead: User,
    signed_in: Callable[[User], Client],
    built: list[ReportScope],  # noqa: F811
) -> None:
    response = signed_in(team_lead).get(team_url(world.hub.pk, "csv", period="last-year"))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "Choose a quarter (2025-26-Q3)" in response.content.decode()
    assert not AuditEvent.objects.filter(action="reports.exported").exists()


def test_downloads_are_refused_to_strangers(
    world: World,
    outsider: User,
    signed_in: Callable[[User], Client],
    built: list[ReportScope],  # noqa: F811
) -> None:
    client = signed_in(outsider)
    assert client.get(team_url(world.hub.pk, "xlsx")).status_code == 404
    assert client.get(team_url(world.hub.pk, "csv")).status_code == 404
    assert not AuditEvent.objects.filter(action="reports.exported").exists()
    assert built == []
