"""Staff cost and funding for teams over a period, from the database in a fixed number of
queries whatever the number of posts or agreements. The arithmetic is in `costs` (pure)."""

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from attune.commissioning import costs
from attune.commissioning.models import FundingAgreement, PostCost
from attune.workforce.models import Post


@dataclass(frozen=True)
class StaffCost:
    cost: Decimal
    posts: int  # posts working some day of the period
    uncosted_posts: int  # of those, posts with days that have no recorded cost (counted as £0)


def _working(start: date, end: date) -> Q:
    return Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))


def _spans(posts: Q, start: date, end: date) -> list[costs.PostSpan]:
    """Two queries: the posts working in the period, then their cost rows up to its end."""
    found = list(Post.objects.filter(posts, _working(start, end)).values_list("pk", "starts_on", "ends_on"))
    rows: dict[uuid.UUID, list[tuple[date, Decimal]]] = defaultdict(list)
    if found:
        for post_id, effective_from, annual in PostCost.objects.filter(
            post_id__in=[pk for pk, _, _ in found], effective_from__lte=end
        ).values_list("post_id", "effective_from", "annual_cost"):
            rows[post_id].append((effective_from, annual))
    return [costs.PostSpan(starts, ends, tuple(rows[pk])) for pk, starts, ends in found]


def _summary(spans: list[costs.PostSpan], start: date, end: date) -> StaffCost:
    return StaffCost(
        cost=costs.staff_cost(spans, start, end),
        posts=len(spans),
        uncosted_posts=sum(1 for span in spans if costs.uncosted(span, start, end)),
    )


def staff_cost_detail(team_ids: Collection[uuid.UUID], start: date, end: date) -> StaffCost:
    return _summary(_spans(Q(team_id__in=list(team_ids)), start, end), start, end)


def staff_cost(team_ids: Collection[uuid.UUID], start: date, end: date) -> Decimal:
    """The staff cost of the teams' posts over [start, end] inclusive (at most 2 queries)."""
    return staff_cost_detail(team_ids, start, end).cost


def posts_staff_cost(post_ids: Collection[uuid.UUID], start: date, end: date) -> Decimal:
    return _summary(_spans(Q(pk__in=list(post_ids)), start, end), start, end).cost


def _agreements_of(funder_id: uuid.UUID, start: date, end: date) -> Q:
    return Q(funder_id=funder_id, starts_on__lte=end, ends_on__gte=start)


def funding(funder_id: uuid.UUID, team_ids: Collection[uuid.UUID], start: date, end: date) -> Decimal:
    """Money from the funder, in agreements naming any of the teams, falling in [start, end]
    (each agreement pro rata by days). One query."""
    return funding_recorded(funder_id, team_ids, start, end) or Decimal("0.00")


def funding_recorded(funder_id: uuid.UUID, team_ids: Collection[uuid.UUID], start: date, end: date) -> Decimal | None:
    """As `funding`, but None when no agreement of the funder for these teams overlaps the
    period at all: "none recorded" is not the same as an agreement worth £0. One query."""
    rows = list(
        FundingAgreement.objects.filter(_agreements_of(funder_id, start, end))
        .filter(
            pk__in=FundingAgreement.teams.through.objects.filter(team_id__in=list(team_ids)).values(
                "fundingagreement_id"
            )
        )
        .values_list("amount", "starts_on", "ends_on")
    )
    if not rows:
        return None
    total = sum((costs.funding_for_period(amount, s, e, start, end) for amount, s, e in rows), Decimal(0))
    return costs.to_pence(total)


def teams_funded_by(funder_id: uuid.UUID, start: date, end: date) -> set[uuid.UUID]:
    """Teams named in the funder's agreements that overlap [start, end]. One query."""
    return set(
        FundingAgreement.teams.through.objects.filter(
            fundingagreement__funder_id=funder_id,
            fundingagreement__starts_on__lte=end,
            fundingagreement__ends_on__gte=start,
        ).values_list("team_id", flat=True)
    )
