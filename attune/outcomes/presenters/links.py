"""What the questionnaire-link pages show: the episode's links with their status, answers waiting
for review, what was sent and how, and the parent's check-your-answers page. No database here."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from attune.core.formatting import date_long, datetime_short
from attune.core.rows import SummaryRow
from attune.notifications.models import Message, MessageStatus
from attune.notifications.presenters import how_sent
from attune.outcomes.forms.links import item_label
from attune.outcomes.instruments import Instrument
from attune.outcomes.links import status_of
from attune.outcomes.models import Administration, QuestionnaireLink, TimePoint

STATUS_TAGS = {
    "waiting": ("Waiting", "nhsuk-tag--blue"),
    "used": ("Answered", "nhsuk-tag--green"),
    "expired": ("Expired", "nhsuk-tag--grey"),
    "revoked": ("Withdrawn", "nhsuk-tag--grey"),
}


def status_tag(status: str) -> dict[str, str]:
    text, classes = STATUS_TAGS[status]
    return {"text": text, "classes": classes}


def time_point_text(value: str) -> str:
    try:
        return str(TimePoint(value).label)
    except ValueError:
        return value


def instrument_names(codes: Sequence[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes) or "None: consent only"


def was_withheld(message: Message | None) -> bool:
    return message is None or message.status == MessageStatus.WITHHELD


def _when(link: QuestionnaireLink, status: str) -> str:
    if status == "used" and link.used_at:
        return f"Answered {datetime_short(link.used_at)}"
    if status == "revoked" and link.revoked_at:
        by = f" by {link.revoked_by.full_name}" if link.revoked_by else " after 5 wrong dates of birth"
        return f"Withdrawn {datetime_short(link.revoked_at)}{by}"
    if status == "expired":
        return f"Expired {datetime_short(link.expires_at)}"
    return f"Expires {datetime_short(link.expires_at)}"


@dataclass(frozen=True)
class LinkRow:
    carer: str
    questionnaires: str
    time_point: str
    sent: str
    how_sent: str
    status: dict[str, str]
    when: str
    revoke_url: str


def link_rows(
    links: Sequence[QuestionnaireLink], messages: dict[str, Message], names: dict[str, str], now: dt.datetime
) -> list[LinkRow]:
    rows = []
    for link in links:
        status = status_of(link, now)
        rows.append(
            LinkRow(
                carer=link.carer.full_name,
                questionnaires=instrument_names(link.instruments, names),
                time_point=time_point_text(link.time_point),
                sent=f"{datetime_short(link.created_at)} by {link.sent_by.full_name}",
                how_sent=how_sent(messages.get(str(link.pk))),
                status=status_tag(status),
                when=_when(link, status),
                revoke_url=reverse("outcomes:revoke_link", args=[link.episode_id, link.pk])
                if status == "waiting"
                else "",
            )
        )
    return rows


def administration_url(administration: Administration) -> str:
    """The measure's page, when the recording pages are installed."""
    try:
        return reverse("outcomes:administration", args=[administration.pk])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class ReviewRow:
    questionnaire: str
    carer: str
    completed_on: str
    alert: bool
    url: str


def review_rows(administrations: Sequence[Administration], names: dict[str, str]) -> list[ReviewRow]:
    return [
        ReviewRow(
            questionnaire=names.get(a.instrument, a.instrument),
            carer=a.carer.full_name if a.carer else "",
            completed_on=date_long(a.completed_on),
            alert=bool(a.alerts),
            url=administration_url(a),
        )
        for a in administrations
    ]


def sent_rows(link: QuestionnaireLink, message: Message | None, names: dict[str, str]) -> list[SummaryRow]:
    """The summary list on the confirmation page."""
    rows = [
        ("Sent to", link.carer.full_name),
        ("Questionnaires", instrument_names(link.instruments, names)),
        ("Time point", time_point_text(link.time_point)),
        ("How", how_sent(message)),
        ("Link works until", f"{date_long(link.expires_at)} (once only)"),
    ]
    if link.asks_consent:
        rows.insert(2, ("Consent", "Asked to give or review their consent"))
    if link.infant is not None and link.infant.date_of_birth is None:
        rows.insert(1, ("Due date to confirm", "The baby's due date"))
    elif link.infant is not None:
        rows.insert(1, ("Date of birth to confirm", f"{link.infant.display_name}'s"))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


# The parent's pages --------------------------------------------------------------------------


def answer_text(instrument: Instrument, number: int, answer: int | None) -> str:
    if answer is None:
        return "Not answered"
    item = instrument.item(number)
    if item.numeric:
        return str(answer)
    return item.options[answer].label


@dataclass(frozen=True)
class CheckSection:
    title: str
    change_url: str
    rows: list[SummaryRow]


def check_sections(
    questionnaires: Sequence[Instrument], answers: dict[str, list[int | None]], urls: dict[str, str]
) -> list[CheckSection]:
    """Check-your-answers: one card per questionnaire, each question with the answer chosen."""
    sections = []
    for instrument in questionnaires:
        given = answers.get(instrument.code, [])
        rows = []
        for item in instrument.items:
            answer = given[item.number - 1] if item.number <= len(given) else None
            rows.append(
                {
                    "key": {"text": item_label(instrument, item.number)},
                    "value": {"text": answer_text(instrument, item.number, answer)},
                }
            )
        sections.append(CheckSection(title=instrument.name, change_url=urls[instrument.code], rows=rows))
    return sections


def step_caption(position: int, total: int) -> str:
    return f"Questionnaire {position} of {total}" if total > 1 else "Questionnaire"
