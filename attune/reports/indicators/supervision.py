"""Clinical supervision against the Parent-Infant Foundation standard, per team (domain
reference D; attune/supervision/standard.py): for each practitioner and trainee of the team, the
weeks or fortnights that fall wholly inside both the reporting period and their membership, and
how many of those had the supervision the standard asks for."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from attune.organisations.models import Membership
from attune.organisations.roles import Role
from attune.reports.indicators.common import Context
from attune.reports.tables import Column, Fixed, Kind, Note, Row, Section, Table
from attune.supervision import standard
from attune.supervision.models import ClinicalExperience, SessionAttendee

SUPERVISED = [Role.PRACTITIONER.value, Role.TRAINEE.value]


def periods_met(
    *,
    start: dt.date,
    end: dt.date,
    experience_since: dt.date | None,
    weekly_hours: Decimal | None,
    sessions: list[tuple[dt.date, int]],
) -> tuple[int, int]:
    """(periods required, periods met) for the weeks or fortnights wholly inside [start, end],
    each judged by the requirement that applies on its first day."""
    required = met = 0
    day = start
    while day <= end:
        needed = standard.requirement(experience_since=experience_since, weekly_hours=weekly_hours, on=day)
        period_start, period_end = standard.period_containing(day, needed.period_days)
        if period_start >= start and period_end <= end:
            required += 1
            minutes = sum(m for held_on, m in sessions if period_start <= held_on <= period_end)
            met += minutes >= needed.minutes
        day = period_end + dt.timedelta(days=1)
    return required, met


def section(context: Context) -> tuple[Section, list[Note]]:
    start, end = context.scope.start, context.scope.end
    spans: dict[tuple, tuple[dt.date, dt.date]] = {}
    for team_id, user_id, starts_on, ends_on in (
        Membership.objects.filter(
            Q(team_id__in=context.team_ids, role__in=SUPERVISED, starts_on__lte=end)
            & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        )
        .order_by()
        .values_list("team_id", "user_id", "starts_on", "ends_on")
    ):
        # Two roles in one team (practitioner and trainee in turn) make one span from the first
        # start to the last end.
        first, last = max(starts_on, start), min(ends_on or end, end)
        if (team_id, user_id) in spans:
            known_first, known_last = spans[team_id, user_id]
            first, last = min(first, known_first), max(last, known_last)
        spans[team_id, user_id] = (first, last)
    people = {user_id for _team, user_id in spans}
    experience = {
        user_id: (since, hours)
        for user_id, since, hours in ClinicalExperience.objects.filter(practitioner_id__in=people).values_list(
            "practitioner_id", "under_twos_experience_since", "weekly_hours"
        )
    }
    sessions: dict[object, list[tuple[dt.date, int]]] = defaultdict(list)
    for user_id, held_on, minutes in SessionAttendee.objects.filter(
        supervisee_id__in=people, session__held_on__gte=start, session__held_on__lte=end
    ).values_list("supervisee_id", "session__held_on", "session__duration_minutes"):
        sessions[user_id].append((held_on, minutes))
    by_team: dict[object, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (team_id, user_id), (first, last) in spans.items():
        since, hours = experience.get(user_id, (None, None))
        required, met = periods_met(
            start=first, end=last, experience_since=since, weekly_hours=hours, sessions=sessions[user_id]
        )
        tally = by_team[team_id]
        tally[0] += 1
        tally[1] += required
        tally[2] += met
    rows = tuple(
        Row(name, dict(zip(("people", "required", "met"), by_team.get(team_id, [0, 0, 0]), strict=True)))
        for team_id, name in context.team_names().items()
    )
    total = Row(
        "Total",
        {key: sum(row.values[key] for row in rows) for key in ("people", "required", "met")},  # type: ignore[misc]
    )
    notes: tuple[Note, ...] = (
        Note(
            "Unknown experience counts as under {years} (weekly) and unknown hours as full time, as the standard "
            "is applied elsewhere in Attune.",
            {"years": Fixed("3 years")},
        ),
    )
    if context.narrowed:
        notes += (
            Note("Supervision is about staff, not families, so the site or council area chosen does not narrow it."),
        )
    table = Table(
        key="supervision",
        title="Supervision against the standard",
        columns=(
            Column("people", "Practitioners and trainees"),
            Column("required", "Weeks or fortnights needing supervision"),
            Column("met", "Of those, met"),
            Column("met_pct", "Met (%)", Kind.PERCENT, numerator="met", denominator="required"),
        ),
        rows=rows,
        total=total,
        description=(
            "Practitioners and trainees in each team during the period. The standard asks for 1 hour of clinical "
            "supervision a week (under 3 years' experience with under-2s) or a fortnight (3 years or more), pro "
            "rata for part-time; only weeks or fortnights wholly inside the period and the person's time in the "
            "team count, each judged by the requirement on its first day."
        ),
        notes=notes,
        chart="bar",
        chart_column="met",
    )
    return Section("supervision", "Supervision", (table,)), []
