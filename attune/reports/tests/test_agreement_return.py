"""A funding agreement's own report (the funder's return), through its pages: the council's
commissioner reads the satellite's figures for the agreement's period, the posts it pays for filled
against those agreed and the spend to date against the amount, every count suppressed on the page,
in print, in CSV and in Excel; who may open it; audit; and queries that do not grow with the data.

The world: the council (Mill Town Council) pays the ICB £60,371.25 for two satellite posts from
1 November 2024 to 31 March 2025 (151 days), each costing £72,965.25 a year, as in the demo. One
post is held all along; the other's holder joins the team on 1 January 2025 (90 days).
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.commissioning.models import FundingAgreement
from attune.commissioning.tests.factories import agreement, post_cost
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.queries import PAGE_BUDGET, queries_for
from attune.organisations.models import OrganisationKind
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory, OrganisationFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.reports import snapshots
from attune.reports.indicators import build_report
from attune.reports.models import ReportSnapshot
from attune.reports.scope import sharing_rule
from attune.reports.suppression import present
from attune.reports.tables import Kind, ReportScope
from attune.reports.tests.factories import at, contact, discharge, episode, referral
from attune.workforce.models import Post
from attune.workforce.tests.factories import activity, post

START, END = dt.date(2024, 11, 1), dt.date(2025, 3, 31)
AFTER = dt.date(2026, 11, 27)  # long after the agreement ended
ANNUAL = "72965.25"
# What the pages may cost whatever the data size: the report's indicators (fewer sections than a
# team's report) plus the agreement's own figures, and the kept-report look-up (31 when written).
RETURN_QUERIES = 35


def clock(day: dt.date) -> time_machine.travel:
    return time_machine.travel(at(day, 14), tick=False)


@pytest.fixture(autouse=True)
def _after() -> object:
    with clock(AFTER):
        yield


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    return lambda user: sign_in_client(Client(), user)


@pytest.fixture
def council_commissioner(world: World) -> User:
    person = UserFactory(full_name="Carys Council")
    MembershipFactory(
        user=person, role=Role.COMMISSIONER, team=None, organisation=world.satellite_area, starts_on=dt.date(2024, 1, 1)
    )
    return person


@pytest.fixture
def funded(world: World, trainee: User) -> FundingAgreement:
    """The council's agreement for the two satellite posts, with their costs and holders."""
    late = UserFactory(full_name="Lola Late")
    MembershipFactory(user=late, role=Role.TRAINEE, team=world.satellite, starts_on=dt.date(2025, 1, 1))
    first = post(world.satellite, "Recruit-to-train therapist", START, END, trainee)
    second = post(world.satellite, "Recruit-to-train therapist", START, END, late)
    for each in (first, second):
        post_cost(each, ANNUAL, START)
    return agreement(world.satellite_area, world.icb, [world.satellite], posts=[first, second])


@pytest.fixture
def satellite_work(world: World) -> None:
    """In the agreement's period: 15 referrals to the satellite (12 of them allocated, each family
    seen once), 3 episodes completed, and a training session; outside it, the hub's work and the
    satellite's after the agreement ended, neither of which may count."""
    worker = UserFactory()
    MembershipFactory(user=worker, role=Role.PRACTITIONER, team=world.satellite)
    for n in range(12):
        found = episode(world.satellite, worker, at(dt.date(2024, 12, 2 + n)))
        contact(found, at(dt.date(2025, 1, 6 + n)))
        if n < 3:
            discharge(found, at(dt.date(2025, 2, 3 + n)))
    for day in (4, 5, 6):
        referral(world.satellite, at(dt.date(2024, 11, day)))
    activity(world.satellite, worker, dt.date(2025, 2, 10), hours="2.5", attendees=14)
    hub_worker = UserFactory()
    MembershipFactory(user=hub_worker, role=Role.PRACTITIONER, team=world.hub)
    for n in range(5):
        referral(world.hub, at(dt.date(2024, 12, 1 + n)))
    referral(world.satellite, at(dt.date(2025, 4, 2)))


def url(found: FundingAgreement, view: str = "") -> str:
    suffix = {"": "", "print": "print", "csv": "export.csv", "xlsx": "export.xlsx"}[view]
    return f"/reports/agreements/{found.pk}/{suffix}"


def row(html: str, label: str, after: str = "") -> list[str]:
    """The figures in the first table row with this label (after the text `after`, if given)."""
    start = html.index(after) if after else 0
    found = re.search(
        rf'<th scope="row" class="nhsuk-table__header">{re.escape(label)}</th>(.*?)</tr>', html[start:], flags=re.S
    )
    assert found, f"no row {label!r}"
    return [cell.strip() for cell in re.findall(r'nhsuk-table__cell--numeric">([^<]*)<', found.group(1))]


def money(value: Decimal) -> str:
    return f"£{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


# What the council's commissioner reads ---------------------------------------------------------


def test_the_council_reads_its_agreement_for_its_period_and_teams_suppressed(
    world: World,
    funded: FundingAgreement,
    satellite_work: None,
    council_commissioner: User,
    signed_in: Callable[[User], Client],
) -> None:
    response = signed_in(council_commissioner).get(url(funded))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mill Town Council to Example ICB" in html
    assert "1 November 2024 to 31 March 2025" in html
    assert "The funding agreement sets the period" in html
    assert "Choose another period" not in html
    assert "Small numbers are hidden on this page" in html
    # Families referred: 15 in the satellite in the period (the hub's 5 and April's 1 do not count).
    assert row(html, "Total", after="Referrals received by source")[0] == "15"
    # Seen: 12 families, shown rounded to 10; finished with: 3 episodes, hidden.
    assert row(html, "In the period", after="Families seen") == ["10", "10"]
    assert row(html, "Total", after="Episodes completed")[0] == "*"
    # Training given: hours are not about a family and are shown as they are.
    assert row(html, "Training", after="Consultation and training given") == ["*", "15", "2.5"]
    # Posts: 2 agreed and filled (hidden); 302 post-days agreed, 241 filled (rounded to 300 and
    # 240, and the share from the rounded figures).
    assert row(html, "Example satellite team", after="Funded posts filled") == ["*", "*", "300", "240", "80%"]
    # Money is never hidden: the spend is the two posts over the 151 days.
    assert row(html, "Amount of the agreement") == ["£60,371.25"]
    assert row(html, "Spend to date: staff cost of the funded posts") == ["£60,371.25"]
    assert row(html, "Amount left after spend to date") == ["£0.00"]
    # The cost each is worked out from the shown count: £60,371.25 / 10; the hidden 3 hides its cost.
    assert row(html, "Per family seen") == ["£60,371.25", "10", "£6,037.13"]
    assert row(html, "Per completed episode") == ["£60,371.25", "*", "*"]
    assert "Lola Late" not in html
    assert "Tina Trainee" not in html


def test_print_csv_and_excel_are_suppressed_like_the_page(
    world: World,
    funded: FundingAgreement,
    satellite_work: None,
    council_commissioner: User,
    signed_in: Callable[[User], Client],
) -> None:
    client = signed_in(council_commissioner)
    printed = client.get(url(funded, "print")).content.decode()
    assert "Funder&#39;s return for Mill Town Council to Example ICB" in printed
    assert row(printed, "Per completed episode") == ["£60,371.25", "*", "*"]
    assert row(printed, "Example satellite team", after="Funded posts filled") == ["*", "*", "300", "240", "80%"]

    response = client.get(url(funded, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attune-mill-town-council-to-example-icb-2024-11-01-to-2025-03-31.csv" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {line[0]: line[1:] for line in lines if len(line) > 1}
    assert by_label["Example satellite team"] == ["*", "*", "300", "240", "80%"]
    assert by_label["Amount of the agreement"] == ["£60,371.25"]
    assert by_label["Per completed episode"] == ["£60,371.25", "*", "*"]
    assert not any(cell in ("12", "3", "302", "241", "2") for line in lines for cell in line[1:])

    book = openpyxl.load_workbook(io.BytesIO(client.get(url(funded, "xlsx")).content))
    values = [cell.value for sheet in book.worksheets for line in sheet.iter_rows() for cell in line]
    assert "*" in values
    assert 60371.25 in values
    rows = {line[0]: line[1:] for sheet in book.worksheets for line in sheet.iter_rows(values_only=True) if line}
    assert rows["Example satellite team"][:4] == ("*", "*", 300, 240)
    assert rows["Per completed episode"][:3] == (60371.25, "*", "*")
    # The exact counts appear nowhere (a median wait of 2 working days may, as it is not a count).
    assert not {12, 302, 241} & {v for v in values if isinstance(v, int | float)}


def test_the_figures_follow_the_agreement_not_a_period_in_the_address(
    world: World,
    funded: FundingAgreement,
    satellite_work: None,
    council_commissioner: User,
    signed_in: Callable[[User], Client],
) -> None:
    html = signed_in(council_commissioner).get(url(funded) + "?period=2025-26-Q3").content.decode()
    assert "1 November 2024 to 31 March 2025" in html
    assert row(html, "Total", after="Referrals received by source")[0] == "15"


def test_the_team_lead_reads_the_return_suppressed_too(
    world: World, funded: FundingAgreement, satellite_work: None, signed_in: Callable[[User], Client]
) -> None:
    # Written for the funder: even the lead of the satellite reads it as the funder does.
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.TEAM_LEAD, team=world.satellite)
    html = signed_in(lead).get(url(funded)).content.decode()
    assert row(html, "Total", after="Episodes completed")[0] == "*"
    assert AuditEvent.objects.get(action="reports.viewed").detail["suppressed"] is True


# Spend to date and posts filled ---------------------------------------------------------------


def test_spend_to_date_runs_to_today_while_the_agreement_runs(
    world: World, funded: FundingAgreement, council_commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    with clock(dt.date(2025, 1, 31)):
        html = signed_in(council_commissioner).get(url(funded)).content.decode()
    so_far = 30 + 31 + 31  # November, December, January
    spend = Decimal(ANNUAL) * 2 * so_far / 365
    assert row(html, "Spend to date: staff cost of the funded posts") == [money(spend)]
    assert row(html, "The amount for the agreement&#39;s days so far") == [money(Decimal("60371.25") * so_far / 151)]
    assert row(html, "Amount left after spend to date") == [money(Decimal("60371.25") - money_value(spend))]
    assert "Spend to date runs to 31 January 2025." in html
    # 2 x 92 post-days agreed so far; 92 + 31 filled (the second holder from 1 January).
    assert row(html, "Example satellite team", after="Funded posts filled") == ["*", "*", "185", "125", "68%"]


def money_value(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_an_agreement_that_has_not_started_has_nothing_spent_yet(
    world: World, funded: FundingAgreement, council_commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    with clock(dt.date(2024, 10, 15)):
        response = signed_in(council_commissioner).get(url(funded))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This agreement starts on 1 November 2024: there is nothing to report for it yet." in html
    assert row(html, "Spend to date: staff cost of the funded posts") == ["£0.00"]
    assert row(html, "Example satellite team", after="Funded posts filled") == ["*", "0", "0", "0", "–"]


def test_an_agreement_naming_no_posts_counts_its_teams_posts_over_their_contracts(
    world: World, commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    holder = UserFactory()
    MembershipFactory(user=holder, role=Role.PRACTITIONER, team=world.hub, starts_on=dt.date(2020, 1, 1))
    whole = post(world.hub, "Parent-infant therapist", dt.date(2020, 1, 1), None, holder)
    later = post(world.hub, "Clinical psychologist", dt.date(2025, 1, 1), None)  # never filled
    post(world.hub, "Ended before", dt.date(2020, 1, 1), dt.date(2024, 3, 31), holder)
    post_cost(whole, "73000.00", dt.date(2020, 1, 1))
    hub = agreement(world.icb, world.trust, [world.hub], amount="250000.00", starts_on=dt.date(2024, 4, 1))
    html = signed_in(commissioner).get(url(hub)).content.decode()
    # 2 posts in the period: 365 + 90 post-days agreed, 365 filled; the ended post does not count.
    assert row(html, "Example hub team", after="Funded posts filled") == ["*", "*", "455", "365", "80%"]
    assert row(html, "Spend to date: staff cost of the teams&#39; posts") == ["£73,000.00"]
    assert "The agreement names no posts" in html
    # Nothing in the words gives the hidden count away ("has" would say it is 1).
    assert "Posts with no recorded cost for some or all of the agreement: * of *. Those days count as £0" in html
    assert Post.objects.filter(pk=later.pk).exists()


# Who may open it, and the record of it ----------------------------------------------------------


def test_the_icb_as_recipient_may_read_it(
    world: World, funded: FundingAgreement, commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    assert signed_in(commissioner).get(url(funded)).status_code == 200


@pytest.mark.parametrize("view", ["", "print", "csv", "xlsx"])
def test_another_council_gets_not_found(
    world: World, funded: FundingAgreement, signed_in: Callable[[User], Client], view: str
) -> None:
    other = OrganisationFactory(name="Faraway Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    stranger = MembershipFactory(role=Role.COMMISSIONER, team=None, organisation=other).user
    assert signed_in(stranger).get(url(funded, view)).status_code == 404
    refused = AuditEvent.objects.get(action="access.refused")
    assert (refused.object_type, refused.object_id, refused.outcome) == (
        "commissioning.fundingagreement",
        str(funded.pk),
        Outcome.NOT_FOUND,
    )


def test_a_practitioner_of_its_team_is_refused_and_one_elsewhere_not_found(
    world: World, funded: FundingAgreement, trainee: User, outsider: User, signed_in: Callable[[User], Client]
) -> None:
    assert signed_in(trainee).get(url(funded)).status_code == 403
    assert signed_in(outsider).get(url(funded)).status_code == 404
    assert signed_in(trainee).get("/reports/agreements/not-a-uuid/").status_code == 404


def test_each_reading_is_audited_with_the_agreement(
    world: World, funded: FundingAgreement, council_commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(council_commissioner)
    for view in ("", "print", "csv", "xlsx"):
        client.get(url(funded, view))
    events = list(AuditEvent.objects.filter(action__startswith="reports.").order_by("occurred_at", "id"))
    assert [e.action for e in events] == ["reports.viewed", "reports.printed", "reports.exported", "reports.exported"]
    for event in events:
        assert (event.object_type, event.object_id) == ("commissioning.fundingagreement", str(funded.pk))
        assert event.detail["scope"] == "agreement"
        assert event.detail["period"] == "2024-11-01..2025-03-31"
        assert event.detail["suppressed"] is True
        assert "Commissioner" in event.role
    assert [e.detail.get("format") for e in events[2:]] == ["csv", "xlsx"]


# Where it is linked from --------------------------------------------------------------------------


def test_the_reports_index_lists_the_agreement_for_its_commissioner(
    world: World, funded: FundingAgreement, council_commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    html = signed_in(council_commissioner).get("/reports/").content.decode()
    assert "Funding agreements" in html
    assert f'href="/reports/agreements/{funded.pk}/"' in html
    assert "Satellite posts: £60,371.25, 1 November 2024 to 31 March 2025" in html
    # The returns do not follow the period chosen: a period that cannot be read leaves them listed.
    unread = signed_in(council_commissioner).get("/reports/?period=2025-27").content.decode()
    assert "is not a financial year" in unread
    assert f'href="/reports/agreements/{funded.pk}/"' in unread


def test_the_agreement_page_links_to_its_return(
    world: World, funded: FundingAgreement, council_commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    html = signed_in(council_commissioner).get(f"/funding/{funded.pk}").content.decode()
    assert f'<a href="/reports/agreements/{funded.pk}/">Referrals, outcomes, posts filled and spend to date</a>' in html


# Kept and costed the same whatever the size -----------------------------------------------------


def test_a_closed_agreement_is_kept_and_worked_out_again_when_a_cost_changes(
    world: World, funded: FundingAgreement, council_commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(council_commissioner)
    client.get(url(funded))
    assert ReportSnapshot.objects.count() == 1
    assert "were worked out on" in client.get(url(funded)).content.decode()
    # A pay award backdated into the agreement: the kept figures are not used.
    post_cost(funded.posts.order_by("pk").first(), "80000.00", dt.date(2025, 1, 1))  # type: ignore[arg-type]
    html = client.get(url(funded)).content.decode()
    spend = money_value(Decimal(ANNUAL) * 151 / 365 + (Decimal(ANNUAL) * 61 + Decimal("80000.00") * 90) / 365)
    assert row(html, "Spend to date: staff cost of the funded posts") == [money(spend)]


@pytest.mark.parametrize("view", ["", "print", "csv", "xlsx"])
def test_each_view_costs_the_same_queries_as_the_data_grows(
    world: World,
    funded: FundingAgreement,
    council_commissioner: User,
    signed_in: Callable[[User], Client],
    view: str,
) -> None:
    client = signed_in(council_commissioner)
    target = url(funded, view)
    worker = UserFactory()
    MembershipFactory(user=worker, role=Role.PRACTITIONER, team=world.satellite)

    def grow(families: int) -> None:
        for n in range(families):
            day = dt.date(2024, 11, 10) + dt.timedelta(days=n % 90)
            found = episode(world.satellite, worker, at(day))
            contact(found, at(day + dt.timedelta(days=3)))
            if n % 3 == 0:
                discharge(found, at(day + dt.timedelta(days=20)))
        extra = post(world.satellite, "Recruit-to-train therapist", START, END, UserFactory())
        post_cost(extra, ANNUAL, START)
        funded.posts.add(extra)

    grow(1)
    ReportSnapshot.objects.all().delete()
    assert client.get(target).status_code == 200  # warm-up
    ReportSnapshot.objects.all().delete()
    small = queries_for(lambda: client.get(target))
    grow(24)
    ReportSnapshot.objects.all().delete()
    large = queries_for(lambda: client.get(target))
    assert small == large
    assert large <= RETURN_QUERIES


def test_the_index_costs_the_same_queries_for_one_agreement_or_many(
    world: World, funded: FundingAgreement, commissioner: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(commissioner)
    assert client.get("/reports/").status_code == 200
    small = queries_for(lambda: client.get("/reports/"))
    for year in range(2010, 2030):
        agreement(world.icb, world.trust, [world.hub], starts_on=dt.date(year, 4, 1), ends_on=dt.date(year + 1, 3, 31))
    large = queries_for(lambda: client.get("/reports/"))
    assert small == large <= PAGE_BUDGET
    assert client.get("/reports/").content.decode().count("/reports/agreements/") == 21


def test_every_count_in_the_shared_return_obeys_the_rule_and_its_key_is_its_own(
    world: World, funded: FundingAgreement, satellite_work: None
) -> None:
    covered = ReportScope(START, END, frozenset({world.satellite.pk}), agreement_id=funded.pk, label="Return")
    shown = present(build_report(covered, today=AFTER), sharing_rule())
    keys = {table.key for section in shown.sections for table in section.tables}
    assert {"funded_posts", "spend", "cost_each", "referrals_by_source", "episodes_completed"} <= keys
    assert "costs" not in keys  # the teams' cost table gives way to the agreement's own
    for section in shown.sections:
        for table in section.tables:
            for line in (*table.rows, *([table.total] if table.total else [])):
                for column, cell in zip(table.columns, line.cells, strict=True):
                    if column.kind is Kind.COUNT:
                        assert cell.text in ("*", "–", "0") or (
                            int(cell.text.replace(",", "")) >= 10 and int(cell.text.replace(",", "")) % 5 == 0
                        ), (table.key, line.label, column.key, cell.text)
    # A kept return is kept apart from an organisation's report over the same teams and days.
    assert snapshots._key(covered) != snapshots._key(replace(covered, agreement_id=None, funder_id=funded.funder_id))
