"""What the progress pages show, built from models without touching the database: the measures
due or overdue for an episode (schedule.py), a chart and table per measure and person, and the
episode outcome summary (baseline, latest, change, reliable change, whether the cut-off was
crossed); and the rows of a team's schedule."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from markupsafe import Markup

from attune.core.formatting import date_long
from attune.core.rows import TableRow
from attune.families.models import Carer, Infant
from attune.families.presenters import tag_html
from attune.outcomes import charts, due, scoring
from attune.outcomes import schedule as rules
from attune.outcomes.instruments import Instrument
from attune.outcomes.models import Administration, MeasureSchedule, TimePoint

NOT_ENOUGH_DATA = "not enough data"
NO_THRESHOLD = "no threshold set"

SHORT_NAMES = {"PHQ9": "PHQ-9", "GAD7": "GAD-7", "CORE10": "CORE-10", "ASQSE2": "ASQ:SE-2", "PIRGAS": "PIR-GAS"}


def short_name(code: str) -> str:
    """'PHQ-9' for PHQ9: the name people say."""
    return SHORT_NAMES.get(code, code)


def measure_label(instrument: Instrument) -> str:
    """'Edinburgh Postnatal Depression Scale (EPDS)': the name, with the short name people say
    unless the name already holds it."""
    short = short_name(instrument.code)
    return instrument.name if short in instrument.name else f"{instrument.name} ({short})"


def time_point_label(value: str) -> str:
    return str(TimePoint(value).label) if value in TimePoint.values else value


def number(value: float | Decimal) -> str:
    """16, 7.5: totals as people write them."""
    as_float = float(value)
    return str(int(as_float)) if as_float == int(as_float) else f"{as_float:g}"


def signed(value: float) -> str:
    """'+2', '0', and a fall with a true minus sign (U+2212), as typeset figures have it."""
    if value == 0:
        return "0"
    return f"+{number(value)}" if value > 0 else f"\u2212{number(-value)}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def choose_url(episode_id: uuid.UUID) -> str | None:
    """The recording pages' first step (choose a measure); None while they are not there."""
    try:
        return reverse("outcomes:choose", args=[episode_id])
    except NoReverseMatch:
        return None


def entry_url(episode_id: uuid.UUID, status: rules.MeasureStatus, subject: due.Subject | None) -> str | None:
    """Where to enter the measure, with the time point and person filled in: the measure's own
    form, or failing that the page to choose one; None while the recording pages are not there."""
    query = {"time_point": status.time_point}
    if subject is not None and subject.carer is not None:
        query["carer"] = str(subject.carer.pk)
    if subject is not None and subject.infant is not None:
        query["infant"] = str(subject.infant.pk)
    try:
        return f"{reverse('outcomes:enter', args=[episode_id, status.instrument])}?{urlencode(query)}"
    except NoReverseMatch:
        chooser = choose_url(episode_id)
        if chooser is None:
            return None
        return f"{chooser}?{urlencode({'instrument': status.instrument, **query})}"


STATUS_TAGS = {
    rules.Status.OVERDUE: ("Overdue", "red"),
    rules.Status.DUE: ("Due", "yellow"),
}


def due_rows(
    episode_id: uuid.UUID, statuses: Iterable[rules.MeasureStatus], subjects: dict[str, due.Subject]
) -> list[TableRow]:
    """The table of measures due or overdue: overdue first, then the earliest due."""
    rows: list[TableRow] = []
    for status in rules.outstanding(statuses):
        subject = subjects.get(status.person)
        name = subject.name if subject else ""
        measure = short_name(status.instrument)
        url = entry_url(episode_id, status, subject)
        text, colour = STATUS_TAGS[status.status]
        when = (
            f"Since {date_long(status.due_on)}"
            if status.status == rules.Status.DUE
            else f"Due {date_long(status.due_on)}, overdue since {date_long(status.overdue_from)}"
        )
        rows.append(
            [
                {"text": measure},
                {"text": name},
                {"text": time_point_label(status.time_point)},
                {"text": when},
                {"html": tag_html(text, colour)},
                {
                    "html": format_html(
                        '<a href="{}">Enter<span class="nhsuk-u-visually-hidden"> {} for {}</span></a>',
                        url,
                        measure,
                        name,
                    )
                    if url
                    else "",
                },
            ]
        )
    return rows


def at_discharge_lines(statuses: Iterable[rules.MeasureStatus], subjects: dict[str, due.Subject]) -> list[str]:
    """'EPDS for Jade Hughes': measures that fall due when the family is discharged."""
    return [
        f"{short_name(s.instrument)} for {subjects[s.person].name}"
        for s in statuses
        if s.status == rules.Status.AT_DISCHARGE and s.person in subjects
    ]


# Change over time -------------------------------------------------------------------------------


def reliable_change(instrument: Instrument, before: float, after: float) -> str:
    """The engine's verdict, or why there is none."""
    if instrument.reliable_change_threshold is None:
        return NO_THRESHOLD
    try:
        return scoring.reliable_change(instrument.code, before, after)
    except ValueError:
        return NOT_ENOUGH_DATA


CHANGE_TAGS = {scoring.IMPROVED: "green", scoring.DETERIORATED: "red", scoring.NO_RELIABLE_CHANGE: "grey"}


def change_html(verdict: str) -> str:
    """The verdict in words, in a tag whose colour repeats them."""
    colour = CHANGE_TAGS.get(verdict)
    if colour is None:
        return format_html("{}", sentence(verdict))
    return tag_html(sentence(verdict), colour)


def crossed_cutoff(instrument: Instrument, baseline: Administration, latest: Administration | None) -> str:
    """Whether the person moved across the clinical cut-off between baseline and latest.

    `above_cutoff` is "on the clinical side" (at or above for a higher-is-worse measure, at or
    below for a higher-is-better one), so which way it was crossed depends on the direction."""
    if instrument.cutoff is None:
        return "No cut-off for this measure"
    if latest is None:
        return "Not enough data"
    if baseline.above_cutoff is None or latest.above_cutoff is None:
        return "Not known"
    worse, better = ("above", "below") if instrument.higher_is_worse else ("below", "above")
    if baseline.above_cutoff and not latest.above_cutoff:
        return f"Yes: crossed {better} the cut-off, out of the clinical range"
    if not baseline.above_cutoff and latest.above_cutoff:
        return f"Yes: crossed {worse} the cut-off, into the clinical range"
    return f"No: stayed {worse if latest.above_cutoff else better} the cut-off"


@dataclass
class Series:
    """One measure for one person over the episode."""

    instrument: Instrument
    subject_name: str
    administrations: list[Administration]  # oldest first

    @property
    def scored(self) -> list[Administration]:
        return [a for a in self.administrations if a.total is not None]

    @property
    def baseline(self) -> Administration | None:
        scored = self.scored
        return scored[0] if scored else None

    @property
    def latest(self) -> Administration | None:
        scored = self.scored
        return scored[-1] if len(scored) > 1 else None


def _name_of(about: str, a: Administration, carers: dict[Any, Carer], infants: dict[Any, Infant]) -> str:
    carer = carers.get(a.carer_id)
    infant = infants.get(a.infant_id)
    carer_name = carer.full_name if carer else "A parent or carer no longer taking part"
    infant_name = infant.display_name if infant else "a baby no longer taking part"
    if about == "carer":
        return carer_name
    if about == "infant":
        return sentence(infant_name)
    return f"{carer_name} and {infant_name}"


def series_of(
    administrations: Iterable[Administration], carers: Sequence[Carer], infants: Sequence[Infant]
) -> list[Series]:
    """Administrations grouped by measure and person, by measure name then person."""
    by_carer = {c.pk: c for c in carers}
    by_infant = {i.pk: i for i in infants}
    grouped: dict[tuple[str, str], Series] = {}
    for a in administrations:
        instrument = due.known_instrument(a.instrument)
        if instrument is None:
            continue
        key = (a.instrument, due.subject_key(instrument.about, a.carer_id, a.infant_id))
        if key not in grouped:
            grouped[key] = Series(instrument, _name_of(instrument.about, a, by_carer, by_infant), [])
        grouped[key].administrations.append(a)
    return sorted(grouped.values(), key=lambda s: (short_name(s.instrument.code), s.subject_name))


def _verdict(series: Series, a: Administration) -> str | None:
    baseline = series.baseline
    if baseline is None or a.total is None or a.pk == baseline.pk:
        return None
    return reliable_change(series.instrument, float(baseline.total), float(a.total))  # type: ignore[arg-type]


def table_rows(series: Series) -> list[TableRow]:
    """Date, time point, score, band, change since baseline, reliable change: oldest first."""
    baseline = series.baseline
    rows: list[TableRow] = []
    for a in series.administrations:
        if a.total is None:
            score, change, verdict_cell = "Not scored", "", {"text": "Not scored"}
        elif baseline is not None and a.pk == baseline.pk:
            score, change, verdict_cell = number(a.total), "Baseline", {"text": "Baseline"}
        else:
            assert baseline is not None
            assert baseline.total is not None
            score = number(a.total)
            change = signed(float(a.total) - float(baseline.total))
            verdict_cell = {"html": change_html(_verdict(series, a) or NOT_ENOUGH_DATA)}
        rows.append(
            [
                {"text": date_long(a.completed_on)},
                {"text": time_point_label(a.time_point)},
                {"text": score, "format": "numeric"},
                {"text": a.band or "None"},
                {"text": change, "format": "numeric"},
                verdict_cell,
            ]
        )
    return rows


def chart_svg(series: Series, chart_id: str) -> Markup:
    instrument = series.instrument
    points = [
        charts.Point(a.completed_on, float(a.total), time_point_label(a.time_point), _verdict(series, a))
        for a in series.scored
        if a.total is not None
    ]
    name = short_name(instrument.code)
    return Markup(  # noqa: S704 - charts.render escapes every text it is given
        charts.render(
            charts.Chart(
                chart_id=chart_id,
                title=f"{name} scores for {series.subject_name}",
                description=charts.describe(
                    measure=name,
                    person=series.subject_name,
                    points=points,
                    cutoff=instrument.cutoff,
                    cutoff_label=instrument.cutoff_label,
                ),
                points=points,
                minimum=instrument.minimum,
                maximum=instrument.maximum,
                y_label=f"{name} score",
                cutoff=instrument.cutoff,
                cutoff_label=instrument.cutoff_label,
            )
        )
    )


def direction_text(instrument: Instrument) -> str:
    return "A higher score is worse." if instrument.higher_is_worse else "A higher score is better."


def threshold_text(instrument: Instrument) -> str:
    threshold = instrument.reliable_change_threshold
    if threshold is None:
        return "This measure has no reliable-change threshold, so change is shown but not judged."
    uncertain = " This threshold is not confirmed in a primary source." if instrument.reliable_change_uncertain else ""
    return f"A change of {number(round(threshold, 2))} points or more is reliable change.{uncertain}"


def cutoff_text(instrument: Instrument) -> str:
    if instrument.cutoff is None:
        return "No clinical cut-off."
    uncertain = " This cut-off is not confirmed in a primary source." if instrument.cutoff_uncertain else ""
    return f"Cut-off: {instrument.cutoff_label or number(instrument.cutoff)}.{uncertain}"


def series_views(all_series: Sequence[Series]) -> list[dict[str, Any]]:
    views = []
    for index, series in enumerate(all_series, start=1):
        name = short_name(series.instrument.code)
        views.append(
            {
                "id": f"measure-{index}",
                "heading": f"{name}: {series.subject_name}",
                "measure": series.instrument.name,
                "notes": [
                    direction_text(series.instrument),
                    cutoff_text(series.instrument),
                    threshold_text(series.instrument),
                ],
                "chart": chart_svg(series, f"chart-{index}"),
                "caption": f"{name} scores for {series.subject_name}, oldest first",
                "rows": table_rows(series),
            }
        )
    return views


def summary_rows(all_series: Sequence[Series]) -> list[TableRow]:
    """The episode outcome summary: a row per measure and person."""
    rows: list[TableRow] = []
    for series in all_series:
        baseline, latest = series.baseline, series.latest
        if baseline is None or baseline.total is None:
            continue
        baseline_text = f"{number(baseline.total)} ({date_long(baseline.completed_on)})"
        if latest is None or latest.total is None:
            latest_text, change, verdict = "Not enough data", "", NOT_ENOUGH_DATA
        else:
            latest_text = f"{number(latest.total)} ({date_long(latest.completed_on)})"
            change = signed(float(latest.total) - float(baseline.total))
            verdict = _verdict(series, latest) or NOT_ENOUGH_DATA
        rows.append(
            [
                {"text": short_name(series.instrument.code)},
                {"text": series.subject_name},
                {"text": baseline_text},
                {"text": latest_text},
                {"text": change, "format": "numeric"},
                {"html": change_html(verdict)},
                {"text": crossed_cutoff(series.instrument, baseline, latest)},
            ]
        )
    return rows


# The team's schedule -----------------------------------------------------------------------------


def when_due(row: MeasureSchedule) -> str:
    if row.time_point == TimePoint.DISCHARGE or row.weeks_after_start is None:
        return "When the family is discharged"
    if row.weeks_after_start == 0:
        return "When the episode starts"
    weeks = row.weeks_after_start
    return f"{weeks} {'week' if weeks == 1 else 'weeks'} after the episode starts"


def ages_text(row: MeasureSchedule) -> str:
    low, high = row.infant_min_months, row.infant_max_months
    if low is None and high is None:
        return "Any age"
    if low is not None and high is not None:
        return f"{low} to {high} months"
    if low is not None:
        return f"From {low} months"
    return f"Up to {high} months"


def schedule_rows(team_id: uuid.UUID, rows: Iterable[MeasureSchedule]) -> list[TableRow]:
    found: list[TableRow] = []
    for row in rows:
        instrument = due.known_instrument(row.instrument)
        name = measure_label(instrument) if instrument else row.instrument
        what = f"{short_name(row.instrument)} at {time_point_label(row.time_point).lower()}"
        links = format_html(
            '<ul class="nhsuk-list nhsuk-u-margin-bottom-0">'
            '<li><a href="{}?schedule={}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a></li>'
            '<li><a href="{}?schedule={}">Remove<span class="nhsuk-u-visually-hidden"> {}</span></a></li></ul>',
            reverse("outcomes:schedule_change", args=[team_id]),
            row.pk,
            what,
            reverse("outcomes:schedule_remove", args=[team_id]),
            row.pk,
            what,
        )
        found.append(
            [
                {"text": name},
                {"text": time_point_label(row.time_point)},
                {"text": when_due(row)},
                {"text": ages_text(row)},
                {"html": links},
            ]
        )
    return found


def schedule_summary(row: MeasureSchedule) -> list[dict[str, Any]]:
    """Summary-list rows describing one scheduled measure (the remove page)."""
    instrument = due.known_instrument(row.instrument)
    return [
        {"key": {"text": "Measure"}, "value": {"text": instrument.name if instrument else row.instrument}},
        {"key": {"text": "Time point"}, "value": {"text": time_point_label(row.time_point)}},
        {"key": {"text": "When it is due"}, "value": {"text": when_due(row)}},
        {"key": {"text": "Baby's age"}, "value": {"text": ages_text(row)}},
    ]


def progress_url(episode_id: uuid.UUID) -> str:
    return reverse("outcomes:progress", args=[episode_id])


def due_summary(found: due.EpisodeDue) -> str:
    """'1 overdue, 2 due: ADBB, PHQ-9'"""
    parts = [f"{found.overdue} overdue"] if found.overdue else []
    if found.due:
        parts.append(f"{found.due} due")
    return f"{', '.join(parts)}: {', '.join(short_name(code) for code in found.instruments)}"


def caseload_cells(found: Iterable[due.EpisodeDue]) -> dict[uuid.UUID, dict[str, Any]]:
    """The caseload's "Measures due" cell per episode with something due: what is due, linked to
    the progress page, with an "Overdue" tag when anything is late (the words say it too)."""
    cells: dict[uuid.UUID, dict[str, Any]] = {}
    for episode in found:
        link = format_html('<a href="{}">{}</a>', progress_url(episode.episode_id), due_summary(episode))
        cells[episode.episode_id] = {
            "html": format_html("{} {}", tag_html("Overdue", "red"), link) if episode.overdue else link
        }
    return cells
