"""Hand-written SQL for a report's headline numbers, to time beside the report page and to check
its figures. Plain, portable SQL (SQLite and PostgreSQL alike) through connection.cursor(): the
same rules as attune/reports/indicators (periods are Europe/London days; a referral counts when
received, an appointment when booked to start, an episode when discharged and not reopened by
the period's end), written the way someone would write them by hand.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection


@dataclass
class Headline:
    """The numbers the SQL gives for one scope and period."""

    referrals_by_source: dict[str, int] = field(default_factory=dict)
    # Status at the end of the period (or today, if sooner) -> referrals received in the period.
    decisions: dict[str, int] = field(default_factory=dict)
    appointments_by_attendance: dict[str, int] = field(default_factory=dict)
    discharged_episodes: int = 0
    paired_scores: int = 0
    # Open at the end of the "as at" day: allocated before it, latest event by then not a discharge.
    open_episodes: int = 0
    alerts_raised: int = 0
    alerts_open: int = 0  # raised in the period, no action recorded by the end of the "as at" day
    training_sessions: int = 0
    training_attendees: int = 0

    @property
    def referrals(self) -> int:
        return sum(self.referrals_by_source.values())


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _moment(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _ids(team_ids: Iterable[uuid.UUID]) -> list[Any]:
    # SQLite keeps a UUID as 32 hex characters; PostgreSQL has a uuid type.
    native = connection.features.has_native_uuid_field
    return [team_id if native else team_id.hex for team_id in sorted(team_ids, key=str)]


def headline(team_ids: Iterable[uuid.UUID], start: dt.date, end: dt.date, today: dt.date) -> Headline:
    ids = _ids(team_ids)
    teams = ", ".join(["%s"] * len(ids))
    start_at, end_at = _moment(_midnight(start)), _moment(_midnight(end + dt.timedelta(days=1)))
    as_at_end = _moment(_midnight(min(end, today) + dt.timedelta(days=1)))
    out = Headline()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT source, COUNT(*) FROM referrals_referral
                WHERE team_id IN ({teams}) AND received_at >= %s AND received_at < %s
                GROUP BY source""",  # noqa: S608 - only placeholders are interpolated
            [*ids, start_at, end_at],
        )
        out.referrals_by_source = dict(cursor.fetchall())
        cursor.execute(
            f"""SELECT status_now, COUNT(*) FROM (
                    SELECT (SELECT s.status FROM referrals_referralstatus s
                            WHERE s.referral_id = r.id AND s.entered_at < %s
                            ORDER BY s.entered_at DESC, s.id DESC LIMIT 1) AS status_now
                    FROM referrals_referral r
                    WHERE r.team_id IN ({teams}) AND r.received_at >= %s AND r.received_at < %s
                ) latest
                GROUP BY status_now""",  # noqa: S608
            [as_at_end, *ids, start_at, end_at],
        )
        out.decisions = {status or "": n for status, n in cursor.fetchall()}
        cursor.execute(
            f"""SELECT a.attendance, COUNT(*) FROM care_appointment a
                JOIN care_episode e ON e.id = a.episode_id
                WHERE e.team_id IN ({teams}) AND a.starts_at >= %s AND a.starts_at < %s
                GROUP BY a.attendance""",  # noqa: S608
            [*ids, start_at, end_at],
        )
        out.appointments_by_attendance = dict(cursor.fetchall())
        cursor.execute(
            f"""SELECT COUNT(*) FROM care_discharge d
                JOIN care_episode e ON e.id = d.episode_id
                WHERE e.team_id IN ({teams}) AND d.discharged_at >= %s AND d.discharged_at < %s
                  AND (d.reopened_at IS NULL OR d.reopened_at >= %s)""",  # noqa: S608
            [*ids, start_at, end_at, end_at],
        )
        out.discharged_episodes = cursor.fetchone()[0]
        # A pair: one episode, person and measure with complete scores on two or more dates up to
        # the period's end, for episodes discharged in the period or still open at its end.
        cursor.execute(
            f"""SELECT COUNT(*) FROM (
                    SELECT a.episode_id FROM outcomes_administration a
                    WHERE a.complete = %s AND a.total IS NOT NULL AND a.completed_on <= %s
                      AND a.episode_id IN (
                        SELECT e.id FROM care_episode e
                        WHERE e.team_id IN ({teams}) AND e.opened_at < %s
                          AND NOT EXISTS (
                            SELECT 1 FROM care_episodeevent last
                            WHERE last.episode_id = e.id AND last.kind = 'discharged' AND last.at < %s
                              AND NOT EXISTS (
                                SELECT 1 FROM care_episodeevent later
                                WHERE later.episode_id = e.id AND later.at < %s
                                  AND (later.at > last.at OR (later.at = last.at AND later.id > last.id))))
                      )
                    GROUP BY a.episode_id, a.carer_id, a.infant_id, a.instrument
                    HAVING MAX(a.completed_on) > MIN(a.completed_on)
                ) pairs""",  # noqa: S608
            [True, _day(end), *ids, end_at, start_at, end_at],
        )
        out.paired_scores = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT COUNT(*) FROM care_episode e
                WHERE e.team_id IN ({teams}) AND e.opened_at < %s
                  AND COALESCE((SELECT ev.kind FROM care_episodeevent ev
                                WHERE ev.episode_id = e.id AND ev.at < %s
                                ORDER BY ev.at DESC, ev.id DESC LIMIT 1), '') <> 'discharged'""",  # noqa: S608
            [*ids, as_at_end, as_at_end],
        )
        out.open_episodes = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.closed_at IS NULL OR a.closed_at >= %s THEN 1 ELSE 0 END), 0)
                FROM families_familyalert a JOIN families_family f ON f.id = a.family_id
                WHERE f.team_id IN ({teams}) AND a.created_at >= %s AND a.created_at < %s""",  # noqa: S608
            [as_at_end, *ids, start_at, end_at],
        )
        out.alerts_raised, out.alerts_open = cursor.fetchone()
        cursor.execute(
            f"""SELECT COUNT(*), COALESCE(SUM(attendees), 0) FROM workforce_noncaseloadactivity
                WHERE team_id IN ({teams}) AND held_on >= %s AND held_on <= %s""",  # noqa: S608
            [*ids, _day(start), _day(end)],
        )
        out.training_sessions, out.training_attendees = cursor.fetchone()
    return out
