"""Staff cost and funding over a period: plain arithmetic on dates and Decimals. No Django here.

Every period is inclusive of its first and last day. Money is summed exactly and rounded to the
penny (half up, as accounts do) once, at the end, so the cost of a year is the sum of its days
and not of separately rounded quarters.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
# NHS pay (Agenda for Change) and on-costs are set per year, so a day costs a 365th of the
# annual figure. Leap days are ignored: 29 February costs a day like any other, so a leap year
# costs 366/365 of the annual figure. Finance teams pro-rate the same way for part-year posts.
DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class PostSpan:
    """A post's contract dates and its cost rows [(effective_from, annual_cost)], any order."""

    starts_on: date
    ends_on: date | None
    costs: Sequence[tuple[date, Decimal]] = field(default_factory=tuple)


def to_pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def overlap_days(a_start: date, a_end: date | None, b_start: date, b_end: date) -> int:
    """Days in both [a_start, a_end] and [b_start, b_end]; a_end None is open-ended."""
    first = max(a_start, b_start)
    last = b_end if a_end is None else min(a_end, b_end)
    return max(0, (last - first).days + 1)


def _cost_days(post: PostSpan, start: date, end: date) -> Decimal:
    """Annual cost x days, summed over the post's days in [start, end]: divided by 365 later."""
    first = max(post.starts_on, start)
    last = end if post.ends_on is None else min(post.ends_on, end)
    if last < first:
        return Decimal(0)
    rows = sorted(post.costs)
    total = Decimal(0)
    for index, (effective_from, annual) in enumerate(rows):
        # This row applies from its date until the day before the next row's date.
        row_last = rows[index + 1][0] - timedelta(days=1) if index + 1 < len(rows) else last
        days = overlap_days(effective_from, row_last, first, last)
        total += annual * days
    return total


def staff_cost(posts: Iterable[PostSpan], start: date, end: date) -> Decimal:
    """The staff cost of the posts over [start, end] inclusive, in pounds and pence. Days before
    a post's first cost row cost nothing (no cost is known for them)."""
    if end < start:
        raise ValueError("The end of the period is before its start")
    total = sum((_cost_days(post, start, end) for post in posts), Decimal(0))
    return to_pence(total / DAYS_IN_YEAR)


def uncosted(post: PostSpan, start: date, end: date) -> bool:
    """Whether the post works some day of [start, end] with no cost recorded for that day."""
    first = max(post.starts_on, start)
    last = end if post.ends_on is None else min(post.ends_on, end)
    if last < first:
        return False
    return not post.costs or min(day for day, _ in post.costs) > first


def funding_for_period(amount: Decimal, agreement_start: date, agreement_end: date, start: date, end: date) -> Decimal:
    """The part of an agreement's amount that falls in [start, end], pro rata by days of overlap:
    £60,371.25 over 151 days is £399.81 a day, so November 2024 (30 days) gets £11,994.29."""
    if agreement_end < agreement_start:
        raise ValueError("The agreement ends before it starts")
    days = overlap_days(agreement_start, agreement_end, start, end)
    whole = (agreement_end - agreement_start).days + 1
    return to_pence(amount * days / whole)
