"""Setting the scene for commissioning tests: agreements and post costs straight into the
database (the actions are tested on their own)."""

import datetime as dt
from decimal import Decimal

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.commissioning.models import FundingAgreement, PostCost
from attune.organisations.models import Organisation, Team
from attune.workforce.models import Post

DEMO_START, DEMO_END = dt.date(2024, 11, 1), dt.date(2025, 3, 31)


def agreement(
    funder: Organisation,
    recipient: Organisation,
    teams: list[Team],
    *,
    amount: str = "60371.25",
    starts_on: dt.date = DEMO_START,
    ends_on: dt.date = DEMO_END,
    purpose: str = "Satellite posts",
    posts: list[Post] | None = None,
    recorded_by: User | None = None,
) -> FundingAgreement:
    made: FundingAgreement = FundingAgreement.objects.create(
        funder=funder,
        recipient=recipient,
        amount=Decimal(amount),
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        recorded_by=recorded_by or UserFactory(),
    )
    made.teams.set(teams)
    made.posts.set(posts or [])
    return made


def post_cost(post: Post, annual: str, effective_from: dt.date, recorded_by: User | None = None) -> PostCost:
    made: PostCost = PostCost.objects.create(
        post=post, annual_cost=Decimal(annual), effective_from=effective_from, recorded_by=recorded_by or UserFactory()
    )
    return made
