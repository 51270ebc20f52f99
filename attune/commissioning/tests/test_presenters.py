"""What the funding and cost pages show, built from unsaved objects: no database."""

import datetime as dt
from decimal import Decimal

from attune.commissioning import presenters
from attune.commissioning.models import FundingAgreement, PostCost
from attune.organisations.models import Organisation, Team
from attune.workforce.models import Post


def test_the_cost_on_a_day_is_the_latest_effective_on_or_before_it() -> None:
    costs = [
        PostCost(annual_cost=Decimal("54000"), effective_from=dt.date(2025, 4, 1), note="Pay award"),
        PostCost(annual_cost=Decimal("52450"), effective_from=dt.date(2024, 11, 1)),
    ]
    assert presenters.cost_on(costs, dt.date(2024, 10, 31)) is None
    assert presenters.cost_on(costs, dt.date(2025, 3, 31)) is costs[1]
    assert presenters.cost_on(costs, dt.date(2025, 4, 1)) is costs[0]
    assert presenters.history_text(costs) == (
        "£52,450.00 from 1 November 2024; £54,000.00 from 1 April 2025 (Pay award)"
    )
    assert presenters.history_text([]) == "No cost recorded"


def test_the_agreement_summary_and_cost_line() -> None:
    council, icb = Organisation(name="Blackburn with Darwen Borough Council"), Organisation(name="The ICB")
    agreement = FundingAgreement(
        funder=council,
        recipient=icb,
        amount=Decimal("60371.25"),
        starts_on=dt.date(2024, 11, 1),
        ends_on=dt.date(2025, 3, 31),
        purpose="Satellite posts",
        reference="PO-1",
    )
    rows = presenters.summary_rows(agreement, [Team(name="Satellite team")])
    assert [r["key"]["text"] for r in rows] == [
        "Funder",
        "Recipient",
        "Amount",
        "Period",
        "What it pays for",
        "Funder's reference",
        "Teams",
        "Funder's return",
    ]
    assert rows[-1]["value"]["html"] == (
        f'<a href="/reports/agreements/{agreement.pk}/">Referrals, outcomes, posts filled and spend to date</a>'
    )
    assert rows[3]["value"]["text"] == "1 November 2024 to 31 March 2025"
    assert presenters.cost_against_amount(Decimal("60000"), agreement, of_posts=True) == (
        "Staff cost of the funded posts over the agreement: £60,000.00 of £60,371.25"
    )


def test_post_rows_name_holders_only_when_asked() -> None:
    team = Team(name="Satellite team")
    vacant = Post(team=team, title="Therapist", starts_on=dt.date(2024, 11, 1), ends_on=None)
    assert presenters.post_rows([vacant], show_holders=False) == [
        [{"text": "Therapist"}, {"text": "Satellite team"}, {"text": "From 1 November 2024"}]
    ]
    assert presenters.post_rows([vacant], show_holders=True)[0][2] == {"text": "Vacant"}
    assert [h["text"] for h in presenters.post_head(show_holders=False)] == ["Post", "Team", "Contract"]


def test_team_cost_rows_say_how_many_posts_have_no_cost() -> None:
    rows = presenters.team_cost_rows([("This quarter", Decimal("9200"), 1), ("This year", Decimal("0"), 0)])
    assert rows[0]["value"]["text"] == "£9,200.00 (1 post without a recorded cost counted as £0)"
    assert rows[1]["value"]["text"] == "£0.00"
