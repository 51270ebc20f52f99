"""A funder's return for one funding agreement: the posts it pays for filled against those agreed,
spend to date against the amount, and the cost per family seen and per completed episode. These
replace the teams' cost table in the agreement's report; the other sections (referrals, contacts,
episodes, outcomes, consultation and training) are the usual ones for its teams and period.

At most six queries whatever the data size: the agreement, its posts (or, when it names none, its
teams' posts), the holders' memberships of those teams, the posts' cost rows and the team names.

Post counts and post-days are about people (a post is usually one person) and are counts like any
other: suppressed and rounded when shared. Money is not about a person and is never suppressed;
the cost each is worked out from the shown, rounded count (attune/reports/tables.py).
"""

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from attune.commissioning import costs
from attune.commissioning.models import FundingAgreement, PostCost
from attune.core.formatting import date_long
from attune.organisations.models import Membership
from attune.reports.indicators import funded_posts
from attune.reports.indicators.common import Context
from attune.reports.indicators.costs import COLUMNS as COST_EACH_COLUMNS
from attune.reports.tables import Column, Figure, Fixed, Kind, Note, Row, Section, Table
from attune.workforce.models import Post

POSTS_COLUMNS = (
    Column("posts_agreed", "Posts agreed"),
    Column("posts_filled", "Posts filled at some point"),
    Column("days_agreed", "Post-days agreed"),
    Column("days_filled", "Post-days filled"),
    Column("share", "Post-days filled (%)", Kind.PERCENT, numerator="days_filled", denominator="days_agreed"),
)
MONEY = (Column("amount", "Amount", Kind.MONEY),)


def sections(context: Context) -> tuple[list[Section], list[Note]]:
    agreement_id = uuid.UUID(str(context.scope.agreement_id))
    found = FundingAgreement.objects.filter(pk=agreement_id).values_list("amount", "starts_on", "ends_on").first()
    if found is None:  # forgotten between the page's look-up and now: nothing to report
        return [], []
    amount, starts_on, ends_on = found
    # To date: the report's period already stops at today while the agreement runs
    # (build_report); an agreement that has not begun has no days yet.
    last = min(context.scope.end, context.today)
    posts, named = _posts(context, agreement_id, last)
    spans = _holder_spans(posts)
    cost_rows = _cost_rows([pk for pk, *_ in posts], last)
    names = context.team_names()
    funded = [
        funded_posts.FundedPost(
            team=str(team_id),
            contract=(starts, ends),
            named=named,
            holder_spans=tuple(spans.get((holder_id, team_id), ())) if holder_id is not None else (),
        )
        for _pk, team_id, starts, ends, holder_id in posts
    ]
    post_spans = [costs.PostSpan(starts, ends, tuple(cost_rows[pk])) for pk, _team, starts, ends, _holder in posts]
    started = last >= starts_on
    spend = costs.staff_cost(post_spans, starts_on, last) if started else Decimal("0.00")
    uncosted = sum(1 for span in post_spans if costs.uncosted(span, starts_on, last)) if started else 0
    due = costs.funding_for_period(amount, starts_on, ends_on, starts_on, last) if started else Decimal("0.00")
    spend_table = _spend_table(amount, due, spend, named=named, uncosted=uncosted, posts=len(posts), last=last)
    each = _cost_each_table(spend, context)
    posts_table = _posts_table(funded, starts_on, last, names, named=named)
    notes: list[Note] = []
    if not started:
        notes.append(
            Note(
                "This agreement starts on {day}: there is nothing to report for it yet.",
                {"day": Fixed(date_long(starts_on))},
            )
        )
    return [
        Section("posts", "Funded posts", (posts_table,)),
        Section("spend", "Spend against the amount", (spend_table, each)),
    ], notes


def _posts(
    context: Context, agreement_id: uuid.UUID, last: dt.date
) -> tuple[list[tuple[uuid.UUID, uuid.UUID, dt.date, dt.date | None, uuid.UUID | None]], bool]:
    """The posts the agreement names; if it names none, its teams' posts working in the period."""
    fields = ("pk", "team_id", "starts_on", "ends_on", "holder_id")
    named = list(Post.objects.filter(funding_agreements=agreement_id).order_by("starts_on", "pk").values_list(*fields))
    if named:
        return named, True
    working = Q(starts_on__lte=max(last, context.scope.start)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=context.scope.start)
    )
    return (
        list(
            Post.objects.filter(working, team_id__in=context.team_ids).order_by("starts_on", "pk").values_list(*fields)
        ),
        False,
    )


def _holder_spans(
    posts: list[tuple[uuid.UUID, uuid.UUID, dt.date, dt.date | None, uuid.UUID | None]],
) -> dict[tuple[uuid.UUID, uuid.UUID], list[funded_posts.Span]]:
    """(holder, team) -> the holder's memberships of that team, one query for every post."""
    holders = {holder for *_rest, holder in posts if holder is not None}
    teams = {team for _pk, team, *_rest in posts}
    found: dict[tuple[uuid.UUID, uuid.UUID], list[funded_posts.Span]] = defaultdict(list)
    if not holders:
        return found
    for user_id, team_id, starts, ends in Membership.objects.filter(user_id__in=holders, team_id__in=teams).values_list(
        "user_id", "team_id", "starts_on", "ends_on"
    ):
        found[(user_id, team_id)].append((starts, ends))
    return found


def _cost_rows(post_ids: list[uuid.UUID], last: dt.date) -> dict[uuid.UUID, list[tuple[dt.date, Decimal]]]:
    rows: dict[uuid.UUID, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    if post_ids:
        for post_id, effective_from, annual in PostCost.objects.filter(
            post_id__in=post_ids, effective_from__lte=last
        ).values_list("post_id", "effective_from", "annual_cost"):
            rows[post_id].append((effective_from, annual))
    return rows


def _posts_table(
    funded: list[funded_posts.FundedPost], start: dt.date, last: dt.date, names: dict[object, str], *, named: bool
) -> Table:
    figures = funded_posts.by_team(funded, start, last)
    # Every team of the agreement has a row, a team with no post included, in name order; a post
    # the agreement names in a team it does not name counts under the other teams.
    rows = [
        Row(name, _post_values(figures.get(str(team_id), funded_posts.PostDays(0, 0, 0, 0))))
        for team_id, name in names.items()
    ]
    others = [days for team, days in figures.items() if team not in {str(t) for t in names}]
    if others:
        rows.append(Row("Other teams", _post_values(_added(others))))
    total = _added(list(figures.values()))
    notes = [
        Note(
            "A post is filled on a day when its contract runs, it has a holder and the holder works in the team "
            "that day. Who holds a post is not shown."
        )
    ]
    if named:
        notes.append(Note("Each post the agreement names is agreed for every day of the agreement so far."))
    else:
        notes.append(
            Note(
                "The agreement names no posts, so these are its teams' posts, each agreed for the days of its "
                "contract in the agreement so far."
            )
        )
    return Table(
        key="funded_posts",
        title="Funded posts filled against those agreed",
        columns=POSTS_COLUMNS,
        rows=tuple(rows),
        total=Row("Total", _post_values(total)),
        description=(
            "The posts the agreement pays for, and on how many of the agreement's days so far each had someone in it: "
            "a post-day is one post for one day."
        ),
        notes=tuple(notes),
    )


def _added(found: list[funded_posts.PostDays]) -> funded_posts.PostDays:
    return funded_posts.PostDays(
        posts_agreed=sum(d.posts_agreed for d in found),
        posts_filled=sum(d.posts_filled for d in found),
        days_agreed=sum(d.days_agreed for d in found),
        days_filled=sum(d.days_filled for d in found),
    )


def _post_values(days: funded_posts.PostDays) -> dict[str, int | float | Decimal | None]:
    return {
        "posts_agreed": days.posts_agreed,
        "posts_filled": days.posts_filled,
        "days_agreed": days.days_agreed,
        "days_filled": days.days_filled,
    }


def _spend_table(
    amount: Decimal, due: Decimal, spend: Decimal, *, named: bool, uncosted: int, posts: int, last: dt.date
) -> Table:
    of_what = "the funded posts" if named else "the teams' posts"
    rows = (
        Row("Amount of the agreement", {"amount": amount}),
        Row("The amount for the agreement's days so far", {"amount": due}),
        Row(f"Spend to date: staff cost of {of_what}", {"amount": spend}),
        Row("Amount left after spend to date", {"amount": amount - spend}),
    )
    notes = [
        Note(
            "Spend to date runs to {day}. Staff cost is each post's annual cost (salary plus on-costs) divided by "
            "{days} for every day of the post's contract, at the cost in force on that day.",
            {"day": Fixed(date_long(last)), "days": Fixed(str(costs.DAYS_IN_YEAR))},
        ),
        Note("The amount for the days so far is the amount pro rata by the days of the agreement that have passed."),
    ]
    if uncosted:
        # No "has" or "have": a verb that agrees with the count would give a hidden 1 away.
        notes.append(
            Note(
                "Posts with no recorded cost for some or all of the agreement: {uncosted} of {posts}. Those days "
                "count as {nothing}, so the spend is understated.",
                {"uncosted": Figure(uncosted), "posts": Figure(posts), "nothing": Fixed("£0")},
            )
        )
    return Table(
        key="spend",
        title="Spend to date against the amount",
        columns=MONEY,
        rows=rows,
        description="The agreement's amount, the part of it for the days so far, and what its posts have cost to date.",
        notes=tuple(notes),
    )


def _cost_each_table(spend: Decimal, context: Context) -> Table:
    rows = (
        Row("Per family seen", {"cost": spend, "number": context.counts.get("families_seen", 0)}),
        Row("Per completed episode", {"cost": spend, "number": context.counts.get("completed_episodes", 0)}),
    )
    return Table(
        key="cost_each",
        title="Cost per family seen and per completed episode",
        columns=COST_EACH_COLUMNS,
        rows=rows,
        description=(
            "The spend to date divided by the families the agreement's teams saw (at least one attended contact) "
            "and the episodes they completed over the same days."
        ),
        notes=(Note("Where the number is hidden, so is the cost each: dividing the spend by it would give it back."),),
    )
