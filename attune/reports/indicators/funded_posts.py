"""Funded posts filled against those agreed: plain arithmetic on dates. No Django here.

A funder asks whether the posts it pays for were in place: not who held them (a commissioner
never sees a person), but on how many days of the agreement each post had someone in it. A post
is filled on a day when its contract runs that day, it has a holder, and the holder belongs to the
post's team that day (a membership of the team, in any role). A post the agreement names is agreed
for every day of the agreement so far: a post recruited late, or left empty, shows as days not
filled. Where the agreement names no posts and pays for its teams as a whole, each post of those
teams is agreed only for its own contract days, since the funder agreed to no particular post.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

Span = tuple[date, date | None]  # first and last day, inclusive; None: open-ended


@dataclass(frozen=True)
class FundedPost:
    team: str  # the team the post is in, for the row it counts in
    contract: Span
    named: bool  # named in the agreement (agreed for the whole period) or one of its teams' posts
    holder_spans: Sequence[Span] = field(default_factory=tuple)  # the holder in the team; () when vacant


@dataclass(frozen=True)
class PostDays:
    """One team's posts over the period: what was agreed and what was filled."""

    posts_agreed: int
    posts_filled: int  # filled on at least one day of the period
    days_agreed: int  # post-days: each post's agreed days added up
    days_filled: int


def _clip(span: Span, start: date, end: date) -> tuple[date, date] | None:
    first = max(span[0], start)
    last = end if span[1] is None else min(span[1], end)
    return (first, last) if first <= last else None


def agreed_days(post: FundedPost, start: date, end: date) -> int:
    """The days of [start, end] the post is agreed for (0 when the period has not begun)."""
    if end < start:
        return 0
    if post.named:
        return (end - start).days + 1
    clipped = _clip(post.contract, start, end)
    return 0 if clipped is None else (clipped[1] - clipped[0]).days + 1


def filled_days(post: FundedPost, start: date, end: date) -> int:
    """The days of [start, end] inside the post's contract on which its holder was in the team.
    Overlapping memberships (a trainee who became a practitioner) count each day once."""
    within = _clip(post.contract, start, end) if end >= start else None
    if within is None:
        return 0
    pieces = sorted(piece for span in post.holder_spans if (piece := _clip(span, *within)) is not None)
    days = 0
    reached = within[0] - timedelta(days=1)  # the last day already counted
    for first, last in pieces:
        first = max(first, reached + timedelta(days=1))
        if first <= last:
            days += (last - first).days + 1
            reached = last
    return days


def by_team(posts: Iterable[FundedPost], start: date, end: date) -> dict[str, PostDays]:
    """Each team's figures, by team, in the order the teams first appear."""
    found: dict[str, PostDays] = {}
    for post in posts:
        agreed = agreed_days(post, start, end)
        filled = filled_days(post, start, end)
        before = found.get(post.team, PostDays(0, 0, 0, 0))
        found[post.team] = PostDays(
            posts_agreed=before.posts_agreed + 1,
            posts_filled=before.posts_filled + (1 if filled else 0),
            days_agreed=before.days_agreed + agreed,
            days_filled=before.days_filled + filled,
        )
    return found
