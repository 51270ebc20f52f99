"""What the consent pages and the family page's consent section show: tags, rows and words."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.core.formatting import date_long, datetime_long
from attune.families.consent import person_label, purposes_for
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.models import Carer, Family, Infant
from attune.families.presenters import RecordSection, tag_html
from attune.notifications.models import Channel
from attune.notifications.services import Recipient

Person = Infant | Carer
Cell = dict[str, Any]

NOT_RECORDED = "Not recorded"
STATUS_COLOURS = {"Given": "green", "Refused": "red", "Withdrawn": "orange", NOT_RECORDED: "grey"}


def status_tag(consent: Consent | None) -> str:
    status = consent.status if consent is not None else NOT_RECORDED
    return tag_html(status, STATUS_COLOURS[status])


def consent_url(family: Family, person: Person) -> str:
    return reverse("families:consent", args=[family.pk, person.pk])


def withdraw_url(family: Family, person: Person, consent: Consent) -> str:
    return reverse("families:withdraw_consent", args=[family.pk, person.pk, consent.pk])


def current_rows(person: Person, current: list[Consent]) -> list[tuple[str, Consent | None]]:
    """Every purpose once, in order, with its current decision (none if never asked); sharing
    with another agency once per agency asked about, else once as never asked."""
    by_purpose = {c.purpose: c for c in current if c.purpose != ConsentPurpose.SHARE_OTHER}
    others = [c for c in current if c.purpose == ConsentPurpose.SHARE_OTHER]
    rows: list[tuple[str, Consent | None]] = []
    for purpose in purposes_for(person):
        if purpose == ConsentPurpose.SHARE_OTHER:
            if others:
                rows.extend((c.purpose_text, c) for c in others)
            else:
                rows.append((purpose.label, None))
        else:
            rows.append((purpose.label, by_purpose.get(purpose)))
    return rows


def family_section(family: Family, people: Iterable[Person], current: dict[str, list[Consent]]) -> RecordSection:
    """The family page's "Consent and information sharing": one row per person, what they have
    agreed to, refused or withdrawn, and how many purposes nobody has asked about yet. The
    person's name links to their consent page, where each decision and its history are."""
    rows: list[list[Cell]] = []
    for person in people:
        decisions = current_rows(person, current.get(str(person.pk), []))
        not_asked = sum(1 for _, consent in decisions if consent is None)
        given = [purpose for purpose, consent in decisions if consent is not None and consent.is_given]
        not_given = [
            f"{purpose} ({consent.status.lower()})"
            for purpose, consent in decisions
            if consent is not None and not consent.is_given
        ]
        rows.append(
            [
                {"html": format_html('<a href="{}">{}</a>', consent_url(family, person), person_label(person))},
                {"text": "; ".join(given) or "None"},
                {"text": "; ".join(not_given) or "None"},
                {"text": str(not_asked)},
            ]
        )
    return RecordSection(
        heading="Consent and information sharing",
        caption="What each person has agreed to now (open a person for each decision and its history)",
        head=[
            {"text": "Person"},
            {"text": "Agreed to"},
            {"text": "Refused or withdrawn"},
            {"text": "Not asked yet", "format": "numeric"},
        ],
        rows=rows,
        empty="Nobody is recorded in this family yet.",
    )


def decided_by(consent: Consent) -> str:
    """'Spoken, recorded by Jane Smith on 3 December 2026' or 'On the parent's own phone, ...'."""
    who = f"recorded by {consent.recorded_by.full_name}" if consent.recorded_by else "recorded by the parent"
    words = f"{consent.get_how_display()}, {who} on {date_long(consent.created_at)}"
    if consent.given_by_id is not None and consent.given_by is not None:
        words += f". Decided by {consent.given_by.full_name}"
    return words


def withdrawn_words(consent: Consent) -> str:
    if consent.withdrawn_at is None:
        return ""
    who = consent.withdrawn_by.full_name if consent.withdrawn_by else "the parent"
    words = f"Withdrawn {datetime_long(consent.withdrawn_at)} by {who} ({consent.get_withdrawn_how_display().lower()})"
    return f"{words}: {consent.withdrawn_reason}" if consent.withdrawn_reason else words


def person_current_rows(family: Family, person: Person, current: list[Consent]) -> list[list[Cell]]:
    """The consent page's table of current decisions, with a withdraw link where one stands."""
    rows: list[list[Cell]] = []
    for purpose, consent in current_rows(person, current):
        action: Cell = {"text": ""}
        if consent is not None and consent.is_given:
            action = {
                "html": format_html(
                    '<a href="{}">Withdraw<span class="nhsuk-u-visually-hidden"> consent: {}</span></a>',
                    withdraw_url(family, person, consent),
                    purpose,
                )
            }
        rows.append(
            [
                {"text": purpose},
                {"html": status_tag(consent)},
                {"text": (withdrawn_words(consent) or decided_by(consent)) if consent else ""},
                {"text": date_long(consent.review_on) if consent and consent.review_on and consent.is_given else ""},
                action,
            ]
        )
    return rows


def history_rows(history: list[Consent]) -> list[list[Cell]]:
    """Every decision, newest first: what, the decision as it was made, how and by whom, and any
    withdrawal."""
    return [
        [
            {"text": datetime_long(consent.created_at)},
            {"text": consent.purpose_text},
            {"text": consent.get_decision_display()},
            {"text": decided_by(consent)},
            {"text": withdrawn_words(consent)},
        ]
        for consent in history
    ]


def contact_words(route: Recipient) -> str:
    """How messages (reminders, questionnaire links) reach this carer now, consent counted."""
    if route.channel is None or route.withheld_reason:
        return f"Messages are not sent: {route.withheld_reason}"
    return f"By {Channel(route.channel).label.lower()}"


def consent_summary(consent: Consent) -> list[dict[str, Any]]:
    """The withdraw page's summary of the decision being withdrawn."""
    return [
        {"key": {"text": "Purpose"}, "value": {"text": consent.purpose_text}},
        {"key": {"text": "Decision"}, "value": {"html": status_tag(consent)}},
        {"key": {"text": "Given"}, "value": {"text": decided_by(consent)}},
    ]
