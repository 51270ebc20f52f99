"""Caseload and capacity per team, as at the end of the period (or today, if sooner).

An episode is open when it was allocated before the end of that day and its latest event by
then is not a discharge. Its weight is its heaviest intervention's caseload weight in force on
that day in its team's service (1.00 with none; care.models.episode_weight_on), counted once for
each practitioner working it then, as attune.care.services.weighted_caseloads counts a
practitioner's load: a weight changed since leaves the figure of a past period as it was. Capacity is the sum of the maximum weighted
caseloads set for the team's practitioners who are members of the team on that day.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from attune.care.models import DEFAULT_EPISODE_WEIGHT, Episode, EpisodeEvent, PractitionerCapacity, episode_weight_on
from attune.core.formatting import date_long
from attune.organisations.models import Membership
from attune.reports.indicators.common import Context
from attune.reports.tables import Column, Kind, Note, Row, Section, Table


def open_episodes(context: Context) -> Subquery:
    """Open as at the end of the "as at" day: used here and by the outcomes section."""
    return Subquery(
        EpisodeEvent.objects.filter(episode=OuterRef("pk"), at__lt=context.as_at_end)
        .order_by("-at", "-id")
        .values("kind")[:1]
    )


def section(context: Context) -> tuple[Section, list[Note]]:
    working_then = Q(workers__started_at__lt=context.as_at_end) & (
        Q(workers__ended_at__isnull=True) | Q(workers__ended_at__gte=context.as_at_end)
    )
    rows = (
        Episode.objects.filter(Q(team_id__in=context.team_ids, opened_at__lt=context.as_at_end) & context.families())
        .order_by()
        .annotate(state=open_episodes(context))
        .exclude(state=EpisodeEvent.Kind.DISCHARGED)
        .values("pk", "team_id")
        .annotate(
            weight=episode_weight_on(context.as_at),
            working=Count("workers", filter=working_then, distinct=True),
        )
        .values_list("team_id", "weight", "working")
    )
    episodes: dict[object, int] = defaultdict(int)
    weighted: dict[object, Decimal] = defaultdict(Decimal)
    for team_id, weight, working in rows:
        episodes[team_id] += 1
        weighted[team_id] += (weight if weight is not None else DEFAULT_EPISODE_WEIGHT) * int(working)
    members = Membership.objects.filter(
        Q(team_id=OuterRef("team_id"), user_id=OuterRef("practitioner_id"), starts_on__lte=context.as_at)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=context.as_at))
    )
    capacity = dict(
        # A person without their own maximum counts at the team's default of that day.
        PractitionerCapacity.objects.filter(Exists(members), team_id__in=context.team_ids)
        .with_maximum(context.as_at)
        .order_by()
        .values_list("team_id")
        .annotate(total=Sum("maximum"))
    )
    names = context.team_names()
    table_rows = tuple(
        Row(
            name,
            {
                "open": episodes.get(team_id, 0),
                "weighted": weighted.get(team_id, Decimal("0.00")),
                "capacity": capacity.get(team_id) or Decimal("0.00"),
            },
        )
        for team_id, name in names.items()
    )
    total = Row(
        "Total",
        {
            "open": sum(episodes.values()),
            "weighted": sum(weighted.values(), Decimal("0.00")),
            "capacity": sum(capacity.values(), Decimal("0.00")),
        },
    )
    # The weighted caseload is episodes times their weights (1 with no intervention), so it is a
    # count of families in disguise: it is suppressed with the open episodes it is built from.
    notes = [
        Note(
            "Weighted caseload is built from counts of families, so in a shared report it is hidden and rounded "
            "as they are; capacity is a staff setting, not a count of people, and is shown as it is."
        )
    ]
    if context.narrowed:
        notes.append(
            Note(
                "Open episodes and weighted caseload cover only the families in the chosen site or council area; "
                "capacity is the whole team's."
            )
        )
    table = Table(
        key="caseload",
        title="Caseload and capacity",
        columns=(
            Column("open", "Open episodes"),
            Column("weighted", "Weighted caseload", Kind.WEIGHTED, basis="open"),
            Column("capacity", "Capacity (maximum weighted caseload)", Kind.HOURS),
            Column("used", "Capacity used", Kind.PERCENT, numerator="weighted", denominator="capacity"),
        ),
        rows=table_rows,
        total=total,
        description=(
            f"Open episodes on {date_long(context.as_at)}, each weighted by its heaviest intervention and counted "
            "for each practitioner working it, against the maximum weighted caseloads set for the team's "
            "current practitioners."
        ),
        notes=tuple(notes),
        chart="bar",
        chart_column="open",
    )
    return Section("caseload", "Caseload and capacity", (table,)), []
