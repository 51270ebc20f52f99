"""Consultation and training given to other professionals (NonCaseloadActivity) in the period."""

from decimal import Decimal

from django.db.models import Count, Sum

from attune.reports.indicators.common import Context
from attune.reports.tables import Column, Kind, Note, Row, Section, Table
from attune.workforce.models import ActivityKind, NonCaseloadActivity


def section(context: Context) -> tuple[Section, list[Note]]:
    found = {
        kind: (sessions, attendees or 0, hours or Decimal("0"))
        for kind, sessions, attendees, hours in NonCaseloadActivity.objects.filter(
            team_id__in=context.team_ids, held_on__gte=context.scope.start, held_on__lte=context.scope.end
        )
        .order_by()
        .values_list("kind")
        .annotate(sessions=Count("id"), attendees=Sum("attendees"), hours=Sum("hours"))
        .values_list("kind", "sessions", "attendees", "hours")
    }
    rows = tuple(
        Row(
            kind.label,
            dict(zip(("sessions", "attendees", "hours"), found.get(kind.value, (0, 0, Decimal("0"))), strict=True)),
        )
        for kind in ActivityKind
    )
    total = Row(
        "Total",
        {
            "sessions": sum(sessions for sessions, _attendees, _hours in found.values()),
            "attendees": sum(attendees for _sessions, attendees, _hours in found.values()),
            "hours": sum((hours for _sessions, _attendees, hours in found.values()), Decimal("0")),
        },
    )
    notes: tuple[Note, ...] = ()
    if context.narrowed:
        notes = (Note("This work is not about a family, so the site or council area chosen does not narrow it."),)
    table = Table(
        key="training_given",
        title="Consultation and training given",
        columns=(
            Column("sessions", "Sessions"),
            Column("attendees", "Attendees"),
            Column("hours", "Hours", Kind.HOURS),
        ),
        rows=rows,
        total=total,
        description="Consultation and training the teams gave other professionals in the period.",
        notes=notes,
        chart="bar",
        chart_column="hours",
    )
    return Section("training", "Consultation and training", (table,)), []
