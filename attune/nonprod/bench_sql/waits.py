"""Waiting times: the date pairs by SQL, the working days by attune.core.clocks and the median
and 90th percentile by attune.reports.stats. The wait for a triage decision is paused while the
team waits for more information, as the triage clock is; the waits for contacts are not."""

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from attune.core import clocks
from attune.nonprod.bench_sql.common import Bounds, aware, local_day, rows
from attune.referrals.workflow import PAUSED
from attune.reports.stats import median, percentile

if TYPE_CHECKING:
    from attune.nonprod.bench_sql import Headline

DECISIONS = ("accepted", "signposted", "declined")
ATTENDED = ("5", "6")


def fill(out: "Headline", b: Bounds) -> None:
    decided = f"""SELECT s.referral_id FROM referrals_referralstatus s
        JOIN referrals_referral r ON r.id = s.referral_id
        WHERE r.team_id IN ({b.teams}) AND s.status IN (%s, %s, %s)
          AND s.entered_at >= %s AND s.entered_at < %s"""  # noqa: S608
    decided_params = [*b.ids, *DECISIONS, b.start_at, b.end_at]
    histories: dict[Any, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for referral_id, entered_at, status in rows(
        f"""SELECT referral_id, entered_at, status FROM referrals_referralstatus
            WHERE referral_id IN ({decided})
            ORDER BY referral_id, entered_at, id""",  # noqa: S608
        decided_params,
    ):
        histories[referral_id].append((aware(entered_at), status))
    triage_days = []
    for referral_id, received_at, decided_at in rows(
        decided.replace("SELECT s.referral_id", "SELECT s.referral_id, r.received_at, s.entered_at"), decided_params
    ):
        decided_at = aware(decided_at)
        pauses = _pauses([(when, status) for when, status in histories[referral_id] if when <= decided_at])
        triage_days.append((local_day(received_at), local_day(decided_at), pauses))
    contact_days: list[tuple[dt.date, dt.date, int]] = []
    # Each episode with an attended contact in the period: its first two attended contacts ever.
    for received_at, starts_at, place in rows(
        f"""SELECT received_at, starts_at, place FROM (
                SELECT r.received_at, a.starts_at,
                       ROW_NUMBER() OVER (PARTITION BY a.episode_id ORDER BY a.starts_at, a.id) AS place
                FROM care_appointment a
                JOIN care_episode e ON e.id = a.episode_id
                JOIN referrals_referral r ON r.id = e.referral_id
                WHERE a.attendance IN (%s, %s) AND a.episode_id IN (
                    SELECT seen.episode_id FROM care_appointment seen
                    JOIN care_episode e2 ON e2.id = seen.episode_id
                    WHERE e2.team_id IN ({b.teams}) AND seen.attendance IN (%s, %s)
                      AND seen.starts_at >= %s AND seen.starts_at < %s)
            ) ranked
            WHERE place <= 2 AND starts_at >= %s AND starts_at < %s""",  # noqa: S608
        [*ATTENDED, *b.ids, *ATTENDED, b.start_at, b.end_at, b.start_at, b.end_at],
    ):
        contact_days.append((local_day(received_at), local_day(starts_at), place))
    triage = [clocks.working_days_excluding(start, end, pauses) for start, end, pauses in triage_days]
    first = [clocks.working_days_between(start, end) for start, end, place in contact_days if place == 1]
    second = [clocks.working_days_between(start, end) for start, end, place in contact_days if place == 2]
    out.waits = {
        label: (len(waits), median(waits), percentile(waits, 90))
        for label, waits in (
            ("Referral to triage decision", triage),
            ("Referral to first attended contact", first),
            ("Referral to second attended contact", second),
        )
    }


def _pauses(history: list[tuple[dt.datetime, str]]) -> list[tuple[dt.date, dt.date | None]]:
    """From the day a paused status was entered to the day the next unpaused one was (None: the
    pause runs to the decision)."""
    found: list[tuple[dt.date, dt.date | None]] = []
    started: dt.date | None = None
    for entered_at, status in history:
        if status in PAUSED and started is None:
            started = local_day(entered_at)
        elif status not in PAUSED and started is not None:
            found.append((started, local_day(entered_at)))
            started = None
    if started is not None:
        found.append((started, None))
    return found
