"""Episodes completed in the period, why they ended, and how long they lasted.

An episode is completed in the period when it was discharged in it and the discharge was not
reopened before the end of the period (a discharge that was reopened later still counts in the
period it happened; its final discharge counts in its own period).
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from attune.care.codes import DischargeReason
from attune.care.models import Appointment, Discharge
from attune.reports.indicators.common import Context, local_date
from attune.reports.indicators.contacts import ATTENDED
from attune.reports.stats import median
from attune.reports.tables import Column, Kind, Note, Row, Section, Table


def section(context: Context) -> tuple[Section, list[Note]]:
    attended = (
        Appointment.objects.filter(
            episode=OuterRef("episode"), attendance__in=ATTENDED, starts_at__lte=OuterRef("discharged_at")
        )
        .order_by()
        .values("episode")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        Discharge.objects.filter(
            Q(
                episode__team_id__in=context.team_ids,
                discharged_at__gte=context.start_at,
                discharged_at__lt=context.end_at,
            )
            & (Q(reopened_at__isnull=True) | Q(reopened_at__gte=context.end_at))
            & context.families("episode__family")
        )
        .order_by()
        .annotate(contacts=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0)))
        .values_list("reason", "episode__opened_at", "discharged_at", "contacts")
    )
    by_reason: dict[str, list[tuple[float, int]]] = {reason.value: [] for reason in DischargeReason}
    for reason, opened_at, discharged_at, contacts in rows:
        weeks = (local_date(discharged_at) - local_date(opened_at)).days / 7
        by_reason.setdefault(reason, []).append((weeks, contacts))
    everything = [pair for pairs in by_reason.values() for pair in pairs]
    context.counts["completed_episodes"] = len(everything)
    labels = dict(DischargeReason.choices)
    completed = Table(
        key="episodes_completed",
        title="Episodes completed",
        columns=(Column("episodes", "Episodes"),),
        rows=tuple(Row(labels.get(reason, reason), {"episodes": len(pairs)}) for reason, pairs in by_reason.items()),
        total=Row("Total", {"episodes": len(everything)}),
        description="Episodes discharged in the period, by the reason for discharge.",
        chart="bar",
        chart_column="episodes",
    )
    length = Table(
        key="episode_length",
        title="Length of completed episodes",
        columns=(
            Column("episodes", "Episodes"),
            Column("weeks", "Median length", Kind.MEDIAN, unit="weeks"),
            Column("contacts", "Median attended contacts", Kind.MEDIAN, unit="contacts"),
        ),
        rows=tuple(_length_row(labels.get(reason, reason), pairs) for reason, pairs in by_reason.items()),
        total=_length_row("All completed episodes", everything),
        description=(
            "For episodes discharged in the period: weeks from the day of allocation to the day of discharge, and attended contacts "
            "(codes 5 and 6) up to the discharge."
        ),
    )
    return Section("episodes", "Episodes", (completed, length)), []


def _length_row(label: str, pairs: list[tuple[float, int]]) -> Row:
    return Row(
        label,
        {
            "episodes": len(pairs),
            "weeks": median([weeks for weeks, _ in pairs]),
            "contacts": median([contacts for _, contacts in pairs]),
        },
        samples={"weeks": len(pairs), "contacts": len(pairs)},
    )
