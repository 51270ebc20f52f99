"""Team settings (issue 15, S4): which rules apply on a day, overlapping catchments, and the
pages a team lead uses to change the team's rules from a day on."""

import datetime as dt
import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.core.models import AuditEvent
from attune.core.testing.queries import PAGE_BUDGET, queries_for
from attune.organisations.models import Catchment
from attune.organisations.tests.world import World
from attune.referrals import catchment, dated, presenters, services
from attune.referrals.models import SINCE_THE_START, EligibilityRules
from attune.referrals.tests.factories import ReferralFactory

# Unit: which rules apply on a day --------------------------------------------------------------


def test_the_rule_in_force_is_the_latest_change_made_by_that_day() -> None:
    changes = [(dt.date(2026, 1, 1), 5), (dt.date(2026, 6, 1), 3)]
    assert dated.in_force(changes, dt.date(2025, 12, 31)) is None
    assert dated.in_force(changes, dt.date(2026, 5, 31)) == 5
    assert dated.in_force(changes, dt.date(2026, 6, 1)) == 3
    targets = dated.Targets.of(["t"], [("t", d, n) for d, n in changes], default=7)  # type: ignore[list-item]
    assert targets.on("t", dt.date(2025, 1, 1)) == 7  # type: ignore[arg-type]
    assert targets.on("t", dt.date(2026, 3, 1)) == 5  # type: ignore[arg-type]
    assert targets.on("t", dt.date(2027, 3, 1)) == 3  # type: ignore[arg-type]


def test_rules_for_a_team_on_a_day_come_from_the_row_in_force(world: World) -> None:
    EligibilityRules.objects.create(team=world.hub, effective_from=dt.date(2026, 6, 1), triage_target_working_days=2)
    assert EligibilityRules.objects.triage_targets([world.hub.pk], on=dt.date(2026, 5, 31))[world.hub.pk] == 5
    assert EligibilityRules.objects.triage_targets([world.hub.pk], on=dt.date(2026, 6, 1))[world.hub.pk] == 2
    in_force = EligibilityRules.objects.in_force(dt.date(2026, 5, 31)).get(team=world.hub)
    assert in_force.effective_from == SINCE_THE_START


# Unit: overlap detection and postcode shapes --------------------------------------------------


def test_overlaps_name_the_shared_areas_and_postcodes() -> None:
    mine = catchment.Coverage("Satellite", {"a": "Mill Town"}, frozenset({"BB1 7", "FY3"}))
    hub = catchment.Coverage("Hub", {"a": "Mill Town", "b": "Seaside"}, frozenset({"BB1", "FY1"}))
    assert catchment.overlaps(mine, [hub]) == [
        "Hub also covers Mill Town",
        "Hub also covers postcodes in BB1 and BB1 7",
    ]
    apart = catchment.Coverage("Other", {"c": "City"}, frozenset({"M1"}))
    assert catchment.overlaps(mine, [apart]) == []


@pytest.mark.parametrize("typed", ["FY", "FY1 1AA", "BB1 77", "12", "hello"])
def test_a_prefix_that_is_not_a_district_or_sector_is_refused(typed: str) -> None:
    assert "is not a postcode district or sector" in catchment.prefix_problem(typed)


@pytest.mark.parametrize("typed", ["FY1", "bb1 7", "SW1A", "SW1A 1"])
def test_districts_and_sectors_are_accepted(typed: str) -> None:
    assert catchment.prefix_problem(typed) == ""


# Pages ------------------------------------------------------------------------------------------

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


def _dated(day: dt.date, name: str = "effective_from") -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_team_lead_sees_their_team_settings(signed_in: Callable[[User], Client], team_lead: User, world: World) -> None:
    response = signed_in(team_lead).get(f"/teams/{world.hub.pk}/settings")
    assert response.status_code == 200
    assert "Team settings" in response.text
    assert "Seaside Council" in response.text


def test_a_practitioner_is_refused_team_settings(
    signed_in: Callable[[User], Client], practitioner: User, world: World
) -> None:
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/settings/rules").status_code == 403


def test_another_teams_settings_are_not_found(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    assert signed_in(team_lead).get(f"/teams/{world.other_team.pk}/settings").status_code == 404


def test_a_system_administrator_of_the_provider_may_set_a_teams_rules(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    assert client.get(f"/teams/{world.satellite.pk}/settings").status_code == 200
    assert client.get(f"/teams/{world.other_team.pk}/settings").status_code == 404


def test_a_changed_target_from_today_leaves_last_months_referral_on_the_old_target(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    today = timezone.localdate()
    old = ReferralFactory(team=world.hub, received_at=timezone.now() - timedelta(days=30))
    client = signed_in(team_lead)
    response = client.post(
        f"/teams/{world.hub.pk}/settings/rules", {**RULES, "triage_target_working_days": "2", **_dated(today)}
    )
    assert response.status_code == 302
    history = EligibilityRules.objects.history_of(world.hub.pk)
    assert presenters.rules_of(old, history, today)[1] == 5
    assert EligibilityRules.objects.triage_targets([world.hub.pk], on=today)[world.hub.pk] == 2
    assert EligibilityRules.objects.target_history([world.hub.pk]).on(world.hub.pk, today - timedelta(days=30)) == 5
    event = AuditEvent.objects.get(action="team_rules.changed")
    assert event.detail["old"] == {"triage_target_working_days": 5}
    assert event.detail["new"] == {"triage_target_working_days": 2}
    assert event.actor == team_lead


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("max_age_years", "6", "Upper age must be between 1 and 5 years"),
        ("max_age_years", "0", "Upper age must be between 1 and 5 years"),
        ("triage_target_working_days", "0", "Triage target must be between 1 and 60 working days"),
        ("first_contact_target_working_days", "61", "First contact target must be between 1 and 60 working days"),
        ("triage_target_working_days", "five", "Enter the triage target as a whole number, like 5"),
        # A superscript two passes str.isdigit() but not int(): it was a 500 (issue 15 journey)
        ("max_age_years", "²", "Enter the upper age as a whole number, like 5"),
    ],
)
def test_bad_rules_get_a_clear_message_and_keep_what_was_typed(
    signed_in: Callable[[User], Client], team_lead: User, world: World, field: str, typed: str, message: str
) -> None:
    response = signed_in(team_lead).post(
        f"/teams/{world.hub.pk}/settings/rules", {**RULES, field: typed, **_dated(timezone.localdate())}
    )
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{typed}"' in response.text
    assert EligibilityRules.objects.filter(team=world.hub).count() == 1


def test_a_change_cannot_apply_from_a_past_day(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    response = signed_in(team_lead).post(
        f"/teams/{world.hub.pk}/settings/rules",
        {**RULES, "triage_target_working_days": "3", **_dated(timezone.localdate() - timedelta(days=1))},
    )
    assert "The date the change applies from must be today or in the future" in response.text


def test_an_overlapping_catchment_is_warned_about_and_saved_once_confirmed(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    posted = {
        "areas": [str(world.hub_area.pk), str(world.satellite_area.pk)],
        "postcodes": "FY1\nFY2",
        "postcodes_area": str(world.hub_area.pk),
        **_dated(timezone.localdate()),
    }
    response = client.post(f"/teams/{world.hub.pk}/settings/catchment", posted)
    assert response.status_code == 200
    assert "Example satellite team also covers Mill Town Council" in response.text
    assert "FY2" in response.text  # what was typed is kept
    assert not Catchment.objects.filter(prefix="FY2").exists()
    response = client.post(f"/teams/{world.hub.pk}/settings/catchment", {**posted, "confirm_overlap": "confirmed"})
    assert response.status_code == 302
    assert Catchment.objects.get(prefix="FY2").local_authority == world.hub_area
    rules = services.rules_for(world.hub)
    assert set(rules.areas) == {str(world.hub_area.pk), str(world.satellite_area.pk)}
    event = AuditEvent.objects.get(action="catchment.changed")
    assert event.detail["old"]["areas"] == ["Seaside Council"]
    assert event.detail["new"]["postcodes"] == ["FY1", "FY2"]


def test_a_postcode_that_is_not_a_district_or_sector_is_refused_on_the_page(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    response = signed_in(team_lead).post(
        f"/teams/{world.hub.pk}/settings/catchment",
        {"areas": [str(world.hub_area.pk)], "postcodes": "FY1\nFY1 1AA", **_dated(timezone.localdate())},
    )
    assert response.status_code == 200
    assert "FY1 1AA is not a postcode district or sector" in response.text
    assert "FY1 1AA</textarea>" in response.text


def test_the_settings_pages_keep_to_the_query_budget(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    for n in range(1, 30):
        EligibilityRules.objects.create(team=world.hub, effective_from=dt.date(2030, 1, 1) + timedelta(days=n))
    for path in ("", "/rules", "/catchment"):
        client.get(f"/teams/{world.hub.pk}/settings{path}")
        count = queries_for(lambda p=path: client.get(f"/teams/{world.hub.pk}/settings{p}"))  # type: ignore[misc]
        assert count <= PAGE_BUDGET, (path, count)


def test_the_action_refuses_bad_rules_for_an_importer_too(world: World) -> None:
    with pytest.raises(services.TeamRulesError) as refused:
        services.change_team_rules(
            actor=Actor.system("import"),
            team=world.hub,
            rules=services.TeamRules(
                max_age_years=9,
                accepts_unborn=True,
                antenatal_from_week=None,
                triage_target_working_days=0,
                first_contact_target_working_days=20,
                urgent_first_contact_target_working_days=5,
                soon_first_contact_target_working_days=10,
                default_max_weighted_caseload=services.Decimal("12"),
            ),
            effective_from=timezone.localdate(),
        )
    assert set(refused.value.problems) == {"max_age_years", "triage_target_working_days"}


def test_antenatal_from_week_refuses_an_early_pregnancy() -> None:
    from attune.referrals import eligibility

    today = dt.date(2026, 3, 2)
    rules = eligibility.Rules(antenatal_from_week=12)
    early = today + timedelta(weeks=35)  # week 6
    assert "from week 12 of pregnancy" in eligibility.age_problem(rules, born=None, due=early, today=today)
    later = today + timedelta(weeks=20)  # week 21
    assert eligibility.age_problem(rules, born=None, due=later, today=today) == ""


def test_the_team_page_leads_its_lead_to_settings_caseloads_and_the_measure_schedule(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    page = signed_in(team_lead).get(f"/teams/{world.hub.pk}").text
    for href in ("settings", "caseloads", "measures"):
        assert f'href="/teams/{world.hub.pk}/{href}"' in page
    # A practitioner of the team is not offered pages she cannot open
    assert f'href="/teams/{world.hub.pk}/caseloads"' not in signed_in(practitioner).get(f"/teams/{world.hub.pk}").text


# Reads of the settings, and what the catchment page says of postcodes ------------------------


def test_each_team_settings_page_records_that_it_was_read(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    for path, page in (("", "settings"), ("/rules", "rules"), ("/catchment", "catchment")):
        assert client.get(f"/teams/{world.hub.pk}/settings{path}").status_code == 200
        event = AuditEvent.objects.filter(action="team_settings.viewed").order_by("-id").first()
        assert event is not None
        assert (event.actor, event.object_type, event.object_id) == (team_lead, "organisations.team", str(world.hub.pk))
        assert event.detail == {"page": page}
    assert AuditEvent.objects.filter(action="team_settings.viewed").count() == 3


def test_a_settings_form_sent_back_is_not_a_read_and_a_refusal_is_not_either(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, world: World
) -> None:
    response = signed_in(team_lead).post(
        f"/teams/{world.hub.pk}/settings/rules", {**RULES, "max_age_years": "9", **_dated(timezone.localdate())}
    )
    assert response.status_code == 200
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/settings").status_code == 403
    assert not AuditEvent.objects.filter(action="team_settings.viewed").exists()


def test_the_catchment_page_says_postcodes_apply_at_once_and_council_areas_from_the_day_chosen(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    def words(response: Any) -> str:
        return unescape(re.sub(r"\s+", " ", response.content.decode()))

    client = signed_in(team_lead)
    page = words(client.get(f"/teams/{world.hub.pk}/settings/catchment"))
    assert (
        "Each says which council area an address is in. Changes to them take effect straight away, not from the "
        "date below: a referral's team is fixed when it is received, so past referrals and figures never "
        "depend on them."
    ) in page
    assert "Referrals for an address in these areas come to this team from the date below." in page
    assert "When the council areas apply: today or a later date." in page

    later = timezone.localdate() + timedelta(days=7)
    response = client.post(
        f"/teams/{world.hub.pk}/settings/catchment",
        {"areas": [str(world.hub_area.pk)], "postcodes": "FY1\nFY4", **_dated(later)},
        follow=True,
    )

    assert (
        f"The team's catchment is changed. The council areas apply on {later.day} {later:%B %Y}. The postcode "
        "districts and sectors apply straight away: a referral's team is fixed when it is received, so past "
        "referrals and figures do not change."
    ) in words(response)
    # And so they do: FY4 is placed at once, the council areas wait for their day
    assert Catchment.objects.get(prefix="FY4").local_authority == world.hub_area
    assert EligibilityRules.objects.filter(team=world.hub, effective_from=later).exists()
