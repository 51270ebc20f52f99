"""The service's intervention weights page (issue 15): who may open it, changing the weights from
a day on, what a mistake typed looks like, and the queries it costs."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care.models import InterventionWeight
from attune.care.tests.factories import CapacityFactory, intervention, seed_interventions, waiting_referral
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

SignIn = Callable[[User], Client]
PIP = "parent-infant-psychotherapy"
VIG = "video-interaction-guidance"
CODES = [
    "assessment",
    "circle-of-security",
    "consultation",
    PIP,
    VIG,
    "watch-wait-wonder",
]


@pytest.fixture(autouse=True)
def _interventions(db: None) -> None:
    seed_interventions()


def _url(world: World) -> str:
    return f"/services/{world.hub.service_id}/interventions"


def _dated(day: dt.date) -> dict[str, str]:
    return {
        "effective_from-day": str(day.day),
        "effective_from-month": str(day.month),
        "effective_from-year": str(day.year),
    }


def _form(day: dt.date | None = None, **typed: str) -> dict[str, str]:
    """Every weight as it starts, changed where `typed` says (by code, with _ for -)."""
    starting = {code: str(intervention(code).caseload_weight) for code in CODES}
    weights = {**starting, **{code.replace("_", "-"): value for code, value in typed.items()}}
    return {**{f"weight-{code}": value for code, value in weights.items()}, **_dated(day or timezone.localdate())}


def _lead_of(team: object) -> User:
    person: User = UserFactory(full_name="Sol Satellite")
    MembershipFactory(user=person, role=Role.TEAM_LEAD, team=team)
    return person


# Who may ---------------------------------------------------------------------------------------


def test_a_hub_team_lead_sees_the_weights_now_and_the_read_is_recorded(
    signed_in: SignIn, team_lead: User, world: World
) -> None:
    response = signed_in(team_lead).get(_url(world))
    assert response.status_code == 200
    html = response.text
    assert "Intervention weights" in html
    assert "Video Interaction Guidance" in html
    assert 'value="0.75"' in html  # the form starts from today's weights
    assert "Starting weight" in html
    assert f'href="/teams/{world.hub.pk}/settings"' in html  # back to the hub's team settings
    event = AuditEvent.objects.get(action="intervention_weights.viewed")
    assert event.actor == team_lead
    assert event.object_id == str(world.hub.service_id)


def test_a_system_administrator_of_the_provider_may_set_the_weights(
    signed_in: SignIn, system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    assert client.get(_url(world)).status_code == 200
    assert client.post(_url(world), _form(assessment="0.75")).status_code == 302
    assert InterventionWeight.objects.get().weight == Decimal("0.75")
    assert client.get(f"/services/{world.other_team.service_id}/interventions").status_code == 404


def test_a_satellite_lead_of_the_service_is_refused(signed_in: SignIn, world: World) -> None:
    client = signed_in(_lead_of(world.satellite))
    assert client.get(_url(world)).status_code == 403
    assert client.post(_url(world), _form(assessment="0.5")).status_code == 403
    assert not InterventionWeight.objects.exists()


def test_a_lead_in_another_service_does_not_find_the_page(signed_in: SignIn, world: World) -> None:
    client = signed_in(_lead_of(world.other_team))
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), _form(assessment="0.5")).status_code == 404
    assert not InterventionWeight.objects.exists()
    refusals = AuditEvent.objects.filter(action="access.refused")
    assert {(r.object_type, r.object_id) for r in refusals} == {("organisations.service", str(world.hub.service_id))}


@pytest.mark.parametrize(("person", "status"), [("practitioner", 403), ("supervisor", 403), ("outsider", 404)])
def test_others_are_refused(
    signed_in: SignIn, world: World, request: pytest.FixtureRequest, person: str, status: int
) -> None:
    client = signed_in(request.getfixturevalue(person))
    assert client.get(_url(world)).status_code == status
    assert client.post(_url(world), _form(assessment="0.5")).status_code == status
    assert not InterventionWeight.objects.exists()


def test_an_unknown_service_is_not_found(signed_in: SignIn, team_lead: User, world: World) -> None:
    assert signed_in(team_lead).get("/services/00000000-0000-0000-0000-000000000000/interventions").status_code == 404


# Changing them ---------------------------------------------------------------------------------


def test_a_change_from_today_is_saved_shown_and_audited(signed_in: SignIn, team_lead: User, world: World) -> None:
    client = signed_in(team_lead)
    response = client.post(_url(world), _form(video_interaction_guidance="1.25", consultation=".5"))
    assert response.status_code == 302
    assert response["Location"] == _url(world)
    today = timezone.localdate()
    saved = {(row.intervention.code, row.weight, row.effective_from) for row in InterventionWeight.objects.all()}
    assert saved == {(VIG, Decimal("1.25"), today), ("consultation", Decimal("0.50"), today)}
    event = AuditEvent.objects.get(action="intervention_weights.changed")
    assert event.detail["new"] == {"consultation": "0.50", VIG: "1.25"}
    assert event.detail["old"] == {"consultation": "0.25", VIG: "0.75"}
    page = client.get(_url(world)).text
    assert "The intervention weights are changed. The change applies today." in page
    assert f"Since {today.day} {today:%B %Y}" in page
    assert "Video Interaction Guidance: 1.25" in page  # the history


def test_a_change_from_a_later_day_shows_as_future_and_leaves_today_alone(
    signed_in: SignIn, team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    later = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(_url(world), _form(later, assessment="1"), follow=True)
    assert f"The change applies from {later.day} {later:%B %Y}." in response.text
    assert "Future" in response.text
    assert 'value="0.5"' in response.text  # the form still starts from today's weight
    assert InterventionWeight.objects.in_force(world.hub.service_id, timezone.localdate())[
        intervention("assessment").pk
    ] == Decimal("0.50")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the weight for Assessment"),
        ("heavy", "Enter the weight for Assessment as a number, like 0.75"),
        ("1,5", "Enter the weight for Assessment as a number, like 0.75"),
        ("²", "Enter the weight for Assessment as a number, like 0.75"),
        ("٣", "Enter the weight for Assessment as a number, like 0.75"),
        ("1e3", "Enter the weight for Assessment as a number, like 0.75"),
        ("9" * 30, "Enter the weight for Assessment as a number, like 0.75"),
        ("0", "Weight for Assessment must be between 0.25 and 5"),
        ("99", "Weight for Assessment must be between 0.25 and 5"),
        ("99999999999999999999", "Weight for Assessment must be between 0.25 and 5"),
        ("0.333", "Weight for Assessment must have no more than 2 decimal places, like 0.75"),
    ],
)
def test_a_bad_weight_gets_a_clear_message_and_keeps_everything_typed(
    signed_in: SignIn, team_lead: User, world: World, typed: str, message: str
) -> None:
    later = timezone.localdate() + dt.timedelta(days=3)
    response = signed_in(team_lead).post(_url(world), _form(later, assessment=typed, consultation="0.5"))
    assert response.status_code == 200
    html = response.text
    assert html.count(message) == 2  # in the error summary and by the box
    assert "<title>Error: " in html
    assert f'value="{typed}"' in html if typed else 'id="id_weight-assessment" name="weight-assessment"' in html
    assert 'value="0.5"' in html  # the other weight typed is kept
    assert f'value="{later.day}"' in html  # and the day
    assert not InterventionWeight.objects.exists()
    assert not AuditEvent.objects.filter(action="intervention_weights.changed").exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            {"effective_from-day": "", "effective_from-month": "", "effective_from-year": ""},
            "Enter the date the change applies from",
        ),
        (
            {"effective_from-day": "31", "effective_from-month": "2", "effective_from-year": "2027"},
            "must be a real date",
        ),
        (
            {"effective_from-day": "1", "effective_from-month": "1", "effective_from-year": "2001"},
            "The date the change applies from must be today or in the future",
        ),
    ],
)
def test_a_bad_day_gets_a_clear_message_and_keeps_the_weights_typed(
    signed_in: SignIn, team_lead: User, world: World, day: dict[str, str], message: str
) -> None:
    response = signed_in(team_lead).post(_url(world), {**_form(assessment="1.5"), **day})
    assert response.status_code == 200
    assert message in response.text
    assert 'value="1.5"' in response.text
    assert not InterventionWeight.objects.exists()


def test_saving_without_a_change_says_so(signed_in: SignIn, team_lead: User, world: World) -> None:
    response = signed_in(team_lead).post(_url(world), _form())
    assert response.status_code == 200
    assert "You have not changed any of the weights" in response.text
    assert not InterventionWeight.objects.exists()


def test_the_page_keeps_to_its_queries_however_long_the_history(
    signed_in: SignIn, team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    interventions = [intervention(code) for code in CODES]
    start = timezone.localdate() - dt.timedelta(days=300)

    def add(count: int) -> None:
        made = InterventionWeight.objects.count()
        InterventionWeight.objects.bulk_create(
            InterventionWeight(
                service=world.hub.service,
                intervention=interventions[n % len(interventions)],
                weight=Decimal("1.5"),
                effective_from=start + dt.timedelta(days=n),
            )
            for n in range(made, made + count)
        )

    assert_flat(grow=growing_in_bulk(add, InterventionWeight.objects.count), fetch=lambda: client.get(_url(world)))


# Where it is reached from, and what reads it ------------------------------------------------------


def test_the_hub_teams_settings_and_caseloads_link_to_the_weights_and_a_satellites_do_not(
    signed_in: SignIn, team_lead: User, system_admin: User, world: World
) -> None:
    href = f'href="{_url(world)}"'
    client = signed_in(team_lead)
    assert href in client.get(f"/teams/{world.hub.pk}/settings").text
    assert href in client.get(f"/teams/{world.hub.pk}/caseloads").text
    assert href not in signed_in(system_admin).get(f"/teams/{world.satellite.pk}/settings").text


def test_the_allocation_form_shows_each_interventions_weight_in_the_service_today(
    signed_in: SignIn, team_lead: User, practitioner: User, world: World
) -> None:
    CapacityFactory(team=world.hub, practitioner=practitioner)
    referral = waiting_referral(world.hub)
    InterventionWeight.objects.create(
        service=world.hub.service,
        intervention=intervention(VIG),
        weight=Decimal("1.25"),
        effective_from=timezone.localdate(),
    )
    InterventionWeight.objects.create(
        service=world.hub.service,
        intervention=intervention("assessment"),
        weight=Decimal("4"),
        effective_from=timezone.localdate() + dt.timedelta(days=1),
    )
    html = signed_in(team_lead).get(f"/teams/{world.hub.pk}/waiting-list/{referral.pk}/allocate").text
    assert "Caseload weight 1.25" in html
    assert "Caseload weight 4" not in html  # tomorrow's
    assert "Caseload weight 0.5" in html
