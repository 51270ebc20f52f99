"""Finished reports for closed periods are kept and reused until a record inside them changes
(attune/reports/snapshots.py): a late questionnaire brings the new figure at once; work in another
team, or dated after the period, leaves the kept report alone; a period still open is never kept."""

import ast
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.formatting import datetime_long
from attune.core.testing.queries import queries_for
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_progress import stored
from attune.reports import snapshots
from attune.reports.indicators import build_report
from attune.reports.models import ReportSnapshot
from attune.reports.tables import Report, ReportScope
from attune.reports.tests.factories import END, START, TODAY, at, contact, episode, scope

pytestmark = pytest.mark.django_db
REPORTS = Path(snapshots.__file__).parent


class Builds:
    """build_report, counting how often the figures are worked out."""

    def __init__(self, covered: ReportScope) -> None:
        self.covered = covered
        self.count = 0

    def __call__(self) -> Report:
        self.count += 1
        return build_report(self.covered, today=TODAY)


@pytest.fixture
def clock() -> Iterator[Callable[[int], None]]:
    """Moves the clock on by whole hours from now, so rows written before a step are older than the
    snapshot's look-back margin."""
    start = timezone.now()
    with time_machine.travel(start, tick=True) as traveller:

        def later(hours: int) -> None:
            traveller.move_to(start + dt.timedelta(hours=hours))

        yield later


def test_a_closed_period_is_worked_out_once_and_kept(world: World, practitioner: User, clock) -> None:
    found = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    contact(found, at(dt.date(2025, 11, 3)))
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    first = snapshots.report_for(covered, today=TODAY, build=builds)
    clock(2)
    again = snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 1
    assert again.report == first.report == build_report(covered, today=TODAY)
    assert again.worked_out_at == first.worked_out_at
    assert ReportSnapshot.objects.count() == 1


def test_a_period_still_open_is_worked_out_every_time_and_never_kept(world: World) -> None:
    covered = scope(world.hub, start=START, end=TODAY + dt.timedelta(days=30))
    builds = Builds(covered)
    for _ in range(2):
        kept = snapshots.report_for(covered, today=TODAY, build=builds)
        assert kept.worked_out_at is None
    assert builds.count == 2
    assert not ReportSnapshot.objects.exists()


def test_a_questionnaire_entered_late_brings_the_new_figures(world: World, practitioner: User, clock) -> None:
    found = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    mum = found.family.carers.get()
    stored(found, "EPDS", 20, completed_on=dt.date(2025, 9, 10), carer=mum)
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    before = snapshots.report_for(covered, today=TODAY, build=builds)
    clock(2)
    stored(found, "EPDS", 8, completed_on=dt.date(2025, 12, 1), carer=mum)  # dated inside, entered now
    clock(3)
    after = snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 2
    assert after.report == build_report(covered, today=TODAY)
    assert after.report != before.report
    assert after.worked_out_at is not None
    assert before.worked_out_at is not None
    assert after.worked_out_at > before.worked_out_at
    # And kept again from then on.
    clock(4)
    snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 2


def test_work_in_another_team_or_after_the_period_leaves_the_kept_report(
    world: World, practitioner: User, clock
) -> None:
    mine = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    theirs = episode(world.satellite, practitioner, at(dt.date(2025, 9, 1)))
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    snapshots.report_for(covered, today=TODAY, build=builds)
    clock(2)
    contact(theirs, at(dt.date(2025, 11, 3)))  # inside the period, another team
    contact(mine, at(END + dt.timedelta(days=5)))  # this team, after the period
    stored(mine, "EPDS", 12, completed_on=END + dt.timedelta(days=5), carer=mine.family.carers.get())
    clock(3)
    snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 1


def test_a_change_in_the_last_minutes_before_a_check_is_still_seen(world: World, practitioner: User, clock) -> None:
    """A row written before a check but committed after it is found by the next check, which looks
    back MARGIN before the last one."""
    found = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    snapshots.report_for(covered, today=TODAY, build=builds)
    appointment = contact(found, at(dt.date(2025, 11, 3)))
    # As if its transaction had committed only after the next check began.
    type(appointment).objects.filter(pk=appointment.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    clock(2)
    snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 2


def test_a_snapshot_not_signed_by_this_installation_is_never_read(world: World, clock) -> None:
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    snapshots.report_for(covered, today=TODAY, build=builds)
    ReportSnapshot.objects.update(payload=b"not ours", signature="0" * 64)
    clock(2)
    kept = snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 2
    assert kept.report == build_report(covered, today=TODAY)


def test_each_watched_table_can_be_asked(world: World, clock) -> None:
    """Every source's lookups exist (a typo would only show when a report is reused), in one query."""
    covered = scope(world.hub)
    clock(1)
    snapshots.report_for(covered, today=TODAY, build=Builds(covered))
    snapshot = ReportSnapshot.objects.get()
    assert queries_for(lambda: snapshots._changed_since(snapshot, covered)) == 1
    assert not snapshots._changed_since(snapshot, covered)
    # And every table's second look (whose team, which day) reads its rows without error.
    for source in snapshots.SOURCES:
        assert snapshots._inside(source, timezone.now() + dt.timedelta(days=1), covered) == (
            not source.team and not source.day
        )


def _models_imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            app_label = node.module.split(".")[-2]
            for alias in node.names:
                try:
                    model = apps.get_model(app_label, alias.name)
                except LookupError:
                    continue  # a code list or helper, not a table
                found.add(model._meta.label)
    return found


def test_every_table_a_report_reads_is_watched() -> None:
    """A new table read by an indicator, or by the costs they use, must be watched (or say why not)."""
    files = [*(REPORTS / "indicators").glob("*.py"), REPORTS / "deprivation.py"]
    files.append(Path(apps.get_app_config("commissioning").path) / "queries.py")
    read = set().union(*(_models_imported(path) for path in files))
    watched = {source.model for source in snapshots.SOURCES} | set(snapshots.UNWATCHED)
    assert read - watched == set()


def test_loading_deprivation_ranks_forgets_kept_reports(world: World, tmp_path: Path, clock) -> None:
    from attune.reports.deprivation import load_deprivation

    covered = scope(world.hub)
    clock(1)
    snapshots.report_for(covered, today=TODAY, build=Builds(covered))
    ranks = tmp_path / "ranks.csv"
    ranks.write_text(
        "LSOA code (2021),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\n"
        "E01000001,100,1\n"
    )
    load_deprivation(ranks, edition="IoD2025")
    assert not ReportSnapshot.objects.exists()


def test_the_page_says_how_old_kept_figures_are_and_costs_fewer_queries(
    world: World, practitioner: User, team_lead: User, signed_in: Callable[[User], Client]
) -> None:
    found = episode(world.hub, practitioner, at(dt.date(2025, 9, 1)))
    contact(found, at(dt.date(2025, 11, 3)))
    client = signed_in(team_lead)
    url = f"/reports/teams/{world.hub.pk}/?period=2025-26-Q3"
    start = timezone.now()
    pages = []
    # Steps longer than the look-back margin, shorter than the session's idle time-out.
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        first = queries_for(lambda: pages.append(client.get(url)))
    with time_machine.travel(start + dt.timedelta(minutes=40), tick=False):
        again = queries_for(lambda: pages.append(client.get(url)))
    worked_out = datetime_long(start + dt.timedelta(minutes=20))
    for page in pages:
        html = page.content.decode()
        assert f"These figures were worked out on {worked_out} and kept, as the period has ended." in html
        assert "They are worked out again as soon as a record inside the period is added or changed." in html
    assert again < first


def test_history_filled_in_late_brings_the_new_figures(world: World, practitioner: User, clock) -> None:
    """A referral's status dated inside the period but added afterwards (history filled in late) is
    seen through the referral's own update time."""
    from attune.referrals.services import append_status
    from attune.referrals.workflow import Status
    from attune.reports.tests.factories import referral

    # Accepted after the period: the decision inside it is recorded later, behind the latest row.
    found = referral(world.hub, at(dt.date(2025, 11, 3)), history=((Status.ACCEPTED, at(dt.date(2026, 1, 5))),))
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    before = snapshots.report_for(covered, today=TODAY, build=builds)
    clock(2)
    append_status(referral=found, status=Status.DECLINED, entered_at=at(dt.date(2025, 11, 10)), by=practitioner)
    found.refresh_from_db()
    assert found.status == Status.ACCEPTED  # not the latest: the column stays
    clock(3)
    after = snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 2
    assert after.report != before.report


def test_more_changed_rows_than_are_looked_at_count_as_inside(
    world: World, practitioner: User, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = episode(world.satellite, practitioner, at(dt.date(2025, 9, 1)))
    covered = scope(world.hub)
    builds = Builds(covered)
    clock(1)
    snapshots.report_for(covered, today=TODAY, build=builds)
    clock(2)
    contact(theirs, at(dt.date(2025, 11, 3)))  # another team: looked at, it is outside
    monkeypatch.setattr(snapshots, "LOOKED_AT", 0)  # too many to look at: worked out again
    clock(3)
    snapshots.report_for(covered, today=TODAY, build=builds)
    assert builds.count == 2
