"""What the API's read endpoints give, about a team already fetched through api_scope: the
waiting list's counts, and the team's report tables, always small-number suppressed (they leave
the team, for a commissioner's BI tool, exactly as a download does)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from attune.care import queries as care_queries
from attune.core import periods
from attune.core.periods import BadPeriod, Period
from attune.organisations.models import Team
from attune.referrals.codes import Priority
from attune.reports import scope as reports_scope
from attune.reports import snapshots, suppression
from attune.reports.forms import LONGEST_DAYS
from attune.reports.indicators import build_report
from attune.reports.scope import Subject, SubjectKind
from attune.reports.suppression import Rule
from attune.reports.tables import ShownReport

# Whole calendar weeks waited since the referral arrived: (label, from, to). 18 weeks is the NHS
# referral-to-treatment standard commissioners ask about.
BANDS: list[tuple[str, int, int | None]] = [
    ("Under 4 weeks", 0, 3),
    ("4 to 7 weeks", 4, 7),
    ("8 to 12 weeks", 8, 12),
    ("13 to 17 weeks", 13, 17),
    ("18 weeks or more", 18, None),
]


@dataclass(frozen=True)
class Waiting:
    counted_at: dt.datetime
    waiting: int
    by_priority: dict[str, int]
    bands: list[tuple[str, int, int | None, int]]
    longest_wait_days: int | None


def waiting(team: Team) -> Waiting:
    """One query: the count, by priority, by weeks waited, and the earliest arrival."""
    now = timezone.now()
    counts = {
        f"band_{i}": Count(
            "pk",
            filter=Q(received_at__lte=now - dt.timedelta(weeks=start))
            & (Q() if end is None else Q(received_at__gt=now - dt.timedelta(weeks=end + 1))),
        )
        for i, (_, start, end) in enumerate(BANDS)
    }
    row = (
        care_queries.waiting([team.pk])
        .order_by()
        .aggregate(
            waiting=Count("pk"),
            urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
            soon=Count("pk", filter=Q(priority=Priority.SOON)),
            routine=Count("pk", filter=Q(priority=Priority.ROUTINE)),
            earliest=Min("received_at"),
            **counts,
        )
    )
    earliest = row["earliest"]
    set_priorities = row["urgent"] + row["soon"] + row["routine"]
    return Waiting(
        counted_at=now,
        waiting=row["waiting"],
        by_priority={
            "urgent": row["urgent"],
            "soon": row["soon"],
            "routine": row["routine"],
            "not_set": row["waiting"] - set_priorities,
        },
        bands=[(label, start, end, row[f"band_{i}"]) for i, (label, start, end) in enumerate(BANDS)],
        longest_wait_days=(now - earliest).days if earliest is not None else None,
    )


def period_of(key: str, today: dt.date) -> Period:
    """The period a key names, within what the report pages offer; BadPeriod with a message."""
    period = periods.parse(key)
    if period.days > LONGEST_DAYS:
        raise BadPeriod("Choose a period no more than 5 years long")
    if period.start > today:
        raise BadPeriod("The period must start today or in the past")
    return period


@dataclass(frozen=True)
class SharedReport:
    shown: ShownReport
    rule: Rule
    worked_out_at: dt.datetime | None


def report(team: Team, period: Period, today: dt.date) -> SharedReport:
    """The team's report for the period, as a download gives it: suppressed whoever asks."""
    subject = Subject(SubjectKind.TEAM, team.pk, team.name, team.name, frozenset({team.pk}))
    covered = reports_scope.report_scope(subject, period)
    rule = reports_scope.sharing_rule()
    kept = snapshots.report_for(covered, today=today, build=lambda: build_report(covered, today=today))
    return SharedReport(suppression.present(kept.report, rule), rule, kept.worked_out_at)
