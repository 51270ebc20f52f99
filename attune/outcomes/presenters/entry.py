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
from django.utils.html import format_html

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


@dataclass(frozen=True)
class ItemAnswer:
    """One question with the answer chosen and the score it carries (reverse scoring applied)."""

    number: int
    label: str
    answer: str
    score: int | None
    risk: bool  # a risk rule watches this item
    alert: str  # the risk rule's message when this answer crosses it, else ""
    reverse: bool

    @property
    def score_text(self) -> str:
        return "Not scored" if self.score is None else str(self.score)

    @property
    def risk_heading(self) -> str:
        return f"Risk question {self.number}"

    @property
    def risk_text(self) -> str:
        """What the risk answer means: an alert, or none (and why that needs a check)."""
        answered = f"Answer: {self.answer}. Score: {self.score_text}."
        if self.alert:
            return f"{answered} This answer raises a risk alert: {self.alert}"
        if self.score is None:
            return f"{answered} Not answered, so no risk alert can be raised. Ask this question again."
        reverse = (
            " This question is reverse scored: check the position against the printed form." if self.reverse else ""
        )
        return f"{answered} This answer does not raise a risk alert.{reverse}"


def item_answers(instrument: Instrument, answers: Sequence[int | None]) -> list[ItemAnswer]:
    """Each question, the answer chosen as printed, its score and whether it is a risk item."""
    from attune.outcomes.forms.entry import item_label, option_labels

    risky = set(instrument.risk_items)
    found: list[ItemAnswer] = []
    for item, answer in zip(instrument.items, answers, strict=False):
        score: int | None = None
        if answer is None:
            given = "Not answered"
        elif item.numeric:
            given, score = str(answer), answer
        else:
            labels = option_labels(instrument, item)
            if 0 <= answer < len(labels):
                given, score = labels[answer], item.score_for(answer)
            else:
                given = str(answer)
        alert = next(
            (
                rule.message
                for rule in instrument.risk_rules_for(item.number)
                if score is not None and rule.fires(score)
            ),
            "",
        )
        found.append(
            ItemAnswer(
                number=item.number,
                label=item_label(instrument, item),
                answer=given,
                score=score,
                risk=item.number in risky,
                alert=alert,
                reverse=item.reverse,
            )
        )
    return found


def risk_answers(found: Sequence[ItemAnswer]) -> list[ItemAnswer]:
    """The answers to the measure's risk items, to show prominently whatever they scored."""
    return [answer for answer in found if answer.risk]


@dataclass(frozen=True)
class RiskCallout:
    """A risk question shown prominently: a warning callout when the answer crosses its rule,
    an inset when it does not (so a mis-keyed answer is still seen)."""

    number: int
    heading: str
    html: str
    alert: bool


def risk_callouts(found: Sequence[ItemAnswer], *, saved: bool) -> list[RiskCallout]:
    callouts = []
    for answer in risk_answers(found):
        if answer.alert:
            heading = f"{answer.risk_heading}: {'raised' if saved else 'raises'} a risk alert"
        else:
            heading = f"{answer.risk_heading}: no risk alert"
        callouts.append(
            RiskCallout(
                number=answer.number,
                heading=heading,
                html=format_html("<p><strong>{}</strong></p><p>{}</p>", answer.label, answer.risk_text),
                alert=bool(answer.alert),
            )
        )
    return callouts


def answer_rows(administration: Administration, instrument: Instrument) -> list[TableRow]:
    """The answers table on the result: question, answer chosen, its score."""
    rows: list[TableRow] = []
    for found in item_answers(instrument, list(administration.answers)):
        question = found.label
        cells: TableRow = [
            {"html": format_html("{} {}", question, tag_html("Risk item", "red"))}
            if found.risk
            else {"text": question},
            {"text": found.answer},
            {"text": found.score_text, "format": "numeric"},
        ]
        rows.append(cells)
    return rows


def check_rows(found: Sequence[ItemAnswer], change_url: str) -> list[SummaryRow]:
    """Check-your-answers: each question with the answer and its score, and a Change link to the
    question on the entry form (which keeps every answer). Risk items carry a tag."""
    rows: list[SummaryRow] = []
    for answer in found:
        value = format_html("{}<br>Score: {}", answer.answer, answer.score_text)
        if answer.risk:
            value = format_html(
                "{} {}{}",
                value,
                tag_html("Risk item", "red"),
                format_html("<br><strong>{}</strong>", "Raises a risk alert") if answer.alert else "",
            )
        row: SummaryRow = {
            "key": {"text": answer.label},
            "value": {"html": value},
            "actions": {
                "items": [
                    {
                        "href": f"{change_url}#id_item_{answer.number}",
                        "text": "Change",
                        "visuallyHiddenText": f"the answer to question {answer.number}",
                    }
                ]
            },
        }
        if answer.risk:
            row["attributes"] = {"data-risk-item": str(answer.number)}
        rows.append(row)
    return rows


def check_detail_rows(*, completed_on: dt.date, time_point: str, bands_key: str, change_url: str) -> list[SummaryRow]:
    """The date, time point (and ASQ:SE-2 interval) on the check page, each with a Change link."""
    found = [("completed_on", "Date completed", day_long(completed_on))]
    if bands_key:
        found.append(("bands_key", "ASQ:SE-2 age interval", bands_key))
    found.append(("time_point", "Time point", str(TimePoint(time_point).label)))
    return [
        {
            "key": {"text": key},
            "value": {"text": value},
            "actions": {
                "items": [
                    {"href": f"{change_url}#id_{name}", "text": "Change", "visuallyHiddenText": key.lower()},
                ]
            },
        }
        for name, key, value in found
    ]


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
