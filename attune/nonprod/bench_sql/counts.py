"""Counts of referrals, contacts, episodes, paired scores, alerts and training in the period."""

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from attune.nonprod.bench_sql.common import Bounds, aware, day, local_day, money, rows
from attune.reports.stats import median, percentile

if TYPE_CHECKING:
    from attune.nonprod.bench_sql import Headline

ATTENDED = ("5", "6")
DAY_SECONDS = 24 * 3600


def fill(out: "Headline", b: Bounds) -> None:
    _referrals(out, b)
    _contacts(out, b)
    _episodes(out, b)
    _open_and_paired(out, b)
    _alerts(out, b)
    _training(out, b)


def _referrals(out: "Headline", b: Bounds) -> None:
    out.referrals_by_source = dict(
        rows(
            f"""SELECT source, COUNT(*) FROM referrals_referral
                WHERE team_id IN ({b.teams}) AND received_at >= %s AND received_at < %s
                GROUP BY source""",  # noqa: S608 - only placeholders are interpolated
            [*b.ids, b.start_at, b.end_at],
        )
    )
    found = rows(
        f"""SELECT status_now, COUNT(*) FROM (
                SELECT (SELECT s.status FROM referrals_referralstatus s
                        WHERE s.referral_id = r.id AND s.entered_at < %s
                        ORDER BY s.entered_at DESC, s.id DESC LIMIT 1) AS status_now
                FROM referrals_referral r
                WHERE r.team_id IN ({b.teams}) AND r.received_at >= %s AND r.received_at < %s
            ) latest
            GROUP BY status_now""",  # noqa: S608
        [b.as_at_end, *b.ids, b.start_at, b.end_at],
    )
    out.decisions = {status or "": n for status, n in found}


def _contacts(out: "Headline", b: Bounds) -> None:
    out.appointments_by_attendance = dict(
        rows(
            f"""SELECT a.attendance, COUNT(*) FROM care_appointment a
                JOIN care_episode e ON e.id = a.episode_id
                WHERE e.team_id IN ({b.teams}) AND a.starts_at >= %s AND a.starts_at < %s
                GROUP BY a.attendance""",  # noqa: S608
            [*b.ids, b.start_at, b.end_at],
        )
    )
    out.families_seen = rows(
        f"""SELECT COUNT(DISTINCT e.family_id) FROM care_appointment a
            JOIN care_episode e ON e.id = a.episode_id
            WHERE e.team_id IN ({b.teams}) AND a.starts_at >= %s AND a.starts_at < %s
              AND a.attendance IN (%s, %s)""",  # noqa: S608
        [*b.ids, b.start_at, b.end_at, *ATTENDED],
    )[0][0]
    out.interpreted_contacts = rows(
        f"""SELECT COUNT(*) FROM care_appointment a
            JOIN care_episode e ON e.id = a.episode_id
            WHERE e.team_id IN ({b.teams}) AND a.starts_at >= %s AND a.starts_at < %s
              AND a.attendance IN (%s, %s)
              AND EXISTS (SELECT 1 FROM care_interpreterbooking i
                          WHERE i.appointment_id = a.id
                            AND i.confirmed_at IS NOT NULL AND i.cancelled_at IS NULL)""",  # noqa: S608
        [*b.ids, b.start_at, b.end_at, *ATTENDED],
    )[0][0]


def _episodes(out: "Headline", b: Bounds) -> None:
    found = rows(
        f"""SELECT d.reason, e.opened_at, d.discharged_at,
                   (SELECT COUNT(*) FROM care_appointment a
                    WHERE a.episode_id = d.episode_id AND a.attendance IN (%s, %s)
                      AND a.starts_at <= d.discharged_at)
            FROM care_discharge d
            JOIN care_episode e ON e.id = d.episode_id
            WHERE e.team_id IN ({b.teams}) AND d.discharged_at >= %s AND d.discharged_at < %s
              AND (d.reopened_at IS NULL OR d.reopened_at >= %s)""",  # noqa: S608
        [*ATTENDED, *b.ids, b.start_at, b.end_at, b.end_at],
    )
    by_reason: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for reason, opened_at, discharged_at, contacts in found:
        by_reason[reason].append(((local_day(discharged_at) - local_day(opened_at)).days / 7, int(contacts)))
    everything = [pair for pairs in by_reason.values() for pair in pairs]
    out.discharged_episodes = len(everything)
    out.episodes_by_reason = {
        reason: (len(pairs), median(w for w, _ in pairs), median(c for _, c in pairs))
        for reason, pairs in by_reason.items()
    }
    out.episode_length = (median(w for w, _ in everything), median(c for _, c in everything))


def _open_and_paired(out: "Headline", b: Bounds) -> None:
    # A pair: one episode, person and measure with complete scores on two or more dates up to
    # the period's end, for episodes discharged in the period or still open at its end.
    episodes, episode_params = b.outcome_episodes()
    out.paired_scores = rows(
        f"""SELECT COUNT(*) FROM (
                SELECT a.episode_id FROM outcomes_administration a
                WHERE a.complete = %s AND a.total IS NOT NULL AND a.completed_on <= %s
                  AND a.episode_id IN ({episodes})
                GROUP BY a.episode_id, a.carer_id, a.infant_id, a.instrument
                HAVING MAX(a.completed_on) > MIN(a.completed_on)
            ) pairs""",  # noqa: S608
        [True, day(b.end), *episode_params],
    )[0][0]
    out.open_episodes = rows(
        f"""SELECT COUNT(*) FROM care_episode e
            WHERE e.team_id IN ({b.teams}) AND e.opened_at < %s
              AND COALESCE((SELECT ev.kind FROM care_episodeevent ev
                            WHERE ev.episode_id = e.id AND ev.at < %s
                            ORDER BY ev.at DESC, ev.id DESC LIMIT 1), '') <> 'discharged'""",  # noqa: S608
        [*b.ids, b.as_at_end, b.as_at_end],
    )[0][0]


def _alerts(out: "Headline", b: Bounds) -> None:
    found = rows(
        f"""SELECT a.created_at, CASE WHEN a.closed_at < %s THEN a.closed_at END
            FROM families_familyalert a JOIN families_family f ON f.id = a.family_id
            WHERE f.team_id IN ({b.teams}) AND a.created_at >= %s AND a.created_at < %s""",  # noqa: S608
        [b.as_at_end, *b.ids, b.start_at, b.end_at],
    )
    days = [
        round((aware(closed_at) - aware(created_at)).total_seconds() / DAY_SECONDS, 1)
        for created_at, closed_at in found
        if closed_at is not None
    ]
    out.alerts_raised, out.alerts_open = len(found), len(found) - len(days)
    out.alerts_times = (median(days), percentile(days, 90))


def _training(out: "Headline", b: Bounds) -> None:
    found = rows(
        f"""SELECT kind, attendees, hours FROM workforce_noncaseloadactivity
            WHERE team_id IN ({b.teams}) AND held_on >= %s AND held_on <= %s""",  # noqa: S608
        [*b.ids, day(b.start), day(b.end)],
    )
    by_kind: dict[str, tuple[int, int, Decimal]] = {}
    for kind, attendees, hours in found:
        sessions, people, total = by_kind.get(kind, (0, 0, Decimal("0.00")))
        by_kind[kind] = (sessions + 1, people + int(attendees or 0), total + money(hours))
    out.training_by_kind = by_kind
    out.training_sessions = sum(sessions for sessions, _, _ in by_kind.values())
    out.training_attendees = sum(people for _, people, _ in by_kind.values())
