"""Commissioning actions: each checks its rules and writes its audit event in the same
transaction. Errors are CommissioningError with a message fit to show the person."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from attune.commissioning.models import FundingAgreement, PostCost
from attune.core import audit
from attune.core.actors import Actor
from attune.organisations.models import Organisation, Team
from attune.workforce.models import Post

MAX_AMOUNT = Decimal("9999999999.99")  # what the amount column holds (12 digits, 2 after the point)
MAX_ANNUAL_COST = Decimal("99999999.99")


class CommissioningError(Exception):
    """A change the rules do not allow; the message is fit to show the person."""


def _check_agreement(
    *,
    funder: Organisation,
    recipient: Organisation,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    purpose: str,
    teams: Sequence[Team],
    posts: Sequence[Post],
) -> None:
    if funder.pk == recipient.pk:
        raise CommissioningError("The funder and the recipient must be different organisations")
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise CommissioningError("Enter the amount in pounds and pence, like 60371.25")
    if ends_on < starts_on:
        raise CommissioningError("The end date must be the same as or after the start date")
    if not purpose.strip():
        raise CommissioningError("Enter what the money is for")
    if not teams:
        raise CommissioningError("Choose at least one team")
    team_ids = {team.pk for team in teams}
    if any(post.team_id not in team_ids for post in posts):
        raise CommissioningError("Choose posts only in the teams the agreement pays for")


@transaction.atomic
def record_agreement(
    *,
    actor: Actor,
    funder: Organisation,
    recipient: Organisation,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    purpose: str,
    teams: Sequence[Team],
    posts: Sequence[Post] = (),
    reference: str = "",
) -> FundingAgreement:
    _check_agreement(
        funder=funder,
        recipient=recipient,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        teams=teams,
        posts=posts,
    )
    agreement = FundingAgreement.objects.create(
        funder=funder,
        recipient=recipient,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose.strip(),
        reference=reference.strip(),
        recorded_by=actor.person,
    )
    agreement.teams.set(teams)
    agreement.posts.set(posts)
    audit.record(
        action="commissioning.agreement_recorded",
        actor=actor,
        obj=agreement,
        detail={
            "funder": str(funder.pk),
            "recipient": str(recipient.pk),
            "amount": str(amount),
            "teams": sorted(str(t.pk) for t in teams),
        },
    )
    return agreement


def _snapshot(agreement: FundingAgreement) -> dict[str, Any]:
    """What a change is compared on, as the audit detail records it (no people's names)."""
    return {
        "funder": str(agreement.funder_id),
        "recipient": str(agreement.recipient_id),
        "amount": str(agreement.amount),
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "purpose": agreement.purpose,
        "reference": agreement.reference,
        "teams": sorted(str(pk) for pk in agreement.teams.values_list("pk", flat=True)),
        "posts": sorted(str(pk) for pk in agreement.posts.values_list("pk", flat=True)),
    }


@transaction.atomic
def change_agreement(
    *,
    actor: Actor,
    agreement: FundingAgreement,
    funder: Organisation,
    recipient: Organisation,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    purpose: str,
    teams: Sequence[Team],
    posts: Sequence[Post] = (),
    reference: str = "",
) -> FundingAgreement:
    """Change an agreement; the audit event keeps each changed field's old and new value."""
    _check_agreement(
        funder=funder,
        recipient=recipient,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        teams=teams,
        posts=posts,
    )
    # Lock the row so two people changing it at once cannot lose each other's change unseen.
    FundingAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
    before = _snapshot(agreement)
    agreement.funder, agreement.recipient, agreement.amount = funder, recipient, amount
    agreement.starts_on, agreement.ends_on = starts_on, ends_on
    agreement.purpose, agreement.reference = purpose.strip(), reference.strip()
    agreement.save()
    agreement.teams.set(teams)
    agreement.posts.set(posts)
    after = _snapshot(agreement)
    changed = {key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]}
    audit.record(
        action="commissioning.agreement_changed",
        actor=actor,
        obj=agreement,
        detail={"changed": changed},
    )
    return agreement


@transaction.atomic
def record_post_cost(
    *,
    actor: Actor,
    post: Post,
    annual_cost: Decimal,
    effective_from: dt.date,
    note: str = "",
) -> PostCost:
    """A post's annual cost from a date. A pay rise is a new row; a second cost for the same day
    replaces nothing and is refused, so the history stays as it was recorded."""
    if not annual_cost.is_finite() or annual_cost < 0 or annual_cost > MAX_ANNUAL_COST:
        raise CommissioningError("Enter the annual cost in pounds and pence, like 52450.00")
    if annual_cost != annual_cost.quantize(Decimal("0.01")):
        raise CommissioningError("Enter the annual cost in pounds and pence, like 52450.00")
    if post.ends_on is not None and effective_from > post.ends_on:
        raise CommissioningError("The date the cost applies from must be on or before the post ends")
    if PostCost.objects.filter(post=post, effective_from=effective_from).exists():
        raise CommissioningError("A cost from that date is already recorded for this post: choose another date")
    cost = PostCost.objects.create(
        post=post,
        annual_cost=annual_cost,
        effective_from=effective_from,
        note=note.strip(),
        recorded_by=actor.person,
    )
    audit.record(
        action="commissioning.post_cost_recorded",
        actor=actor,
        obj=cost,
        detail={"post": str(post.pk), "team": str(post.team_id), "effective_from": effective_from.isoformat()},
    )
    return cost
