"""The demo's money (DESIGN.md scenario): the ICB commissions the trust to run the Blackpool hub
team, one agreement per financial year; Blackburn with Darwen Council pays the ICB £60,371.25 for
the two satellite posts from 1 November 2024 to 31 March 2025, and again for their extensions;
every demo post has an annual cost, the hub's with yearly pay awards.

The satellite posts cost £72,965.25 a year each, so their staff cost over the council's 151 days
is 2 x 72,965.25 x 151 / 365 = £60,371.25: the contribution pays for the posts exactly.

Loading is idempotent: agreements are found by funder, recipient and start date, costs by post and
date; the extension agreement follows the extension posts' end dates, which move with today
(demo_workforce). Runs after demo_workforce, which makes the posts.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attune.accounts.models import User
from attune.commissioning import costs, services
from attune.commissioning.models import FundingAgreement, PostCost
from attune.core import periods
from attune.nonprod import demo_workforce, scenario
from attune.nonprod.actors import demo_actor
from attune.organisations.models import Organisation, Team
from attune.workforce.models import Post

SATELLITE_CONTRIBUTION = Decimal("60371.25")
SATELLITE_ANNUAL = Decimal("72965.25")
# The 2025-26 Agenda for Change award (3.6%) on the extension contracts.
EXTENSION_ANNUAL = Decimal("75592.00")
HUB_PURPOSE = "Blackpool PAIRS hub team"
SATELLITE_PURPOSE = "Two recruit-to-train parent-infant therapists in Blackburn with Darwen family hubs"
EXTENSION_PURPOSE = "Extension of the two Blackburn with Darwen recruit-to-train posts"
# The ICB's yearly contract for the hub: its two posts plus non-pay (rooms, travel, training).
HUB_YEARS = (
    (dt.date(2024, 4, 1), Decimal("182000.00")),
    (dt.date(2025, 4, 1), Decimal("188500.00")),
    (dt.date(2026, 4, 1), Decimal("195000.00")),
)
# Loaded in a later financial year, the demo goes on: each year's contract and pay award add this
# much to the year before, so the current year always has its money and its costs.
LATER_YEARS_UPLIFT = Decimal("1.035")
# Each hub post's annual cost including on-costs, with the pay awards of later years.
HUB_COSTS = {
    "Consultant parent-infant psychotherapist and clinical supervisor": (
        (scenario.HUB_START, Decimal("96800.00")),
        (dt.date(2024, 4, 1), Decimal("104600.00")),
        (dt.date(2025, 4, 1), Decimal("108370.00")),
        (dt.date(2026, 4, 1), Decimal("112160.00")),
    ),
    "Parent-infant therapist": (
        (scenario.HUB_START, Decimal("59900.00")),
        (dt.date(2024, 4, 1), Decimal("64700.00")),
        (dt.date(2025, 4, 1), Decimal("67030.00")),
        (dt.date(2026, 4, 1), Decimal("69380.00")),
    ),
}


def _carried_on(dated: tuple[tuple[dt.date, Decimal], ...], today: dt.date) -> list[tuple[dt.date, Decimal]]:
    """`dated` (from each 1 April, an amount) and, after its last year, one more year up to the
    financial year `today` is in, each LATER_YEARS_UPLIFT more than the last, to the pound."""
    found = list(dated)
    while (last := found[-1][0]).year < periods.financial_year_of(today):
        found.append((dt.date(last.year + 1, 4, 1), (found[-1][1] * LATER_YEARS_UPLIFT).quantize(Decimal("1"))))
    return found


def _agreement(
    *,
    funder: Organisation,
    recipient: Organisation,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    purpose: str,
    teams: list[Team],
    posts: list[Post],
    lead: User,
) -> FundingAgreement:
    found = FundingAgreement.objects.filter(funder=funder, recipient=recipient, starts_on=starts_on).first()
    if found is None:
        return services.record_agreement(
            actor=demo_actor(lead),
            funder=funder,
            recipient=recipient,
            amount=amount,
            starts_on=starts_on,
            ends_on=ends_on,
            purpose=purpose,
            teams=teams,
            posts=posts,
        )
    if (found.amount, found.ends_on) != (amount, ends_on):
        # Re-dated with the posts it pays for; a demo refresh, not a change anyone made.
        FundingAgreement.objects.filter(pk=found.pk).update(amount=amount, ends_on=ends_on)
    return found


def _cost(post: Post, effective_from: dt.date, annual: Decimal, lead: User, note: str = "") -> None:
    if not PostCost.objects.filter(post=post, effective_from=effective_from).exists():
        services.record_post_cost(
            actor=demo_actor(lead), post=post, annual_cost=annual, effective_from=effective_from, note=note
        )


@transaction.atomic
def load(*, teams: dict[str, Team], users: dict[str, User], today: dt.date | None = None) -> list[FundingAgreement]:
    today = today or timezone.localdate()
    icb = Organisation.objects.get(code=scenario.ORGANISATIONS["icb"].code)
    trust = Organisation.objects.get(code=scenario.ORGANISATIONS["trust"].code)
    council = Organisation.objects.get(code=scenario.ORGANISATIONS["bwd_council"].code)
    lead, hub, satellite = users["team_lead"], teams["hub"], teams["satellite"]

    first = list(Post.objects.filter(team=satellite, ends_on=demo_workforce.FIRST_CONTRACT[1]).order_by("pk"))
    extensions = list(Post.objects.filter(team=satellite, title=demo_workforce.EXTENSION_TITLE).order_by("pk"))
    for post in first:
        _cost(post, post.starts_on, SATELLITE_ANNUAL, lead, "Band 6 recruit-to-train, 2024-25")
    for post in extensions:
        _cost(post, post.starts_on, EXTENSION_ANNUAL, lead, "2025-26 pay award")
    for post in Post.objects.filter(team=hub, title__in=HUB_COSTS):
        for effective_from, annual in _carried_on(HUB_COSTS[post.title], today):
            _cost(post, effective_from, annual, lead)

    made = [
        _agreement(
            funder=icb,
            recipient=trust,
            amount=amount,
            starts_on=starts_on,
            ends_on=dt.date(starts_on.year + 1, 3, 31),
            purpose=HUB_PURPOSE,
            teams=[hub],
            posts=[],
            lead=lead,
        )
        for starts_on, amount in _carried_on(HUB_YEARS, today)
    ]
    made.append(
        _agreement(
            funder=council,
            recipient=icb,
            amount=SATELLITE_CONTRIBUTION,
            starts_on=demo_workforce.FIRST_CONTRACT[0],
            ends_on=demo_workforce.FIRST_CONTRACT[1],
            purpose=SATELLITE_PURPOSE,
            teams=[satellite],
            posts=first,
            lead=lead,
        )
    )
    if extensions:
        # The extension pays for what the extended posts cost, to the day they end.
        ends = max(p.ends_on or demo_workforce.EXTENSION_STARTS for p in extensions)
        spans = [costs.PostSpan(p.starts_on, p.ends_on, ((p.starts_on, EXTENSION_ANNUAL),)) for p in extensions]
        made.append(
            _agreement(
                funder=council,
                recipient=icb,
                amount=costs.staff_cost(spans, demo_workforce.EXTENSION_STARTS, ends),
                starts_on=demo_workforce.EXTENSION_STARTS,
                ends_on=ends,
                purpose=EXTENSION_PURPOSE,
                teams=[satellite],
                posts=extensions,
                lead=lead,
            )
        )
    return made


def load_for_scenario() -> list[FundingAgreement]:
    """Load the money onto the scenario once `demo_workforce.load_for_scenario()` has made the posts."""
    found = scenario.teams()
    teams = {"hub": found[0], "satellite": found[1]}
    users = {person.key: User.objects.get(email=person.email) for person in scenario.PEOPLE}
    return load(teams=teams, users=users)
