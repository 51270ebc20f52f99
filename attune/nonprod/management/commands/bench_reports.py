"""Time the quarterly team report and the annual ICB report on the region-scale dataset, beside
hand-written SQL for every figure the report shows, and check the two agree; then time searching for a
family (nonprod/bench_search.py) as one team and as the whole region, beside hand-written SQL.
`--only search` (or `--only reports`) runs one part, for iterating on a built region.

Runs on whichever database DATABASE_URL names (`make bench` runs it on SQLite and PostgreSQL).
It migrates, builds the region if the database has none (building is slow, so a built region is
reused), then for each report: one warm-up, then the best and median of five full page renders
through django.test.Client, signed in with both factors as the hub's team lead or an ICB
commissioner, with the kept figures forgotten before each (attune/reports/snapshots.py), so the page
works them out; then the median with them kept ("Kept": the period has closed). Exits non-zero if a page takes 2 seconds or more, if the figures disagree, or if a
kind of search takes 300 ms or more at the 95th percentile.
"""

import datetime as dt
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from attune.accounts.models import User
from attune.care.codes import DischargeReason
from attune.care.models import Appointment
from attune.core import periods
from attune.families import search_index
from attune.families.models import Family, SearchEntry, SearchWord
from attune.nonprod import bench_search, bench_sql, region, sessions
from attune.organisations.models import Organisation, Service, Team, TeamKind
from attune.outcomes.models import Administration
from attune.referrals.codes import ReferralSource
from attune.referrals.models import Referral
from attune.reports import snapshots
from attune.reports.tables import Report, ReportScope, Table
from attune.workforce.models import ActivityKind

LIMIT_SECONDS = 2.0
HOST = "127.0.0.1"


@dataclass
class Timing:
    engine: str
    report: str
    what: str  # "page", or what was timed instead while the page does not exist yet
    best: float
    median: float
    sql: float
    agree: str
    figures: str = ""
    kept: float = float("nan")  # the median page with its figures kept (a closed period read again)


def _time(run: Callable[[], Any], runs: int) -> tuple[float, float]:
    run()  # warm-up: caches, compiled templates, the database's own caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def _organisation_team_ids(icb: Organisation, period: periods.Period) -> frozenset[uuid.UUID]:
    try:
        from attune.commissioning import entitlements

        return frozenset(entitlements.organisation_team_ids(icb, period.start, period.end))
    except (ImportError, AttributeError):
        return frozenset(Team.objects.filter(service__commissioner=icb).values_list("pk", flat=True))


def _build_report(scope: ReportScope, today: dt.date) -> Report:
    from attune.reports.indicators import build_report

    return build_report(scope, today=today)


def _tables(report: Report) -> dict[str, Table]:
    return {table.key: table for section in report.sections for table in section.tables}


def _compare(report: Report, sql: bench_sql.Headline) -> list[str]:
    """Where the report's exact figures and the SQL's differ: empty when they agree. Every table
    the report shows is compared, row by row; a mismatch names the table, the row and the column."""
    tables = _tables(report)
    problems = []

    def check(what: str, page: object, expected: object) -> None:
        if page != expected:
            problems.append(f"{what}: report {page}, SQL {expected}")

    def check_rows(
        key: str, expected: dict[str, tuple[Any, ...]], columns: tuple[str, ...], absent: tuple[Any, ...] = ()
    ) -> None:
        """Each row of the table against the SQL's row of that label (absent: `absent`, else zeros)."""
        if key not in tables:
            return
        shown = {row.label for row in tables[key].rows}
        for row in tables[key].rows:
            found = expected.get(row.label, absent or (0,) * len(columns))
            for column, value in zip(columns, found, strict=True):
                check(f"{tables[key].title}, {row.label}, {column}", row.values[column], value)
        for label in set(expected) - shown:
            if any(expected[label]):
                problems.append(f"{tables[key].title}: the SQL has a row {label!r} the report does not show")

    codes = sql.appointments_by_attendance
    if "referrals_by_source" in tables and (total := tables["referrals_by_source"].total):
        check("referrals received", total.values["referrals"], sql.referrals)
        sources = dict(ReferralSource.choices)
        by_label = {sources[code]: (n,) for code, n in sql.referrals_by_source.items() if code in ReferralSource.values}
        if other := sum(n for code, n in sql.referrals_by_source.items() if code not in ReferralSource.values):
            by_label["Other or not recorded"] = (other,)
        check_rows("referrals_by_source", by_label, ("referrals",))
    if "referral_outcomes" in tables:
        outcomes = {
            "Accepted to the waiting list": ("accepted",),
            "Signposted to another service": ("signposted",),
            "Declined": ("declined",),
            "Withdrawn": ("withdrawn",),
            "Still being triaged": ("received", "awaiting_information", ""),
        }
        check_rows(
            "referral_outcomes",
            {label: (sum(sql.decisions.get(s, 0) for s in statuses),) for label, statuses in outcomes.items()},
            ("referrals",),
        )
        if (total := tables["referral_outcomes"].total) is not None:
            check("referrals by what happened", total.values["referrals"], sum(sql.decisions.values()))
    check_rows("waiting_times", sql.waits, ("families", "median", "p90"))
    if "contacts" in tables:
        check_rows(
            "contacts",
            {
                "Attended": (codes.get("5", 0) + codes.get("6", 0),),
                "Did not attend (no warning given)": (codes.get("3", 0),),
                "Arrived late and could not be seen": (codes.get("7", 0),),
                "Cancelled by the family": (codes.get("2", 0),),
                "Cancelled or postponed by the service": (codes.get("4", 0),),
                "Attendance not recorded": (codes.get("", 0),),
            },
            ("contacts",),
        )
        if (total := tables["contacts"].total) is not None:
            check("appointments", total.values["contacts"], sum(codes.values()))
    attended = codes.get("5", 0) + codes.get("6", 0)
    missed = codes.get("3", 0) + (codes.get("7", 0) if settings.ATTUNE_DNA_INCLUDES_LATE else 0)
    check_rows("dna_rate", {"Appointments in the period": (missed, attended + missed)}, ("missed", "offered"))
    check_rows("families_seen", {"In the period": (sql.families_seen, attended)}, ("families", "attended"))
    check_rows(
        "interpreted_contacts", {"In the period": (sql.interpreted_contacts, attended)}, ("interpreted", "attended")
    )
    reasons = dict(DischargeReason.choices)
    by_reason = {reasons.get(reason, reason): found for reason, found in sql.episodes_by_reason.items()}
    check_rows("episodes_completed", {label: (n,) for label, (n, _, _) in by_reason.items()}, ("episodes",))
    if "episodes_completed" in tables and (total := tables["episodes_completed"].total):
        check("episodes discharged", total.values["episodes"], sql.discharged_episodes)
    check_rows("episode_length", by_reason, ("episodes", "weeks", "contacts"), absent=(0, None, None))
    if "episode_length" in tables and (total := tables["episode_length"].total):
        for column, value in zip(
            ("episodes", "weeks", "contacts"), (sql.discharged_episodes, *sql.episode_length), strict=True
        ):
            check(f"all completed episodes, {column}", total.values[column], value)
    if "outcomes_paired" in tables:
        pairs = sum(int(row.values["pairs"] or 0) for row in tables["outcomes_paired"].rows)
        check("paired scores", pairs, sql.paired_scores)
        check_rows("outcomes_paired", sql.outcomes, bench_sql.outcomes.COLUMNS)
    check_rows("caseload", sql.caseload, ("open", "weighted", "capacity"))
    if "caseload" in tables and (total := tables["caseload"].total):
        check("open episodes", total.values["open"], sql.open_episodes)
        check("weighted caseload", total.values["weighted"], sum((w for _, w, _ in sql.caseload.values()), Decimal()))
        check("capacity", total.values["capacity"], sum((c for _, _, c in sql.caseload.values()), Decimal()))
    if "risk_alerts" in tables:
        raised, still_open = sql.alerts_raised, sql.alerts_open
        check_rows(
            "risk_alerts",
            {"Alerts raised in the period": (raised, raised - still_open, still_open, *sql.alerts_times)},
            ("raised", "actioned", "open", "median", "p90"),
        )
    check_rows("supervision", sql.supervision, ("people", "required", "met"))
    if "supervision" in tables and (total := tables["supervision"].total):
        for index, column in enumerate(("people", "required", "met")):
            check(f"supervision, {column}", total.values[column], sum(t[index] for t in sql.supervision.values()))
    kinds = dict(ActivityKind.choices)
    check_rows(
        "training_given",
        {kinds.get(kind, kind): found for kind, found in sql.training_by_kind.items()},
        ("sessions", "attendees", "hours"),
    )
    if "training_given" in tables and (total := tables["training_given"].total):
        check("training sessions", total.values["sessions"], sql.training_sessions)
        check("training attendees", total.values["attendees"], sql.training_attendees)
        hours = sum((h for _, _, h in sql.training_by_kind.values()), Decimal())
        check("training hours", total.values["hours"], hours)
    for name, found in sql.equity.items():
        key = f"equity_{name}"
        check_rows(key, found, ("referrals", "accepted", "seen"))
        if name != "stresses" and key in tables and (total := tables[key].total):
            everyone = [sum(r[i] for r in found.values()) for i in range(3)]
            for column, value in zip(("referrals", "accepted", "seen"), everyone, strict=True):
                check(f"{tables[key].title}, Total, {column}", total.values[column], value)
    if "costs" in tables:
        rows = {row.label: row.values for row in tables["costs"].rows}
        numbers = {
            "Per referral received": sql.referrals,
            "Per family seen": sql.families_seen,
            "Per attended contact": attended,
            "Per completed episode": sql.discharged_episodes,
        }
        for label, number in numbers.items():
            if label in rows:
                check(f"cost, {label}", (rows[label]["cost"], rows[label]["number"]), (sql.staff_cost, number))
        funding = [values["cost"] for label, values in rows.items() if label.startswith("Funding from")]
        check("funding for the period", funding[0] if funding else None, sql.funding)
    if not tables:
        problems.append("the report has no tables to compare")
    return problems


class Command(BaseCommand):
    help = "Time the team and ICB report pages on the region-scale dataset beside hand-written SQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--families", type=int, default=region.FULL_FAMILIES, help="If the region must be built")
        parser.add_argument("--only", choices=("reports", "search"), default=None, help="Run one part of the bench")

    def handle(self, *args: Any, **options: Any) -> None:
        engine = "PostgreSQL" if connection.vendor == "postgresql" else connection.vendor.capitalize()
        call_command("migrate", verbosity=0, interactive=False)
        self._region(options["families"])
        today = timezone.localdate()
        hub = Team.objects.get(service__name=region.SERVICE_NAME, kind=TeamKind.HUB)
        icb = Service.objects.get(name=region.SERVICE_NAME).commissioner
        lead = User.objects.get(email=f"region-lead-1@{region.EMAIL_DOMAIN}")
        commissioner = User.objects.get(email=f"region-commissioner-1@{region.EMAIL_DOMAIN}")
        sizes = (
            f"{Family.objects.count():,} families, {Referral.objects.count():,} referrals, "
            f"{Appointment.objects.count():,} appointments, {Administration.objects.count():,} questionnaires"
        )
        self.stdout.write(f"{engine}: {sizes}")
        problems: list[str] = []
        if options["only"] in (None, "reports"):
            problems += self._reports(engine, hub, icb, lead, commissioner, today, sizes, options["runs"])
        if options["only"] in (None, "search"):
            problems += self._search(engine, hub)
        if problems:
            raise CommandError("; ".join(problems))

    def _reports(
        self,
        engine: str,
        hub: Team,
        icb: Organisation,
        lead: User,
        commissioner: User,
        today: dt.date,
        sizes: str,
        runs: int,
    ) -> list[str]:
        quarter = periods.last_complete_quarter(today)
        year = periods.financial_year(periods.financial_year_of(today) - 1)
        timings = [
            self._bench(
                engine,
                f"Team quarter {quarter.key}",
                lead,
                f"/reports/teams/{hub.pk}/?period={quarter.key}",
                ReportScope(start=quarter.start, end=quarter.end, team_ids=frozenset({hub.pk}), label=hub.name),
                today,
                runs,
            ),
            self._bench(
                engine,
                f"ICB year {year.key}",
                commissioner,
                f"/reports/organisations/{icb.pk}/?period={year.key}",
                ReportScope(
                    start=year.start,
                    end=year.end,
                    team_ids=_organisation_team_ids(icb, year),
                    funder_id=icb.pk,
                    label=icb.name,
                ),
                today,
                runs,
            ),
        ]
        self._table(timings, sizes)
        problems = []
        slow = [t for t in timings if t.median >= LIMIT_SECONDS or t.best >= LIMIT_SECONDS]
        disagree = [t for t in timings if t.agree != "agree"]
        if disagree:
            problems.append("The report and the SQL disagree: " + "; ".join(f"{t.report}: {t.agree}" for t in disagree))
        if slow:
            problems.append(
                "Too slow (the limit is 2 seconds): " + ", ".join(f"{t.report} {t.median * 1000:.0f} ms" for t in slow)
            )
        if any(t.what != "page" for t in timings):
            problems.append("The report pages are not there yet: build_report was timed instead of the pages.")
        return problems

    def _search(self, engine: str, hub: Team) -> list[str]:
        """Search as the hub team and as every team of the region, engine beside SQL, then the
        search page as the hub's coordinator."""
        if not SearchEntry.objects.exists():
            self.stdout.write("The region was built before the search index: indexing it now.")
            search_index.reindex_families(list(Family.objects.values_list("pk", flat=True)))
        region_teams = list(Team.objects.filter(service__name=region.SERVICE_NAME).order_by("name"))
        keys, words = SearchEntry.objects.count(), SearchWord.objects.count()
        self.stdout.write("")
        self.stdout.write(
            f"Search: {keys:,} keys, {words:,} distinct name words; {bench_search.PER_KIND} searches of each kind, "
            "each timed once after a warm-up"
        )
        timings = []
        for label, teams in (("Hub team", [hub]), (f"Region ({len(region_teams)} teams)", region_teams)):
            ids = [team.pk for team in teams]
            timings += bench_search.bench(label, ids, bench_search.probes(ids))
        coordinator = User.objects.get(email=f"region-coordinator-1@{region.EMAIL_DOMAIN}")
        timings += bench_search.bench_page(
            "Hub team, whole page", sessions.signed_in(coordinator), bench_search.probes([hub.pk])
        )
        for line in bench_search.table(engine, timings):
            self.stdout.write(line)
        self.stdout.write(
            "found: searches whose first 25 results held the family the words came from (a given name alone "
            "matches hundreds, so its family is rarely among the first 25). SQL: for names LIKE on SQLite and "
            "pg_trgm similarity without an index on PostgreSQL; equality for the exact keys."
        )
        slow = [t for t in timings if t.p95 >= bench_search.TARGET_SECONDS]
        if slow:
            return [
                "Search too slow (the limit is 300 ms at the 95th percentile): "
                + ", ".join(f"{t.scope} {t.kind} {t.p95 * 1000:.0f} ms" for t in slow)
            ]
        return []

    def _region(self, families: int) -> None:
        if Service.objects.filter(name=region.SERVICE_NAME).exists() and Family.objects.exists():
            self.stdout.write("Using the region dataset already in this database.")
            return
        if Family.objects.exists():
            raise CommandError(
                "This database has families but not the region dataset: benchmark on a database of its own."
            )
        self.stdout.write(f"Building the region dataset ({families:,} families): this takes a few minutes.")
        try:
            region.build(families=families, progress=self.stdout.write)
        except region.RegionRefused as refused:
            raise CommandError(str(refused)) from refused

    def _bench(
        self, engine: str, name: str, user: User, url: str, scope: ReportScope, today: dt.date, runs: int
    ) -> Timing:
        client = sessions.signed_in(user)
        probe = client.get(url, secure=True)
        if probe.status_code == 200:
            what = "page"

            def fetch() -> None:
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")

            def run() -> None:
                snapshots.clear()  # the figures worked out afresh, as on a period's first reading
                fetch()

            _, kept = _time(fetch, runs)  # the period has closed: read again, its figures are kept
        else:
            # The page is not there yet (or refuses this reader): time the report itself meanwhile.
            what = f"build_report (page answered {probe.status_code})"

            def run() -> None:
                _build_report(scope, today)

            kept = float("nan")
        best, median = _time(run, runs)
        team_ids = sorted(scope.team_ids, key=str)
        funder = uuid.UUID(str(scope.funder_id)) if scope.funder_id is not None else None

        def headline() -> bench_sql.Headline:
            return bench_sql.headline(team_ids, scope.start, scope.end, today, funder_id=funder)

        sql_best, _ = _time(headline, runs)
        sql = headline()
        problems = _compare(_build_report(scope, today), sql)
        figures = (
            f"{sql.referrals:,} referrals received, {sum(sql.appointments_by_attendance.values()):,} appointments, "
            f"{sql.discharged_episodes:,} episodes discharged, {sql.paired_scores:,} paired scores, "
            f"{sql.open_episodes:,} open episodes, {sum(n for n, _, _ in sql.waits.values()):,} waits"
        )
        return Timing(
            engine, name, what, best, median, sql_best, "agree" if not problems else "; ".join(problems), figures, kept
        )

    def _table(self, timings: list[Timing], sizes: str) -> None:
        self.stdout.write("")
        header = f"{'Engine':<11} {'Report':<24} {'Page best':>10} {'median':>8} {'SQL':>8} {'Kept':>8}  Figures  Timed"
        self.stdout.write(header)
        for t in timings:
            self.stdout.write(
                f"{t.engine:<11} {t.report:<24} {t.best * 1000:>8.0f}ms {t.median * 1000:>6.0f}ms "
                f"{t.sql * 1000:>6.0f}ms {t.kept * 1000:>6.0f}ms  {t.agree if t.agree == 'agree' else 'DISAGREE'}    "
                f"{t.what}"
            )
        for t in timings:
            self.stdout.write(f"{t.report}: {t.figures}" + ("" if t.agree == "agree" else f" ({t.agree})"))
        self.stdout.write(f"Rows in the dataset: {sizes}")
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is on: timings include query logging."))
