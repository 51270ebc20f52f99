"""The "Waiting times" figures worked out in PostgreSQL, where the dates are, rather than by
fetching every pair of dates (issue 18). The same figures as referrals.waits_in_python, which
SQLite keeps because it has no percentile function.

Which decisions and episodes count comes from the ORM querysets referrals.py builds for both
paths, embedded here as subqueries, so the scope is written once. Working days are a running
count over a calendar made in the query: weekdays, less England's bank holidays from
attune.core.clocks passed as one short array (shipping every day of ten years as arrays cost more
than the whole query), so a wait is one running count less another, as
clocks.working_days_between counts it.
Pauses are read from the status history with window functions as referrals._pauses reads it.
percentile_cont interpolates linearly between closest ranks, the definition of
attune/reports/stats.py, and takes the rank as (n - 1) x 0.9 as stats.py does, so the two paths
agree to the last digit.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, Min, QuerySet

from attune.core import clocks
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.workflow import PAUSED
from attune.reports.indicators.common import Context, local_date

# kind: 0 triage decision, 1 first attended contact, 2 second attended contact.
SQL = """
WITH calendar(day, running) AS (
    SELECT day, count(*) FILTER (WHERE extract(isodow FROM day) < 6 AND day <> ALL(%s::date[])) OVER (ORDER BY day)
    FROM (SELECT %s::date + offset_days AS day FROM generate_series(0, %s) AS offset_days) AS span
),
decided(id, referral_id, received_at, decided_at) AS ({decisions}),
triage AS (
    SELECT id, referral_id, decided_at,
           (received_at AT TIME ZONE %s)::date AS start_day,
           (decided_at AT TIME ZONE %s)::date AS end_day
    FROM decided
),
-- The rows where a referral's history starts or stops waiting for information, each start
-- with the moment of the stop after it (NULL: still waiting).
changes AS (
    SELECT referral_id, entered_at, paused,
           lead(entered_at) OVER (PARTITION BY referral_id ORDER BY entered_at, id) AS next_at
    FROM (
        SELECT referral_id, entered_at, id, status = ANY(%s) AS paused,
               lag(status = ANY(%s), 1, false) OVER (PARTITION BY referral_id ORDER BY entered_at, id) AS was
        FROM referrals_referralstatus
        WHERE referral_id IN (SELECT referral_id FROM decided)
    ) history
    WHERE paused <> was
),
-- Working days paused before each decision: a pause ends at the next unpaused status, or at
-- the decision if that comes later, and counts only inside the wait.
paused AS (
    SELECT t.id, sum(greatest(stop.running - go.running, 0)) AS days
    FROM triage t
    JOIN changes c ON c.referral_id = t.referral_id AND c.paused AND c.entered_at <= t.decided_at
    JOIN calendar go ON go.day = greatest((c.entered_at AT TIME ZONE %s)::date, t.start_day)
    JOIN calendar stop ON stop.day = least(
        CASE WHEN c.next_at <= t.decided_at THEN (c.next_at AT TIME ZONE %s)::date ELSE t.end_day END, t.end_day
    )
    GROUP BY t.id
),
contacts(received_at, first_at, second_at) AS ({episodes}),
contact_days(kind, start_day, end_day) AS (
    SELECT 1, (received_at AT TIME ZONE %s)::date, (first_at AT TIME ZONE %s)::date
    FROM contacts WHERE first_at >= %s AND first_at < %s
    UNION ALL
    SELECT 2, (received_at AT TIME ZONE %s)::date, (second_at AT TIME ZONE %s)::date
    FROM contacts WHERE second_at >= %s AND second_at < %s
),
waits(kind, wait) AS (
    SELECT 0, greatest(greatest(e.running - s.running, 0) - coalesce(p.days, 0), 0)
    FROM triage t
    JOIN calendar s ON s.day = t.start_day
    JOIN calendar e ON e.day = t.end_day
    LEFT JOIN paused p ON p.id = t.id
    UNION ALL
    SELECT d.kind, greatest(e.running - s.running, 0)
    FROM contact_days d
    JOIN calendar s ON s.day = d.start_day
    JOIN calendar e ON e.day = d.end_day
)
SELECT kind, count(*),
       percentile_cont(%s) WITHIN GROUP (ORDER BY wait),
       percentile_cont(%s) WITHIN GROUP (ORDER BY wait)
FROM waits
GROUP BY kind
"""


def waits(
    context: Context, decisions: QuerySet[ReferralStatus], episodes: QuerySet[Any, Any]
) -> dict[int, tuple[int, float | None, float | None]]:
    """kind -> (number of waits, median, 90th percentile) in working days; a kind with no waits
    is absent. `decisions` are the decisions that count, `episodes` the episodes whose first or
    second attended contact may fall in the period, as (received, first, second)."""
    decided_sql, decided_params = _sql(
        decisions.values_list("id", "referral_id", "referral__received_at", "entered_at"), NO_DECISIONS
    )
    episodes_sql, episodes_params = _sql(episodes, NO_CONTACTS)
    first, last = _span(context)
    zone = settings.TIME_ZONE
    paused = [status.value for status in PAUSED]
    start, end = context.start_at, context.end_at
    params = [
        sorted(day for year in range(first.year, last.year + 1) for day in clocks.bank_holidays(year)),
        first,
        (last - first).days,
        *decided_params,
        zone,
        zone,
        paused,
        paused,
        zone,
        zone,
        *episodes_params,
        *(zone, zone, start, end) * 2,
        0.5,
        0.9,
    ]
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(decisions=decided_sql, episodes=episodes_sql), params)
        return {kind: (n, mid, p90) for kind, n, mid, p90 in cursor.fetchall()}


# What a subquery is when Django knows it matches nothing (a scope with no teams, `team_id IN ()`):
# Django will not compile one, so the rows it would give, none, with their types.
NO_DECISIONS = "SELECT NULL::uuid, NULL::uuid, NULL::timestamptz, NULL::timestamptz WHERE false"
NO_CONTACTS = "SELECT NULL::timestamptz, NULL::timestamptz, NULL::timestamptz WHERE false"


def _sql(queryset: QuerySet[Any, Any], empty: str) -> tuple[str, tuple[Any, ...]]:
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return empty, ()
    return sql, tuple(params)


def _span(context: Context) -> tuple[dt.date, dt.date]:
    """Every day a wait can start or end on: from the first referral ever received (a wait starts
    on the day its referral was received, however long ago) to the period's last day. Every day a
    pause is counted from or to is clamped into its wait."""
    span = Referral.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
    days = [context.scope.start, context.scope.end, *(local_date(at) for at in span.values() if at is not None)]
    return min(days), max(days)
