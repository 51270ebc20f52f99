"""The funding and cost pages: who sees what, forms that keep what was typed, audit, and query
counts that do not grow with the rows."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.tests.factories_diary import at
from attune.care.tests.pages import html, page_of
from attune.commissioning.models import FundingAgreement, PostCost
from attune.commissioning.tests.factories import agreement, post_cost
from attune.core.models import AuditEvent, Outcome
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.workforce.tests.factories import post

TODAY = dt.date(2026, 11, 27)
START, END = dt.date(2024, 11, 1), dt.date(2025, 3, 31)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    return lambda user: sign_in_client(Client(), user)


@pytest.fixture
def council_commissioner(world: World) -> User:
    person = UserFactory(full_name="Carys Council")
    MembershipFactory(user=person, role=Role.COMMISSIONER, team=None, organisation=world.satellite_area)
    return person


@pytest.fixture
def satellite_posts(world: World, trainee: User) -> FundingAgreement:
    """The demo's shape: the council pays the ICB for two satellite posts; the ICB pays the trust
    for the hub."""
    first = post(world.satellite, "Recruit-to-train therapist", START, END, trainee)
    second = post(world.satellite, "Recruit-to-train therapist", START, END)
    for each in (first, second):
        post_cost(each, "72965.25", START)
    agreement(
        world.icb,
        world.trust,
        [world.hub],
        amount="250000.00",
        purpose="Hub team",
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2025, 3, 31),
    )
    return agreement(world.satellite_area, world.icb, [world.satellite], posts=[first, second])


# The list ------------------------------------------------------------------------------------


def test_a_team_lead_sees_agreements_naming_their_teams(
    signed_in: Callable[[User], Client], world: World, team_lead: User, satellite_posts: FundingAgreement
) -> None:
    agreement(world.icb, world.other_trust, [world.other_team], purpose="Someone else's team")
    page = page_of(signed_in(team_lead).get("/funding"))
    assert "Mill Town Council to Example ICB" in page
    assert "£60,371.25" in page
    assert "1 November 2024 to 31 March 2025" in page
    assert "Example ICB to Example Hospitals NHS FT" in page
    assert "Someone else&#x27;s team" not in page
    assert "Elsewhere" not in page
    assert "Record a funding agreement" in page
    assert AuditEvent.objects.filter(action="commissioning.agreements_viewed", actor=team_lead).exists()


def test_a_council_commissioner_sees_only_what_the_council_funds(
    signed_in: Callable[[User], Client], council_commissioner: User, satellite_posts: FundingAgreement
) -> None:
    page = page_of(signed_in(council_commissioner).get("/funding"))
    assert "Mill Town Council to Example ICB" in page
    assert "Hub team" not in page
    assert "Record a funding agreement" not in page


def test_the_icb_commissioner_sees_both(
    signed_in: Callable[[User], Client], commissioner: User, satellite_posts: FundingAgreement
) -> None:
    page = page_of(signed_in(commissioner).get("/funding"))
    assert "Mill Town Council to Example ICB" in page
    assert "Example ICB to Example Hospitals NHS FT" in page


def test_people_without_the_aggregate_capability_get_403(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User
) -> None:
    assert signed_in(practitioner).get("/funding").status_code == 403
    assert signed_in(outsider).get("/funding").status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", outcome=Outcome.DENIED).count() == 2


def test_the_list_query_count_does_not_grow(
    signed_in: Callable[[User], Client], world: World, commissioner: User
) -> None:
    client = signed_in(commissioner)
    assert_flat(
        grow=growing(
            lambda: agreement(world.satellite_area, world.icb, [world.satellite, world.hub]),
            lambda: FundingAgreement.objects.count(),
        ),
        fetch=lambda: page_of(client.get("/funding")),
    )


# One agreement ------------------------------------------------------------------------------


def test_the_agreement_page_sets_staff_cost_against_the_amount(
    signed_in: Callable[[User], Client], team_lead: User, satellite_posts: FundingAgreement
) -> None:
    page = page_of(signed_in(team_lead).get(f"/funding/{satellite_posts.pk}"))
    assert "Staff cost of the funded posts over the agreement: £60,371.25 of £60,371.25" in page
    assert "Tina Trainee" in page  # the team lead sees who holds the posts
    assert "Change this agreement" in page
    event = AuditEvent.objects.get(action="commissioning.agreement_viewed")
    assert event.object_id == str(satellite_posts.pk)


def test_a_commissioner_sees_the_sums_and_post_titles_but_no_person(
    signed_in: Callable[[User], Client], council_commissioner: User, satellite_posts: FundingAgreement
) -> None:
    page = page_of(signed_in(council_commissioner).get(f"/funding/{satellite_posts.pk}"))
    assert "£60,371.25 of £60,371.25" in page
    assert "Recruit-to-train therapist" in page
    assert "Tina Trainee" not in page
    assert "Held by" not in page
    assert "Change this agreement" not in page


def test_an_agreement_for_teams_costs_the_teams_posts(
    signed_in: Callable[[User], Client], world: World, team_lead: User
) -> None:
    hub_post = post(world.hub, "Hub therapist", dt.date(2020, 1, 1), None)
    post_cost(hub_post, "36500.00", dt.date(2020, 1, 1))
    made = agreement(
        world.icb,
        world.trust,
        [world.hub],
        amount="9000.00",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
    )
    page = page_of(signed_in(team_lead).get(f"/funding/{made.pk}"))
    assert "Staff cost of the funded teams over the agreement: £9,100.00 of £9,000.00" in page


def test_strangers_get_404_for_an_agreement(
    signed_in: Callable[[User], Client], world: World, outsider: User, council_commissioner: User
) -> None:
    hub_only = agreement(world.icb, world.trust, [world.hub], purpose="Hub")
    assert signed_in(outsider).get(f"/funding/{hub_only.pk}").status_code == 404
    assert sign_in_client(Client(), council_commissioner).get(f"/funding/{hub_only.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", outcome=Outcome.NOT_FOUND).count() == 2


# Recording and changing ---------------------------------------------------------------------


def _form(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "funder": str(world.satellite_area.pk),
        "recipient": str(world.icb.pk),
        "amount": "£60,371.25",
        "starts_on-day": "1",
        "starts_on-month": "11",
        "starts_on-year": "2024",
        "ends_on-day": "31",
        "ends_on-month": "3",
        "ends_on-year": "2025",
        "purpose": "Two recruit-to-train therapists",
        "reference": "PO-881",
        "teams": [str(world.satellite.pk)],
    }
    return {**data, **changes}


def test_a_team_lead_records_an_agreement_for_their_satellite(
    signed_in: Callable[[User], Client], world: World, team_lead: User
) -> None:
    client = signed_in(team_lead)
    form = page_of(client.get("/funding/new"))
    assert "Example satellite team" in form
    assert "Elsewhere team" not in form
    response = client.post("/funding/new", _form(world))
    assert response.status_code == 302
    assert response["Location"] == "/funding"
    made = FundingAgreement.objects.get()
    assert (made.amount, made.reference, made.recorded_by) == (Decimal("60371.25"), "PO-881", team_lead)
    page = page_of(client.get("/funding"))
    assert "Funding agreement recorded: Mill Town Council to Example ICB, £60,371.25." in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "sixty thousand"}, "Enter the amount in pounds and pence, like 60371.25"),
        ({"amount": "10.005"}, "Enter the amount in pounds and pence, like 60371.25"),
        ({"ends_on-year": "2023"}, "The end date must be the same as or after the start date"),
        ({"teams": []}, "Choose at least one team"),
        ({"recipient": ""}, "Select the recipient"),
    ],
)
def test_mistakes_are_explained_and_what_was_typed_is_kept(
    signed_in: Callable[[User], Client], world: World, team_lead: User, changes: dict[str, object], message: str
) -> None:
    response = signed_in(team_lead).post("/funding/new", _form(world, **changes))
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "Two recruit-to-train therapists" in page
    assert "PO-881" in page
    assert not FundingAgreement.objects.exists()


def test_a_team_lead_cannot_fund_a_team_they_do_not_lead(
    signed_in: Callable[[User], Client], world: World, team_lead: User
) -> None:
    response = signed_in(team_lead).post("/funding/new", _form(world, teams=[str(world.other_team.pk)]))
    assert "Choose teams from the list" in html(response)
    assert not FundingAgreement.objects.exists()


def test_commissioners_and_practitioners_cannot_record_or_change(
    signed_in: Callable[[User], Client],
    world: World,
    commissioner: User,
    practitioner: User,
    satellite_posts: FundingAgreement,
) -> None:
    for person in (commissioner, practitioner):
        client = signed_in(person)
        assert client.get("/funding/new").status_code == 403
        assert client.post("/funding/new", _form(world)).status_code == 403
    assert signed_in(commissioner).get(f"/funding/{satellite_posts.pk}/change").status_code == 403
    assert signed_in(practitioner).get(f"/funding/{satellite_posts.pk}/change").status_code == 404
    assert FundingAgreement.objects.count() == 2


def test_a_team_lead_changes_an_agreement(
    signed_in: Callable[[User], Client], world: World, team_lead: User, satellite_posts: FundingAgreement
) -> None:
    client = signed_in(team_lead)
    form = page_of(client.get(f"/funding/{satellite_posts.pk}/change"))
    assert 'value="60371.25"' in form
    assert AuditEvent.objects.filter(action="commissioning.agreement_viewed", detail__page="change").exists()
    response = client.post(f"/funding/{satellite_posts.pk}/change", _form(world, amount="61000"))
    assert response.status_code == 302
    satellite_posts.refresh_from_db()
    assert satellite_posts.amount == Decimal("61000.00")
    assert list(satellite_posts.posts.all()) == []
    changed = AuditEvent.objects.get(action="commissioning.agreement_changed").detail["changed"]
    assert {"amount", "posts", "purpose", "reference"} <= set(changed)


# Post costs ---------------------------------------------------------------------------------


def test_a_team_lead_sees_and_adds_post_costs(
    signed_in: Callable[[User], Client], world: World, team_lead: User, practitioner: User
) -> None:
    therapist = post(world.hub, "Parent-infant therapist", dt.date(2020, 1, 1), None, practitioner)
    post_cost(therapist, "36500.00", dt.date(2020, 1, 1))
    post(world.hub, "Psychologist", dt.date(2026, 1, 1), None)
    client = signed_in(team_lead)
    page = page_of(client.get(f"/teams/{world.hub.pk}/costs"))
    assert "£36,500.00 from 1 January 2020" in page
    assert "Not recorded" in page
    # Quarter 3 2026-27 (October to December 2026): 92 days at £100.
    assert "This quarter (1 October 2026 to 31 December 2026)" in page
    assert "£9,200.00 (1 post without a recorded cost counted as £0)" in page
    assert "This financial year (2026-27)" in page
    assert "£36,500.00 (1 post without a recorded cost counted as £0)" in page
    assert AuditEvent.objects.filter(action="commissioning.costs_viewed", object_id=str(world.hub.pk)).exists()

    response = client.post(
        f"/teams/{world.hub.pk}/costs",
        {
            "post": str(therapist.pk),
            "annual_cost": "40150",
            "effective_from-day": "1",
            "effective_from-month": "12",
            "effective_from-year": "2026",
            "note": "Pay award",
        },
    )
    assert response.status_code == 302
    page = page_of(client.get(f"/teams/{world.hub.pk}/costs"))
    assert "Cost recorded for Parent-infant therapist: £40,150.00 a year." in page
    assert "£40,150.00 from 1 December 2026 (Pay award)" in page
    assert PostCost.objects.filter(post=therapist).count() == 2


def test_a_bad_cost_is_explained(signed_in: Callable[[User], Client], world: World, team_lead: User) -> None:
    therapist = post(world.hub, "Parent-infant therapist", dt.date(2020, 1, 1), None)
    response = signed_in(team_lead).post(
        f"/teams/{world.hub.pk}/costs",
        {
            "post": str(therapist.pk),
            "annual_cost": "-5",
            "effective_from-day": "1",
            "effective_from-month": "12",
            "effective_from-year": "2026",
        },
    )
    assert "Enter the annual cost in pounds and pence, like 52450.00" in html(response)
    assert 'value="-5"' in html(response)


def test_costs_are_for_team_leads_only(
    signed_in: Callable[[User], Client], world: World, practitioner: User, outsider: User, commissioner: User
) -> None:
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/costs").status_code == 403
    assert signed_in(outsider).get(f"/teams/{world.hub.pk}/costs").status_code == 404
    assert signed_in(commissioner).get(f"/teams/{world.hub.pk}/costs").status_code == 404


def test_the_costs_query_count_does_not_grow(
    signed_in: Callable[[User], Client], world: World, team_lead: User
) -> None:
    client = signed_in(team_lead)

    def add() -> None:
        made = post(world.hub, "Therapist", dt.date(2024, 1, 1), None)
        post_cost(made, "36500.00", dt.date(2024, 1, 1))
        post_cost(made, "40150.00", dt.date(2025, 4, 1))

    assert_flat(
        grow=growing(add, lambda: PostCost.objects.count() // 2),
        fetch=lambda: page_of(client.get(f"/teams/{world.hub.pk}/costs")),
    )


def test_the_audit_role_names_the_team_the_lead_acts_for(
    signed_in: Callable[[User], Client], team_lead: User, commissioner: User, satellite_posts: FundingAgreement
) -> None:
    # The lead leads the hub, so the satellite's agreement is hers through the hub.
    signed_in(team_lead).get(f"/funding/{satellite_posts.pk}")
    signed_in(commissioner).get(f"/funding/{satellite_posts.pk}")
    lead_event, commissioner_event = AuditEvent.objects.filter(action="commissioning.agreement_viewed").order_by("pk")
    assert lead_event.role == "Team lead, Example hub team"
    assert commissioner_event.role == "Commissioner, Example ICB"
