"""What the entry pages show, built without touching the database: which measures fit whom in
an episode (and why others are left out), a stored measure's result with its change since the
baseline, and the risk alerts it raised."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from attune.core.clocks import age_in_months
from attune.core.formatting import datetime_long, day_long
from attune.core.rows import SummaryRow, TableRow
from attune.families.models import Carer, FamilyAlert, Infant
from attune.families.presenters import tag_html
from attune.outcomes import scoring
from attune.outcomes.instruments import Band, Instrument
from attune.outcomes.models import Administration, TimePoint

ABOUT_ORDER = {"carer": 0, "relationship": 1, "infant": 2}
ABOUT_HEADINGS = {
    "carer": "About a parent or carer",
    "relationship": "About the relationship between a parent and baby",
    "infant": "About the baby",
}
COMPLETED_BY = {
    "carer": "Completed by the parent or carer",
    "clinician": "Rated by the practitioner",
    "observer": "Rated by an observer",
}


def number(value: float | Decimal | None) -> str:
    """14, 10.5: no trailing zeros."""
    if value is None:
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text


def code_slug(code: str) -> str:
    return code.lower()


# Choosing a measure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass
class MeasureChoice:
    code: str
    name: str
    who: str
    about: str = "carer"
    links: list[Link] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ChoiceGroup:
    heading: str
    choices: list[MeasureChoice]


def grouped(choices: list[MeasureChoice]) -> list[ChoiceGroup]:
    """The measures under a heading for whom they are about, in the order carer, relationship, baby."""
    return [
        ChoiceGroup(heading=heading, choices=[c for c in choices if c.about == about])
        for about, heading in ABOUT_HEADINGS.items()
        if any(c.about == about for c in choices)
    ]


def enter_url(episode_id: Any, code: str, *, carer: Carer | None, infant: Infant | None, time_point: str = "") -> str:
    query = {
        key: value
        for key, value in (
            ("carer", str(carer.pk) if carer else ""),
            ("infant", str(infant.pk) if infant else ""),
            ("time_point", time_point if time_point in TimePoint.values else ""),
        )
        if value
    }
    base = reverse("outcomes:enter", args=[episode_id, code_slug(code)])
    return f"{base}?{urlencode(query)}" if query else base


def _infant_fits(instrument: Instrument, infant: Infant, today: dt.date) -> str:
    """Why the baby is left out of this measure today, or "" when it fits."""
    name = infant.full_name or "The baby"
    if infant.date_of_birth is None:
        return f"{name} is not born yet"
    ages = instrument.infant_age_months
    if ages is None:
        return ""
    age = age_in_months(infant.date_of_birth, today)
    if ages[0] <= age <= ages[1]:
        return ""
    return f"{name} is {age} months old; the {instrument.name} is for babies aged {ages[0]} to {ages[1]} months"


def measure_choices(
    instruments: Sequence[Instrument],
    *,
    episode_id: Any,
    carers: Sequence[Carer],
    infants: Sequence[Infant],
    today: dt.date,
    time_point: str = "",
) -> list[MeasureChoice]:
    """Each measure with a link for each person (or pair) it fits today, and a plain reason for
    each person left out."""
    found: list[MeasureChoice] = []
    for instrument in sorted(instruments, key=lambda i: (ABOUT_ORDER[i.about], i.name)):
        choice = MeasureChoice(
            code=instrument.code,
            name=instrument.name,
            who=COMPLETED_BY[instrument.completed_by],
            about=instrument.about,
        )
        if instrument.about in ("carer", "relationship") and not carers:
            choice.left_out.append("No parent or carer is taking part in this episode")
        if instrument.about in ("infant", "relationship") and not infants:
            choice.left_out.append("No baby is taking part in this episode")
        fitting: list[Infant] = []
        if instrument.about in ("infant", "relationship"):
            for infant in infants:
                reason = _infant_fits(instrument, infant, today)
                if reason:
                    choice.left_out.append(reason)
                else:
                    fitting.append(infant)
        if instrument.about == "carer":
            choice.links = [
                Link(
                    text=carer.full_name,
                    href=enter_url(episode_id, instrument.code, carer=carer, infant=None, time_point=time_point),
                )
                for carer in carers
            ]
        elif instrument.about == "infant":
            choice.links = [
                Link(
                    text=infant.display_name,
                    href=enter_url(episode_id, instrument.code, carer=None, infant=infant, time_point=time_point),
                )
                for infant in fitting
            ]
        else:
            choice.links = [
                Link(
                    text=f"{carer.full_name} and {infant.display_name}",
                    href=enter_url(episode_id, instrument.code, carer=carer, infant=infant, time_point=time_point),
                )
                for carer in carers
                for infant in fitting
            ]
        found.append(choice)
    return found


def about_text(carer: Carer | None, infant: Infant | None) -> str:
    return " and ".join(
        name for name in (carer.full_name if carer else "", infant.display_name if infant else "") if name
    )


# The result ----------------------------------------------------------------------------------


def band_is_uncertain(label: str, bands: Sequence[Band]) -> bool:
    return any(band.label == label and band.uncertain for band in bands)


def score_text(administration: Administration, instrument: Instrument) -> str:
    if administration.total is None:
        return "Not scored: too many answers are missing"
    text = f"{number(administration.total)} out of {number(instrument.maximum)}"
    if instrument.scores_only and instrument.code == "ASQSE2":
        text = number(administration.total)
    if not administration.complete:
        text += " (some answers missing: the total is prorated)"
    return text


def band_html(administration: Administration, instrument: Instrument, loaded: Sequence[Band]) -> str:
    if not administration.band:
        if instrument.bands or loaded:
            return "No band"
        return "No bands: the service has not loaded any for this measure"
    if band_is_uncertain(administration.band, [*instrument.bands, *loaded]):
        return f"{administration.band} {tag_html('Uncertain', 'yellow')}"
    return administration.band


def cutoff_text(administration: Administration, instrument: Instrument) -> str:
    if instrument.cutoff is None or administration.above_cutoff is None:
        return ""
    if administration.above_cutoff:
        where = "At or above" if instrument.higher_is_worse else "At or below"
    else:
        where = "Below" if instrument.higher_is_worse else "Above"
    label = f" ({instrument.cutoff_label})" if instrument.cutoff_label else ""
    uncertain = " The cut-off is uncertain." if instrument.cutoff_uncertain else ""
    return f"{where} the cut-off of {number(instrument.cutoff)}{label}.{uncertain}"


def result_rows(
    administration: Administration, instrument: Instrument, loaded: Sequence[Band] = ()
) -> list[SummaryRow]:
    rows: list[SummaryRow] = [
        {"key": {"text": "Measure"}, "value": {"text": instrument.name}},
        {"key": {"text": "About"}, "value": {"text": about_text(administration.carer, administration.infant)}},
        {"key": {"text": "Date completed"}, "value": {"text": day_long(administration.completed_on)}},
        {"key": {"text": "Time point"}, "value": {"text": administration.get_time_point_display()}},
        {"key": {"text": "How it was completed"}, "value": {"text": administration.get_source_display()}},
        {"key": {"text": "Score"}, "value": {"text": score_text(administration, instrument)}},
        {"key": {"text": "Band"}, "value": {"html": band_html(administration, instrument, loaded)}},
    ]
    cutoff = cutoff_text(administration, instrument)
    if cutoff:
        rows.append({"key": {"text": "Cut-off"}, "value": {"text": cutoff}})
    if administration.entered_by is not None:
        rows.append({"key": {"text": "Entered by"}, "value": {"text": administration.entered_by.full_name}})
    return rows


def subscale_rows(administration: Administration, instrument: Instrument) -> list[TableRow]:
    rows: list[TableRow] = []
    for name in instrument.subscales:
        value = administration.subscales.get(name)
        cutoff = instrument.subscale_cutoffs.get(name)
        note = ""
        if cutoff is not None and value is not None:
            high = value >= cutoff.value if instrument.higher_is_worse else value <= cutoff.value
            note = f"{'At or above' if high else 'Below'} {number(cutoff.value)}" + (
                f" ({cutoff.label})" if cutoff.label else ""
            )
            if cutoff.uncertain:
                note += " (uncertain)"
        rows.append(
            [
                {"text": name},
                {"text": "Not scored" if value is None else number(value)},
                {"text": note or "No cut-off"},
            ]
        )
    return rows


def answer_rows(administration: Administration, instrument: Instrument) -> list[TableRow]:
    from attune.outcomes.forms.entry import item_label, option_labels

    rows: list[TableRow] = []
    answers = list(administration.answers)
    for item, answer in zip(instrument.items, answers, strict=False):
        if answer is None:
            given = "Not answered"
        elif item.numeric:
            given = str(answer)
        else:
            labels = option_labels(instrument, item)
            given = labels[answer] if 0 <= answer < len(labels) else str(answer)
        rows.append([{"text": item_label(instrument, item)}, {"text": given}])
    return rows


@dataclass(frozen=True)
class Change:
    rows: list[SummaryRow]
    is_baseline: bool


def change_since_baseline(
    administration: Administration, instrument: Instrument, baseline: Administration | None
) -> Change:
    """The baseline's score, the change in points and whether it is reliable."""
    if baseline is None:
        return Change(rows=[], is_baseline=True)
    rows: list[SummaryRow] = [
        {
            "key": {"text": "Baseline"},
            "value": {
                "text": f"{number(baseline.total) or 'Not scored'} on {day_long(baseline.completed_on)} "
                f"({baseline.get_time_point_display().lower()})"
            },
        }
    ]
    if baseline.total is None or administration.total is None:
        rows.append({"key": {"text": "Change"}, "value": {"text": "Cannot be worked out: a score is missing"}})
        return Change(rows=rows, is_baseline=False)
    change = float(administration.total) - float(baseline.total)
    sign = "+" if change > 0 else ""
    rows.append({"key": {"text": "Change"}, "value": {"text": f"{sign}{number(change)} points"}})
    if instrument.reliable_change_threshold is None:
        verdict = f"Not known: there is no reliable-change threshold for the {instrument.name}"
    else:
        result = scoring.reliable_change(instrument.code, float(baseline.total), float(administration.total))
        verdict = {
            scoring.IMPROVED: "Reliable improvement",
            scoring.DETERIORATED: "Reliable deterioration",
        }.get(result, "No reliable change")
        verdict += f" (threshold {number(instrument.reliable_change_threshold)} points"
        verdict += ", uncertain)" if instrument.reliable_change_uncertain else ")"
    rows.append({"key": {"text": "Reliable change"}, "value": {"text": verdict}})
    return Change(rows=rows, is_baseline=False)


# Alerts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertView:
    message: str
    url: str
    is_open: bool
    status_html: str
    raised: str
    closed: str
    action_taken: str


def alert_view(alert: FamilyAlert) -> AlertView:
    closed = ""
    if alert.closed_at is not None:
        by = alert.closed_by.full_name if alert.closed_by else "Not recorded"
        closed = f"{datetime_long(alert.closed_at)}, {by}"
    return AlertView(
        message=alert.message,
        url=alert.url,
        is_open=alert.closed_at is None,
        status_html=tag_html("Open", "red") if alert.closed_at is None else tag_html("Action recorded", "green"),
        raised=datetime_long(alert.created_at),
        closed=closed,
        action_taken=alert.action_taken,
    )


def alert_rows(view: AlertView) -> list[SummaryRow]:
    rows: list[SummaryRow] = [
        {"key": {"text": "Alert"}, "value": {"text": view.message}},
        {"key": {"text": "Status"}, "value": {"html": view.status_html}},
        {"key": {"text": "Raised"}, "value": {"text": view.raised}},
    ]
    if not view.is_open:
        rows += [
            {"key": {"text": "Action taken"}, "value": {"text": view.action_taken}},
            {"key": {"text": "Recorded"}, "value": {"text": view.closed}},
        ]
    return rows
