"""The demo's money: Blackburn with Darwen Council's £60,371.25 to the ICB for the satellite posts
from 1 November 2024 to 31 March 2025, the ICB commissioning the hub, post costs that make the
satellite's staff cost match the contribution, and a council commissioner who sees only what the
council funds."""

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from attune.commissioning import queries
from attune.commissioning.models import FundingAgreement
from attune.core import periods
from attune.nonprod.tests.demo import person
from attune.organisations.models import Organisation, Team, TeamKind
from attune.organisations.tests.world import sign_in_client


def test_the_council_pays_the_icb_for_the_satellite_posts() -> None:
    council = Organisation.objects.get(name="Blackburn with Darwen Borough Council")
    found = FundingAgreement.objects.get(funder=council, starts_on=dt.date(2024, 11, 1))
    assert found.recipient.name == "NHS Lancashire and South Cumbria Integrated Care Board"
    assert found.amount == Decimal("60371.25")
    assert found.ends_on == dt.date(2025, 3, 31)
    assert [t.kind for t in found.teams.all()] == [TeamKind.SATELLITE]
    assert found.posts.count() == 2
    # The posts' staff cost over the agreement is what the council pays.
    cost = queries.posts_staff_cost([p.pk for p in found.posts.all()], found.starts_on, found.ends_on)
    assert cost == Decimal("60371.25")


def test_the_icb_commissions_the_hub_every_year() -> None:
    hub = Team.objects.get(kind=TeamKind.HUB)
    years = FundingAgreement.objects.filter(teams=hub, funder__kind="icb").order_by("starts_on")
    current = periods.financial_year_of(timezone.localdate())
    assert [a.starts_on for a in years] == [dt.date(year, 4, 1) for year in range(2024, current + 1)]
    assert all(a.recipient.kind == "nhs_trust" for a in years)


def test_the_council_commissioner_reports_only_on_the_satellite(client: Client) -> None:
    satellite = Team.objects.get(kind=TeamKind.SATELLITE)
    hub = Team.objects.get(kind=TeamKind.HUB)
    html = sign_in_client(client, person("council_commissioner")).get("/reports/").content.decode()
    assert f"/reports/teams/{satellite.pk}/" in html
    assert f"/reports/teams/{hub.pk}/" not in html
    assert client.get(f"/reports/teams/{hub.pk}/").status_code == 404


def test_the_icb_commissioner_reports_on_both_teams(client: Client) -> None:
    html = sign_in_client(client, person("commissioner")).get("/reports/").content.decode()
    for team in Team.objects.all():
        assert f"/reports/teams/{team.pk}/" in html
