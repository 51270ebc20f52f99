"""A risk alert's page: its history (raised, action recorded, review) and whether a review is
due and by when. Built from what the view fetched, without touching the database."""

import datetime as dt
from dataclasses import dataclass

from attune.accounts.models import User
from attune.core.formatting import datetime_long, day_long, time_short
from attune.core.rows import SummaryRow
from attune.families.models import FamilyAlert
from attune.families.presenters import tag_html

NOT_RECORDED = "Not recorded"


def _name(person: User | None) -> str:
    return person.full_name if person is not None else NOT_RECORDED


def _row(key: str, text: str) -> SummaryRow:
    return {"key": {"text": key}, "value": {"text": text or NOT_RECORDED}}


@dataclass(frozen=True)
class HistoryStep:
    heading: str
    rows: list[SummaryRow]


@dataclass(frozen=True)
class AlertHistory:
    status_html: str
    is_open: bool
    high_risk: bool
    steps: list[HistoryStep]
    # While a review is due: "3:05pm on Tuesday 1 December 2026", and who has been asked.
    review_due: str
    review_overdue: bool
    reviewers: str


def status_html(alert: FamilyAlert, now: dt.datetime) -> str:
    if alert.closed_at is None:
        return tag_html("Open", "red")
    if alert.review_is_due:
        assert alert.review_due_at is not None
        if alert.review_due_at < now:
            return tag_html("Review overdue", "red")
        return tag_html("Waiting for review", "yellow")
    if alert.reviewed_at is not None:
        return tag_html("Reviewed", "green")
    return tag_html("Action recorded", "green")


def alert_history(
    alert: FamilyAlert, *, measure: str, about: str, reviewers: list[User], now: dt.datetime
) -> AlertHistory:
    steps = [
        HistoryStep(
            heading="Raised",
            rows=[
                _row("Alert", alert.message),
                _row("When", datetime_long(alert.created_at)),
                _row("Raised by", f"The {measure} about {about}"),
                _row(
                    "Risk level",
                    "High risk: a clinical supervisor reviews the action taken" if alert.high_risk else "Risk",
                ),
            ],
        )
    ]
    if alert.closed_at is not None:
        recorded = f"{datetime_long(alert.closed_at)}, {_name(alert.closed_by)}"
        steps.append(
            HistoryStep(
                heading="Action recorded",
                rows=[
                    _row("What was done", ", ".join(alert.actions_done_labels)),
                    _row("Who took the action", _name(alert.action_done_by) if alert.action_done_at else ""),
                    _row("When", datetime_long(alert.action_done_at)),
                    _row("What was done and decided", alert.action_taken),
                    _row("Recorded", recorded),
                ],
            )
        )
    if alert.reviewed_at is not None:
        steps.append(
            HistoryStep(
                heading="Review",
                rows=[
                    _row("Outcome", alert.get_review_outcome_display()),
                    _row("Comment", alert.review_comment),
                    _row("Reviewed by", _name(alert.reviewed_by)),
                    _row("When", datetime_long(alert.reviewed_at)),
                ],
            )
        )
    due = alert.review_due_at if alert.review_is_due else None
    return AlertHistory(
        status_html=status_html(alert, now),
        is_open=alert.closed_at is None,
        high_risk=alert.high_risk,
        steps=steps,
        review_due=f"{time_short(due)} on {day_long(due)}" if due is not None else "",
        review_overdue=due is not None and due < now,
        reviewers=", ".join(person.full_name for person in reviewers),
    )
