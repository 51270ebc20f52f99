"""Caseload and capacity per team on the "as at" day, and supervision against the standard per
team over the period (each week or fortnight judged by attune.supervision.standard)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attune.care.models import DEFAULT_EPISODE_WEIGHT
from attune.nonprod.bench_sql.common import Bounds, as_date, date_of, day, money, rows
from attune.referrals.models import DEFAULT_MAX_WEIGHTED_CASELOAD
from attune.supervision import standard

if TYPE_CHECKING:
    from attune.nonprod.bench_sql import Headline


def team_names(b: Bounds) -> dict[Any, str]:
    return dict(rows(f"SELECT id, name FROM organisations_team WHERE id IN ({b.teams})", b.ids))  # noqa: S608


def fill(out: "Headline", b: Bounds, names: dict[Any, str]) -> None:
    open_episodes: dict[Any, int] = defaultdict(int)
    weighted: dict[Any, Decimal] = defaultdict(Decimal)
    # Each open episode's heaviest intervention (the service's weight in force, else the
    # starting weight), counted once for each practitioner working it that day.
    for team_id, weight, working in rows(
        f"""SELECT e.team_id,
                   (SELECT MAX(COALESCE(
                        (SELECT w.weight FROM care_interventionweight w
                         WHERE w.service_id = t.service_id AND w.intervention_id = ei.intervention_id
                           AND w.effective_from <= %s
                         ORDER BY w.effective_from DESC LIMIT 1),
                        i.caseload_weight))
                    FROM care_episode_interventions ei JOIN care_intervention i ON i.id = ei.intervention_id
                    WHERE ei.episode_id = e.id),
                   (SELECT COUNT(*) FROM care_episodeworker ew
                    WHERE ew.episode_id = e.id AND ew.started_at < %s
                      AND (ew.ended_at IS NULL OR ew.ended_at >= %s))
            FROM care_episode e JOIN organisations_team t ON t.id = e.team_id
            WHERE e.team_id IN ({b.teams}) AND e.opened_at < %s
              AND COALESCE((SELECT ev.kind FROM care_episodeevent ev
                            WHERE ev.episode_id = e.id AND ev.at < %s
                            ORDER BY ev.at DESC, ev.id DESC LIMIT 1), '') <> 'discharged'""",  # noqa: S608
        [day(b.as_at), b.as_at_end, b.as_at_end, *b.ids, b.as_at_end, b.as_at_end],
    ):
        open_episodes[team_id] += 1
        weighted[team_id] += (money(weight) if weight is not None else DEFAULT_EPISODE_WEIGHT) * int(working)
    capacity: dict[Any, Decimal] = defaultdict(Decimal)
    # Practitioners who are members of the team that day, at their own maximum or the team's default.
    for team_id, maximum in rows(
        f"""SELECT c.team_id, COALESCE(c.max_weighted_caseload,
                       (SELECT r.default_max_weighted_caseload FROM referrals_eligibilityrules r
                        WHERE r.team_id = c.team_id AND r.effective_from <= %s
                        ORDER BY r.effective_from DESC LIMIT 1))
            FROM care_practitionercapacity c
            WHERE c.team_id IN ({b.teams}) AND EXISTS (
                SELECT 1 FROM organisations_membership m
                WHERE m.team_id = c.team_id AND m.user_id = c.practitioner_id AND m.starts_on <= %s
                  AND (m.ends_on IS NULL OR m.ends_on >= %s))""",  # noqa: S608
        [day(b.as_at), *b.ids, day(b.as_at), day(b.as_at)],
    ):
        capacity[team_id] += money(maximum) if maximum is not None else DEFAULT_MAX_WEIGHTED_CASELOAD
    out.caseload = {
        name: (open_episodes[team_id], weighted[team_id], capacity[team_id]) for team_id, name in names.items()
    }
    out.supervision = _supervision(b, names)


def _supervision(b: Bounds, names: dict[Any, str]) -> dict[str, tuple[int, int, int]]:
    members = f"""m.team_id IN ({b.teams}) AND m.role IN ('practitioner', 'trainee') AND m.starts_on <= %s
          AND (m.ends_on IS NULL OR m.ends_on >= %s)"""
    member_params = [*b.ids, day(b.end), day(b.start)]
    spans: dict[tuple[Any, Any], tuple[dt.date, dt.date]] = {}
    services: dict[Any, Any] = {}
    experience: dict[Any, tuple[dt.date | None, Decimal | None]] = {}
    for team_id, service_id, user_id, starts_on, ends_on, since, hours in rows(
        f"""SELECT m.team_id, t.service_id, m.user_id, m.starts_on, m.ends_on,
                   x.under_twos_experience_since, x.weekly_hours
            FROM organisations_membership m JOIN organisations_team t ON t.id = m.team_id
            LEFT JOIN supervision_clinicalexperience x ON x.practitioner_id = m.user_id
            WHERE {members}""",  # noqa: S608
        member_params,
    ):
        services[team_id] = service_id
        experience[user_id] = (as_date(since), Decimal(str(hours)) if hours is not None else None)
        # Two roles in one team in turn are one span, from the first start to the last end.
        first, last = max(date_of(starts_on), b.start), min(as_date(ends_on) or b.end, b.end)
        known = spans.get((team_id, user_id))
        spans[team_id, user_id] = (min(first, known[0]), max(last, known[1])) if known else (first, last)
    history = standard.History.of(
        (
            (service_id, date_of(since), standard.Standard(minutes, Decimal(str(full)), years, newer, after))
            for service_id, since, minutes, full, years, newer, after in rows(
                f"""SELECT service_id, effective_from, minutes_per_period, full_time_hours,
                           experienced_after_years, less_experienced_period, experienced_period
                    FROM supervision_supervisionstandardsetting
                    WHERE service_id IN (SELECT service_id FROM organisations_team WHERE id IN ({b.teams}))""",  # noqa: S608
                b.ids,
            )
        ),
        default=standard.PARENT_INFANT_FOUNDATION,
    )
    sessions: dict[Any, list[tuple[dt.date, int]]] = defaultdict(list)
    for user_id, held_on, minutes in rows(
        f"""SELECT a.supervisee_id, s.held_on, s.duration_minutes
            FROM supervision_sessionattendee a JOIN supervision_supervisionsession s ON s.id = a.session_id
            WHERE s.held_on >= %s AND s.held_on <= %s AND a.supervisee_id IN (SELECT m.user_id FROM organisations_membership m WHERE {members})""",  # noqa: S608
        [day(b.start), day(b.end), *member_params],
    ):
        sessions[user_id].append((date_of(held_on), int(minutes)))
    tally: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (team_id, user_id), (first, last) in spans.items():
        since, hours = experience[user_id]
        counts = tally[team_id]
        counts[0] += 1
        day_ = first
        while day_ <= last:
            needed = standard.requirement(
                experience_since=since, weekly_hours=hours, on=day_, standard=history.on(services[team_id], day_)
            )
            period_start, period_end = standard.period_containing(day_, needed.period_days)
            if period_start >= day_ and period_end <= last:
                counts[1] += 1
                held = sum(m for on, m in sessions[user_id] if period_start <= on <= period_end)
                counts[2] += held >= needed.minutes
            day_ = period_end + dt.timedelta(days=1)
    return {name: (tally[team_id][0], tally[team_id][1], tally[team_id][2]) for team_id, name in names.items()}
