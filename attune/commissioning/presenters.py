"""What the funding and cost pages show. No queries here: views pass in what the scope found,
so these are tested without a database."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.commissioning import report_links
from attune.commissioning.models import FundingAgreement, PostCost
from attune.core.formatting import date_long, money
from attune.organisations.models import Team
from attune.workforce.models import Post

Cell = dict[str, Any]


def period_text(start: dt.date, end: dt.date) -> str:
    return f"{date_long(start)} to {date_long(end)}"


def agreement_url(agreement: FundingAgreement) -> str:
    return reverse("commissioning:agreement", args=[agreement.pk])


def change_url(agreement: FundingAgreement) -> str:
    return reverse("commissioning:change_agreement", args=[agreement.pk])


def team_names(teams: list[Team]) -> str:
    return ", ".join(team.name for team in teams)


AGREEMENT_HEAD = [
    {"text": "Funder to recipient"},
    {"text": "Amount", "format": "numeric"},
    {"text": "Period"},
    {"text": "Teams"},
]


def agreement_rows(agreements: list[FundingAgreement]) -> list[list[Cell]]:
    """One row each; the first cell links to the agreement (the teams must be prefetched)."""
    return [
        [
            {
                "html": format_html(
                    '<a href="{}">{} to {}</a><br><span class="nhsuk-body-s">{}</span>',
                    agreement_url(a),
                    a.funder.name,
                    a.recipient.name,
                    a.purpose,
                )
            },
            {"text": money(a.amount), "format": "numeric"},
            {"text": period_text(a.starts_on, a.ends_on)},
            {"text": team_names(list(a.teams.all()))},
        ]
        for a in agreements
    ]


def summary_rows(agreement: FundingAgreement, teams: list[Team]) -> list[dict[str, Any]]:
    rows = [
        {"key": {"text": "Funder"}, "value": {"text": agreement.funder.name}},
        {"key": {"text": "Recipient"}, "value": {"text": agreement.recipient.name}},
        {"key": {"text": "Amount"}, "value": {"text": money(agreement.amount)}},
        {"key": {"text": "Period"}, "value": {"text": period_text(agreement.starts_on, agreement.ends_on)}},
        {"key": {"text": "What it pays for"}, "value": {"text": agreement.purpose}},
        {"key": {"text": "Teams"}, "value": {"text": team_names(teams)}},
    ]
    if agreement.reference:
        rows.insert(5, {"key": {"text": "Funder's reference"}, "value": {"text": agreement.reference}})
    if href := report_links.return_url(agreement):
        # Everyone who may see an agreement may read its return (attune/reports/scope.py).
        rows.append(
            {
                "key": {"text": "Funder's return"},
                "value": {
                    "html": format_html('<a href="{}">Referrals, outcomes, posts filled and spend to date</a>', href)
                },
            }
        )
    return rows


def cost_against_amount(cost: Decimal, agreement: FundingAgreement, *, of_posts: bool) -> str:
    """The aggregate the agreement page leads with: no person in it."""
    what = "the funded posts" if of_posts else "the funded teams"
    return f"Staff cost of {what} over the agreement: {money(cost)} of {money(agreement.amount)}"


def post_rows(posts: list[Post], *, show_holders: bool) -> list[list[Cell]]:
    """Posts an agreement names. Holders' names only for team leads: a commissioner sees
    aggregates and post titles, never a person (ADR 0002)."""
    rows: list[list[Cell]] = []
    for post in posts:
        row: list[Cell] = [{"text": post.title}, {"text": post.team.name}]
        if show_holders:
            row.append({"text": post.holder.full_name if post.holder else "Vacant"})
        row.append(
            {"text": period_text(post.starts_on, post.ends_on) if post.ends_on else f"From {date_long(post.starts_on)}"}
        )
        rows.append(row)
    return rows


def post_head(*, show_holders: bool) -> list[Cell]:
    return [
        {"text": "Post"},
        {"text": "Team"},
        *([{"text": "Held by"}] if show_holders else []),
        {"text": "Contract"},
    ]


# Post costs ---------------------------------------------------------------------------------


def cost_on(costs: list[PostCost], day: dt.date) -> PostCost | None:
    """The latest cost row effective on or before the day."""
    found = None
    for row in sorted(costs, key=lambda c: c.effective_from):
        if row.effective_from <= day:
            found = row
    return found


def history_text(costs: list[PostCost]) -> str:
    if not costs:
        return "No cost recorded"
    return "; ".join(
        f"{money(c.annual_cost)} from {date_long(c.effective_from)}" + (f" ({c.note})" if c.note else "")
        for c in sorted(costs, key=lambda c: c.effective_from)
    )


COST_HEAD = [
    {"text": "Post"},
    {"text": "Held by"},
    {"text": "Contract"},
    {"text": "Annual cost now", "format": "numeric"},
    {"text": "History"},
]


def cost_rows(posts: list[Post], today: dt.date) -> list[list[Cell]]:
    """Each post with its annual cost today and every cost recorded (costs must be prefetched)."""
    rows: list[list[Cell]] = []
    for post in posts:
        costs = list(post.costs.all())
        current = cost_on(costs, today)
        contract = period_text(post.starts_on, post.ends_on) if post.ends_on else f"From {date_long(post.starts_on)}"
        rows.append(
            [
                {"text": post.title},
                {"text": post.holder.full_name if post.holder else "Vacant"},
                {"text": contract},
                {"text": money(current.annual_cost) if current else "Not recorded", "format": "numeric"},
                {"text": history_text(costs)},
            ]
        )
    return rows


def team_cost_rows(label_costs: list[tuple[str, Decimal, int]]) -> list[dict[str, Any]]:
    """[(period label, staff cost, posts without a cost)] as summary-list rows."""
    rows = []
    for label, cost, uncosted in label_costs:
        text = money(cost)
        if uncosted:
            text += f" ({uncosted} post{'' if uncosted == 1 else 's'} without a recorded cost counted as £0)"
        rows.append({"key": {"text": label}, "value": {"text": text}})
    return rows
