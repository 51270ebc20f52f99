"""Paired outcome measures: baseline against latest, per instrument, with reliable change
(domain reference A.3; the thresholds are in each instrument's file, applied by
attune.outcomes.scoring.reliable_change in the instrument's direction).

A pair is one episode, one person (carer, infant, or the two together) and one instrument:
its baseline is the first complete administration in the episode, its latest the last complete
one on or before the period's last day, and it counts only when the latest was completed on a
later date than the baseline and the episode was discharged in the period or was still open at
its end.

Reliable improvement is given two ways. Ours: of every pair (every family member with a first and
a latest score on a measure). Beside it, the NHS Talking Therapies definition as a comparator
(domain reference A.3, NHS Talking Therapies Manual v7.1; the fingertips glossary's "finished a
course of treatment"): only cases, that is pairs above the measure's clinical cut-off at baseline,
whose episode had at least two attended contacts by the end of the period.
"""

import uuid
from collections import Counter

from django.db.models import CharField, Count, F, OuterRef, Q, RowRange, Subquery, Window
from django.db.models.functions import Cast, LastValue, RowNumber

from attune.care.models import Appointment, Episode, EpisodeEvent
from attune.outcomes import instruments
from attune.outcomes.models import Administration
from attune.outcomes.scoring import DETERIORATED, IMPROVED, NO_RELIABLE_CHANGE, reliable_change
from attune.reports.indicators.common import Context
from attune.reports.indicators.contacts import ATTENDED
from attune.reports.tables import Column, Fixed, Kind, Note, Row, Section, Table

COLUMNS = (
    Column("pairs", "Paired scores", additive=False),
    Column("improved", "Reliably improved", additive=False),
    Column("unchanged", "No reliable change", additive=False),
    Column("deteriorated", "Reliably deteriorated", additive=False),
    Column(
        "improved_pct",
        "Reliably improved (% of all families with a first and latest score)",
        Kind.PERCENT,
        numerator="improved",
        denominator="pairs",
    ),
    Column("above_at_start", "Above the cut-off at baseline", additive=False),
    Column("moved_below", "Of those, below the cut-off at the latest", additive=False),
    # NHS Talking Therapies (domain reference A.3): cases at baseline who had at least two
    # attended contacts, and of those how many reliably improved.
    Column("cases", "Above the cut-off at baseline with 2 or more attended contacts", additive=False),
    Column("cases_improved", "Of those, reliably improved", additive=False),
    Column(
        "cases_improved_pct",
        "Reliably improved (NHS Talking Therapies definition, %)",
        Kind.PERCENT,
        numerator="cases_improved",
        denominator="cases",
    ),
)
# NHS Talking Therapies counts a course of treatment as finished after two attended contacts.
TREATED_CONTACTS = 2
RESULT_KEYS = {IMPROVED: "improved", NO_RELIABLE_CHANGE: "unchanged", DETERIORATED: "deteriorated"}


def _last_event(context: Context, field: str) -> Subquery:
    return Subquery(
        EpisodeEvent.objects.filter(episode=OuterRef("pk"), at__lt=context.end_at)
        .order_by("-at", "-id")
        .values(field)[:1]
    )


def section(context: Context) -> tuple[Section, list[Note]]:
    # Discharged in the period, or still open at its end: the latest event by the end of the
    # period is not a discharge, or is one that happened in the period.
    in_scope = (
        Episode.objects.filter(Q(team_id__in=context.team_ids, opened_at__lt=context.end_at) & context.families())
        .order_by()
        .annotate(last_kind=_last_event(context, "kind"), last_at=_last_event(context, "at"))
        .filter(~Q(last_kind=EpisodeEvent.Kind.DISCHARGED) | Q(last_at__gte=context.start_at))
        .values_list("pk", flat=True)
    )
    # Fetched first (a few thousand keys at region scale), so that the planner, which cannot
    # estimate the latest-event filter, reaches each episode's scores by its index.
    episodes = list(in_scope)
    # Each series (an episode, a person, a measure) reduced to its first and its latest complete
    # score by window functions, in the database: one row per series, only where the latest was on
    # a later date than the first. Keys come back as text (no UUID is built per row).
    series = [F("episode_id"), F("carer_id"), F("infant_id"), F("instrument")]
    in_order = [F("completed_on").asc(), F("created_at").asc(), F("id").asc()]

    def last(field: str) -> Window:
        # One sort serves both ends: the series' first row carries its last row's values.
        return Window(LastValue(field), partition_by=series, order_by=in_order, frame=RowRange(None, None))

    pairs = (
        Administration.objects.filter(
            episode_id__in=episodes, complete=True, total__isnull=False, completed_on__lte=context.scope.end
        )
        .order_by()
        .annotate(
            place=Window(RowNumber(), partition_by=series, order_by=in_order),
            last_on=last("completed_on"),
            last_total=last("total"),
            last_above=last("above_cutoff"),
        )
        .filter(place=1, last_on__gt=F("completed_on"))
        .values_list(Cast("episode_id", CharField()), "instrument", "total", "above_cutoff", "last_total", "last_above")
    )
    found = list(pairs)
    # Attended contacts are counted only for the episodes with a case: a pair above the cut-off
    # at its baseline (the NHS Talking Therapies definition needs no more).
    with_case = {uuid.UUID(episode_id) for episode_id, _code, _before, above, _after, _now in found if above}
    attended = dict(
        Appointment.objects.filter(
            episode_id__in=[pk for pk in episodes if pk in with_case],
            attendance__in=ATTENDED,
            starts_at__lt=context.end_at,
        )
        .order_by()
        .annotate(key=Cast("episode_id", CharField()))
        .values_list("key")
        .annotate(n=Count("id"))
        .values_list("key", "n")
    )
    tallies: dict[str, Counter[str]] = {}
    unjudged: set[str] = set()
    for episode_id, code, first_total, above_before, last_total, above_after in found:
        before, after = float(first_total or 0), float(last_total or 0)
        tally = tallies.setdefault(code, Counter())
        tally["pairs"] += 1
        case = bool(above_before) and attended.get(episode_id, 0) >= TREATED_CONTACTS
        if above_before:
            tally["above_at_start"] += 1
            if above_after is False:
                tally["moved_below"] += 1
        tally["cases"] += case
        try:
            result = RESULT_KEYS[reliable_change(code, before, after)]
        except (KeyError, ValueError):
            unjudged.add(code)
        else:
            tally[result] += 1
            tally["cases_improved"] += case and result == "improved"
    table_rows = tuple(_row(code, tallies[code], code in unjudged) for code in sorted(tallies, key=_name))
    notes = []
    if unjudged:
        notes.append(
            Note(
                "Reliable change is not shown for {measures}: the measure has no reliable-change threshold (or a "
                "score was outside its range), so only the pairs are counted.",
                {"measures": Fixed(", ".join(sorted(_name(code) for code in unjudged)))},
            )
        )
    table = Table(
        key="outcomes_paired",
        title="Outcomes (paired baseline and latest)",
        columns=COLUMNS,
        rows=table_rows,
        description=(
            "For each episode discharged in the period or still open at its end, and each person and measure: "
            "the first complete score in the episode (baseline) against the last complete score on or before "
            "the period's last day, when that was on a later date. Reliable change uses each measure's "
            "published or computed threshold, in the measure's direction. Reliably improved (%) is of all "
            "families with a first and latest score on the measure. The NHS Talking Therapies definition counts "
            "only cases: those above the measure's clinical cut-off at baseline whose episode had 2 or more "
            "attended contacts by the end of the period."
        ),
        notes=tuple(notes),
        chart="bar",
        chart_column="pairs",
    )
    return Section("outcomes", "Outcomes", (table,)), []


def _name(code: str) -> str:
    try:
        return instruments.get(code).name
    except KeyError:
        return code


def _row(code: str, tally: Counter[str], unjudged: bool) -> Row:
    judged = not unjudged and sum(tally[key] for key in RESULT_KEYS.values()) == tally["pairs"]
    values: dict[str, int | float | None] = {
        "pairs": tally["pairs"],
        "above_at_start": tally["above_at_start"],
        "moved_below": tally["moved_below"],
        "cases": tally["cases"],
    }
    for key in (*RESULT_KEYS.values(), "cases_improved"):
        values[key] = tally[key] if judged else None
    return Row(_name(code), values)  # type: ignore[arg-type]
