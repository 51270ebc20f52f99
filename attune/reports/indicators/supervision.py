"""Clinical supervision against the standard, per team (domain reference D;
attune/supervision/standard.py): for each practitioner and trainee of the team, the weeks or
fortnights that fall wholly inside both the reporting period and their membership, and how many
of those had the supervision the standard asks for. Each week or fortnight is judged by the
standard of the team's service in force on its first day, so a standard set today leaves last
year's figures as they were."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from django.db.models import Q

from attune.organisations.models import Membership, Team
from attune.organisations.roles import Role
from attune.reports.indicators.common import Context
from attune.reports.tables import Column, Kind, Note, Row, Section, Table
from attune.supervision import standard
from attune.supervision.models import SessionAttendee, SupervisionStandardSetting

SUPERVISED = [Role.PRACTITIONER.value, Role.TRAINEE.value]


def periods_met(
    *,
    start: dt.date,
    end: dt.date,
    experience_since: dt.date | None,
    weekly_hours: Decimal | None,
    sessions: list[tuple[dt.date, int]],
    standard_on: Callable[[dt.date], standard.Standard],
) -> tuple[int, int]:
    """(periods required, periods met) for the weeks or fortnights wholly inside [start, end],
    each judged by the requirement of the standard in force (`standard_on`) on its first day.
    A fortnight that would take in days already counted in a week before it (when the period
    changes from weeks to fortnights part-way) is not counted."""
    required = met = 0
    day = start
    while day <= end:
        needed = standard.requirement(
            experience_since=experience_since, weekly_hours=weekly_hours, on=day, standard=standard_on(day)
        )
        period_start, period_end = standard.period_containing(day, needed.period_days)
        if period_start >= day and period_end <= end:
            required += 1
            minutes = sum(m for held_on, m in sessions if period_start <= held_on <= period_end)
            met += minutes >= needed.minutes
        day = period_end + dt.timedelta(days=1)
    return required, met


def section(context: Context) -> tuple[Section, list[Note]]:
    start, end = context.scope.start, context.scope.end
    spans: dict[tuple, tuple[dt.date, dt.date]] = {}
    services: dict[object, object] = {}
    experience: dict[object, tuple[dt.date | None, Decimal | None]] = {}
    # Experience comes with the memberships (one row each, joined), and the standards of the
    # teams' services in one more query, so the section costs the same queries however large.
    for team_id, service_id, user_id, starts_on, ends_on, since, hours in (
        Membership.objects.filter(
            Q(team_id__in=context.team_ids, role__in=SUPERVISED, starts_on__lte=end)
            & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        )
        .order_by()
        .values_list(
            "team_id",
            "team__service_id",
            "user_id",
            "starts_on",
            "ends_on",
            "user__clinical_experience__under_twos_experience_since",
            "user__clinical_experience__weekly_hours",
        )
    ):
        services[team_id] = service_id
        experience[user_id] = (since, hours)
        # Two roles in one team (practitioner and trainee in turn) make one span from the first
        # start to the last end.
        first, last = max(starts_on, start), min(ends_on or end, end)
        if (team_id, user_id) in spans:
            known_first, known_last = spans[team_id, user_id]
            first, last = min(first, known_first), max(last, known_last)
        spans[team_id, user_id] = (first, last)
    people = {user_id for _team, user_id in spans}
    history = SupervisionStandardSetting.objects.history(
        Team.objects.filter(pk__in=context.team_ids).values("service_id")
    )
    sessions: dict[object, list[tuple[dt.date, int]]] = defaultdict(list)
    for user_id, held_on, minutes in SessionAttendee.objects.filter(
        supervisee_id__in=people, session__held_on__gte=start, session__held_on__lte=end
    ).values_list("supervisee_id", "session__held_on", "session__duration_minutes"):
        sessions[user_id].append((held_on, minutes))
    by_team: dict[object, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (team_id, user_id), (first, last) in spans.items():
        experience_since, weekly_hours = experience[user_id]
        required, met = periods_met(
            start=first,
            end=last,
            experience_since=experience_since,
            weekly_hours=weekly_hours,
            sessions=sessions[user_id],
            standard_on=partial(history.on, services[team_id]),
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
            "Unknown experience counts as less experienced and unknown hours as full time, as the standard is "
            "applied elsewhere in Attune."
        ),
    )
    if any(history.changed_between(service, start, end) for service in set(services.values())):
        notes += (
            Note(
                "The supervision standard changed during the period: each week or fortnight is judged by the "
                "standard in force on its first day."
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
            "Practitioners and trainees in each team during the period. The standard is the service's own where "
            "it has set one, otherwise the Parent-Infant Foundation's: 1 hour of clinical supervision a week "
            "(under 3 years' experience with under-2s) or a fortnight (3 years or more), pro rata for part-time. "
            "Only weeks or fortnights wholly inside the period and the person's time in the team count, each "
            "judged by the standard in force, and the requirement that applies, on its first day."
        ),
        notes=notes,
        chart="bar",
        chart_column="met",
    )
    return Section("supervision", "Supervision", (table,)), []
