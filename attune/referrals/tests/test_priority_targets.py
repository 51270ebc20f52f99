"""Priorities as a team setting: a first-contact target for urgent, soon and routine referrals,
set with the team's rules from a day on, never an urgent family given longer than a soon one or a
soon one longer than a routine one, and shown where a coordinator chooses the priority."""

import datetime as dt
import importlib
import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.families.tests.factories import CarerFactory, FamilyFactory, InfantFactory
from attune.organisations.tests.world import World
from attune.referrals import first_contact, services
from attune.referrals.first_contact import PriorityTargets
from attune.referrals.models import SINCE_THE_START, EligibilityRules, Referral
from attune.referrals.tests.factories import ReferralFactory

RULES = {
    "max_age_years": "5",
    "accepts_unborn": "yes",
    "antenatal_from_week": "",
    "triage_target_working_days": "5",
    "first_contact_target_working_days": "20",
    "urgent_first_contact_target_working_days": "5",
    "soon_first_contact_target_working_days": "10",
    "default_max_weighted_caseload": "12",
}
URGENT = "urgent_first_contact_target_working_days"
SOON = "soon_first_contact_target_working_days"


def _dated(day: dt.date) -> dict[str, str]:
    return {
        "effective_from-day": str(day.day),
        "effective_from-month": str(day.month),
        "effective_from-year": str(day.year),
    }


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _rules_url(world: World) -> str:
    return f"/teams/{world.hub.pk}/settings/rules"


# Unit: the order of the targets ------------------------------------------------------------------


def test_a_priority_reads_its_own_target_and_no_priority_reads_routine() -> None:
    targets = PriorityTargets(urgent=3, soon=8, routine=20)
    assert [targets.of(p) for p in ("urgent", "soon", "routine", "")] == [3, 8, 20, 20]


def test_targets_in_order_have_no_problems() -> None:
    assert first_contact.order_problems(PriorityTargets(5, 10, 20)) == {}
    assert first_contact.order_problems(PriorityTargets(10, 10, 10)) == {}


def test_an_urgent_target_longer_than_soon_or_soon_longer_than_routine_is_a_problem() -> None:
    assert first_contact.order_problems(PriorityTargets(12, 10, 20)) == {
        "urgent": "First contact target for urgent referrals must be no more than the target for soon referrals "
        "(10 working days)"
    }
    assert first_contact.order_problems(PriorityTargets(5, 25, 20)) == {
        "soon": "First contact target for soon referrals must be no more than the first contact target for "
        "routine referrals (20 working days)"
    }


def test_the_history_gives_the_targets_in_force_on_the_day_and_the_default_before() -> None:
    team = "team"
    history = first_contact.History.of(
        [team],  # type: ignore[list-item]
        [(team, dt.date(2026, 6, 1), PriorityTargets(2, 4, 8)), (team, dt.date(2026, 1, 1), PriorityTargets(3, 6, 9))],  # type: ignore[list-item]
        default=PriorityTargets(5, 10, 20),
    )
    assert history.on(team, dt.date(2025, 12, 31)) == PriorityTargets(5, 10, 20)  # type: ignore[arg-type]
    assert history.target(team, dt.date(2026, 5, 31), "soon") == 6  # type: ignore[arg-type]
    assert history.target(team, dt.date(2026, 6, 1), "urgent") == 2  # type: ignore[arg-type]


# The data migration: the rows there were get the defaults, never longer than routine ----------


def test_the_migration_gives_existing_rules_the_defaults_no_longer_than_their_routine_target(world: World) -> None:
    migration = importlib.import_module("attune.referrals.migrations.0004_priority_first_contact_targets")
    world.hub.rules_history.update(first_contact_target_working_days=20)
    world.satellite.rules_history.update(first_contact_target_working_days=8)
    world.other_team.rules_history.update(first_contact_target_working_days=3)

    migration.no_longer_than_routine(apps, None)

    def targets(team: Any) -> PriorityTargets:
        return team.rules_history.get().first_contact_targets

    assert targets(world.hub) == PriorityTargets(5, 10, 20)
    assert targets(world.satellite) == PriorityTargets(5, 8, 8)
    assert targets(world.other_team) == PriorityTargets(3, 3, 3)
    assert world.hub.rules_history.get().effective_from == SINCE_THE_START


# The rules page ----------------------------------------------------------------------------------


def test_a_team_lead_sets_the_urgent_and_soon_targets_from_a_day_on(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    form = _text(client.get(_rules_url(world)))
    assert "First contact target for urgent referrals, in working days" in form
    assert "First contact target for soon referrals, in working days" in form
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(_rules_url(world), {**RULES, URGENT: "3", SOON: "7", **_dated(tomorrow)})

    assert response.status_code == 302
    row = EligibilityRules.objects.get(team=world.hub, effective_from=tomorrow)
    assert row.first_contact_targets == PriorityTargets(3, 7, 20)
    history = EligibilityRules.objects.first_contact_history([world.hub.pk])
    assert history.on(world.hub.pk, timezone.localdate()) == PriorityTargets(5, 10, 20)
    assert history.on(world.hub.pk, tomorrow) == PriorityTargets(3, 7, 20)
    event = AuditEvent.objects.get(action="team_rules.changed")
    assert event.detail["old"] == {URGENT: 5, SOON: 10}
    assert event.detail["new"] == {URGENT: 3, SOON: 7}
    # The settings page shows today's targets, and the coming change in its history
    page = _text(client.get(f"/teams/{world.hub.pk}/settings"))
    assert "First contact target for urgent referrals 5 working days" in page
    assert "First contact target for soon referrals 10 working days" in page
    assert "Future 5 working days Urgent 3, soon 7, routine 20 working days" in page
    assert "In force 5 working days Urgent 5, soon 10, routine 20 working days" in page


def test_the_form_starts_from_the_targets_in_force(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    world.hub.rules_history.update(urgent_first_contact_target_working_days=2, soon_first_contact_target_working_days=6)
    page = signed_in(team_lead).get(_rules_url(world)).content.decode()
    assert re.search(rf'name="{URGENT}"[^>]*value="2"', page)
    assert re.search(rf'name="{SOON}"[^>]*value="6"', page)


@pytest.mark.parametrize(
    ("typed", "message", "field"),
    [
        (
            {URGENT: "12"},
            "First contact target for urgent referrals must be no more than the target for soon referrals "
            "(10 working days)",
            URGENT,
        ),
        (
            {SOON: "25"},
            "First contact target for soon referrals must be no more than the first contact target for "
            "routine referrals (20 working days)",
            SOON,
        ),
        (
            {"first_contact_target_working_days": "8"},
            "First contact target for soon referrals must be no more than the first contact target for "
            "routine referrals (8 working days)",
            SOON,
        ),
        ({URGENT: "0"}, "First contact target for urgent referrals must be between 1 and 60 working days", URGENT),
        ({SOON: "61"}, "First contact target for soon referrals must be between 1 and 60 working days", SOON),
        (
            {URGENT: "99999999999999999999"},
            "First contact target for urgent referrals must be between 1 and 60 working days",
            URGENT,
        ),
        ({URGENT: "five"}, "Enter the first contact target for urgent referrals as a whole number, like 5", URGENT),
        ({SOON: "¹⁰"}, "Enter the first contact target for soon referrals as a whole number, like 10", SOON),
        ({SOON: "7.5"}, "Enter the first contact target for soon referrals as a whole number, like 10", SOON),
        ({URGENT: ""}, "Enter the first contact target for urgent referrals", URGENT),
        ({SOON: "  "}, "Enter the first contact target for soon referrals", SOON),
    ],
)
def test_bad_priority_targets_get_a_clear_message_by_the_field_and_keep_what_was_typed(
    signed_in: Callable[[User], Client],
    team_lead: User,
    world: World,
    typed: dict[str, str],
    message: str,
    field: str,
) -> None:
    response = signed_in(team_lead).post(_rules_url(world), {**RULES, **typed, **_dated(timezone.localdate())})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: Eligibility, targets and capacity" in page
    assert message in _text(response)
    # The message is by the field it is about, and links to it from the summary
    assert f'href="#id_{field}"' in page
    assert re.search(rf'id="id_{field}-error"[^>]*>.*?{re.escape(message[:40])}', page, re.S)
    for name, value in typed.items():
        if value.strip():
            assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', page), name
    assert EligibilityRules.objects.filter(team=world.hub).count() == 1


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("max_age_years", "Upper age must be between 1 and 5 years"),
        ("antenatal_from_week", "Week of pregnancy must be between 1 and 40"),
        ("triage_target_working_days", "Triage target must be between 1 and 60 working days"),
        ("first_contact_target_working_days", "First contact target must be between 1 and 60 working days"),
        (URGENT, "First contact target for urgent referrals must be between 1 and 60 working days"),
        (SOON, "First contact target for soon referrals must be between 1 and 60 working days"),
        ("default_max_weighted_caseload", "Default maximum weighted caseload must be more than 0 and no more than 50"),
    ],
)
def test_a_number_too_long_for_its_box_is_told_its_range_not_a_character_count(
    signed_in: Callable[[User], Client], team_lead: User, world: World, field: str, message: str
) -> None:
    huge = "9" * 400
    response = signed_in(team_lead).post(_rules_url(world), {**RULES, field: huge, **_dated(timezone.localdate())})
    assert response.status_code == 200
    assert message in _text(response)
    assert "characters" not in _text(response)
    assert huge in response.content.decode()


def test_the_action_refuses_targets_out_of_order_for_an_importer_too(world: World) -> None:
    with pytest.raises(services.TeamRulesError) as refused:
        services.change_team_rules(
            actor=Actor.system("import"),
            team=world.hub,
            rules=services.TeamRules(
                max_age_years=5,
                accepts_unborn=True,
                antenatal_from_week=None,
                triage_target_working_days=5,
                first_contact_target_working_days=10,
                urgent_first_contact_target_working_days=16,
                soon_first_contact_target_working_days=15,
                default_max_weighted_caseload=services.Decimal("12"),
            ),
            effective_from=timezone.localdate(),
        )
    assert set(refused.value.problems) == {URGENT, SOON}
    assert not AuditEvent.objects.filter(action="team_rules.changed").exists()


# The triage decision: each priority with the team's target ----------------------------------


def _waiting(world: World) -> Referral:
    family = FamilyFactory(team=world.hub)
    InfantFactory(family=family)
    CarerFactory(family=family)
    referral: Referral = ReferralFactory(family=family, team=world.hub)
    return referral


def _accept_page(client: Client, referral: Referral, **data: str) -> str:
    seen = referral.history.order_by("-entered_at", "-id").values_list("pk", flat=True)[0]
    url = f"/referrals/{referral.pk}/decide/accept"
    response = client.post(url, {"seen_status": seen, **data}) if data else client.get(f"{url}?seen={seen}")
    assert response.status_code == 200
    return _text(response)


def test_the_priority_choices_show_the_teams_first_contact_targets_in_force_today(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    referral = _waiting(world)
    world.hub.rules_history.update(urgent_first_contact_target_working_days=3, soon_first_contact_target_working_days=1)
    # A change from tomorrow is not yet the target a family accepted today is measured against
    EligibilityRules.objects.create(
        team=world.hub,
        effective_from=timezone.localdate() + timedelta(days=1),
        urgent_first_contact_target_working_days=2,
        soon_first_contact_target_working_days=4,
        first_contact_target_working_days=8,
    )
    client = signed_in(coordinator)

    page = _accept_page(client, referral)

    assert "Urgent First contact within 3 working days" in page
    assert "Soon First contact within 1 working day " in page
    assert "Routine First contact within 20 working days" in page
    # And still there when the page comes back with a problem
    again = _accept_page(client, referral, note="Keen to start")
    assert "Select the priority" in again
    assert "Urgent First contact within 3 working days" in again


def test_a_team_without_rules_shows_the_default_targets(
    signed_in: Callable[[User], Client], coordinator: User, world: World
) -> None:
    referral = _waiting(world)
    world.hub.rules_history.all().delete()
    page = _accept_page(signed_in(coordinator), referral)
    assert "Urgent First contact within 5 working days" in page
    assert "Soon First contact within 10 working days" in page
    assert "Routine First contact within 20 working days" in page
