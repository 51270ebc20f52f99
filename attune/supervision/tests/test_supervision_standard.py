"""A service's supervision standard (issue 15): the standard in force on a day and its history,
the audited action that changes it from a day on, the page a hub team lead sets it on, and the
compliance pages that measure against it."""

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.core.clocks import add_years
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat
from attune.organisations.models import Membership, Service, Team
from attune.organisations.roles import Role
from attune.organisations.tests.world import World, sign_in_client
from attune.referrals.models import SINCE_THE_START
from attune.supervision import presenters, services
from attune.supervision.models import SupervisionStandardSetting
from attune.supervision.queries import Supervised
from attune.supervision.standard import FORTNIGHT, PARENT_INFANT_FOUNDATION, WEEK, Standard
from attune.supervision.standard_scope import StandardPlace
from attune.supervision.tests.factories import experience, given_session, member, standard_from

PIF = PARENT_INFANT_FOUNDATION
OWN = Standard(
    minutes_per_period=90,
    full_time_hours=Decimal("30"),
    experienced_after_years=3,
    less_experienced_period=FORTNIGHT,
    experienced_period=FORTNIGHT,
)
FORM = {
    "minutes_per_period": "90",
    "less_experienced_period": str(FORTNIGHT),
    "experienced_after_years": "3",
    "experienced_period": str(FORTNIGHT),
    "full_time_hours": "30",
}
FOUNDATION_WORDS = (
    "60 minutes every week for practitioners with under 3 years&#39; experience with under-2s; every fortnight "
    "after; pro rata for part-time against 37.5 hours"
)
OWN_WORDS = "90 minutes every fortnight for every practitioner, whatever their experience"


def _dated(day: dt.date) -> dict[str, str]:
    return {
        "effective_from-day": str(day.day),
        "effective_from-month": str(day.month),
        "effective_from-year": str(day.year),
    }


def _url(world: World) -> str:
    return f"/services/{world.hub.service_id}/supervision-standard"


# The standard in force on a day ------------------------------------------------------------------


def test_a_service_with_no_standard_of_its_own_has_the_foundations(world: World) -> None:
    assert SupervisionStandardSetting.objects.in_force(world.hub.service_id, timezone.localdate()) == PIF


def test_the_standard_in_force_is_the_latest_row_by_that_day(world: World) -> None:
    today = timezone.localdate()
    standard_from(world.hub.service, today, OWN)
    later = Standard(120, Decimal("37.5"), 3, WEEK, WEEK)
    standard_from(world.hub.service, today + dt.timedelta(days=30), later)
    found = SupervisionStandardSetting.objects
    assert found.in_force(world.hub.service_id, today - dt.timedelta(days=1)) == PIF
    assert found.in_force(world.hub.service_id, today) == OWN
    assert found.in_force(world.hub.service_id, today + dt.timedelta(days=29)) == OWN
    assert found.in_force(world.hub.service_id, today + dt.timedelta(days=30)) == later
    assert found.in_force(world.other_team.service_id, today) == PIF


def test_the_history_of_many_services_is_one_query(world: World, django_assert_num_queries: Callable) -> None:
    today = timezone.localdate()
    for days in range(0, 300, 10):
        standard_from(world.hub.service, today - dt.timedelta(days=days), OWN if days % 20 else PIF)
    with django_assert_num_queries(1):
        history = SupervisionStandardSetting.objects.history([world.hub.service_id, world.other_team.service_id])
    assert history.on(world.hub.service_id, today) == PIF
    assert history.on(world.hub.service_id, today - dt.timedelta(days=10)) == OWN
    assert history.on(world.hub.service_id, today - dt.timedelta(days=400)) == PIF  # before the first row
    assert history.on(world.other_team.service_id, today) == PIF


# The action --------------------------------------------------------------------------------------


def test_the_first_change_keeps_the_standard_before_it_and_is_audited(world: World, team_lead: User) -> None:
    today = timezone.localdate()
    row = services.change_supervision_standard(
        actor=Actor(user=team_lead), service=world.hub.service, standard=OWN, effective_from=today
    )
    assert row.as_standard() == OWN
    rows = SupervisionStandardSetting.objects.history_of(world.hub.service_id)
    assert [(r.effective_from, r.as_standard()) for r in rows] == [(SINCE_THE_START, PIF), (today, OWN)]
    event = AuditEvent.objects.get(action="supervision.standard_changed")
    assert event.actor == team_lead
    assert event.object_id == str(world.hub.service_id)
    assert event.detail == {
        "effective_from": today.isoformat(),
        "old": {"minutes_per_period": 60, "less_experienced_period": WEEK, "full_time_hours": "37.5"},
        "new": {"minutes_per_period": 90, "less_experienced_period": FORTNIGHT, "full_time_hours": "30"},
    }


def test_a_second_change_on_the_same_day_replaces_the_first(world: World) -> None:
    today = timezone.localdate()
    change = services.change_supervision_standard
    change(actor=Actor.system("import"), service=world.hub.service, standard=OWN, effective_from=today)
    again = Standard(75, Decimal("30"), 3, FORTNIGHT, FORTNIGHT)
    change(actor=Actor.system("import"), service=world.hub.service, standard=again, effective_from=today)
    assert SupervisionStandardSetting.objects.filter(service=world.hub.service).count() == 2
    assert SupervisionStandardSetting.objects.in_force(world.hub.service_id, today) == again
    assert AuditEvent.objects.filter(action="supervision.standard_changed").last().detail["old"] == {  # type: ignore[union-attr]
        "minutes_per_period": 90
    }


def test_a_change_applies_from_today_or_later_never_from_a_past_day(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(services.StandardError) as refused:
        services.change_supervision_standard(
            actor=Actor.system("import"),
            service=world.hub.service,
            standard=OWN,
            effective_from=today - dt.timedelta(days=1),
        )
    assert refused.value.problems == {
        "effective_from": "The date the change applies from must be today or in the future"
    }
    assert not SupervisionStandardSetting.objects.exists()
    services.change_supervision_standard(
        actor=Actor.system("import"), service=world.hub.service, standard=OWN, effective_from=today
    )
    assert SupervisionStandardSetting.objects.in_force(world.hub.service_id, today) == OWN


@pytest.mark.parametrize(
    ("changed", "field", "message"),
    [
        ({"minutes_per_period": 0}, "minutes_per_period", "Minutes of supervision must be between 1 and 480"),
        ({"minutes_per_period": 481}, "minutes_per_period", "Minutes of supervision must be between 1 and 480"),
        (
            {"full_time_hours": Decimal("0")},
            "full_time_hours",
            "Full-time hours must be more than 0 and no more than 48",
        ),
        (
            {"full_time_hours": Decimal("48.1")},
            "full_time_hours",
            "Full-time hours must be more than 0 and no more than 48",
        ),
        (
            {"full_time_hours": Decimal("37.25")},
            "full_time_hours",
            "Enter full-time hours to one decimal place, like 37.5",
        ),
        ({"experienced_after_years": 11}, "experienced_after_years", "Years of experience must be between 0 and 10"),
        (
            {"experienced_period": 30},
            "experienced_period",
            "Select how often practitioners with more experience need supervision",
        ),
        (
            {"less_experienced_period": FORTNIGHT, "experienced_period": WEEK},
            "experienced_period",
            "Practitioners with more experience cannot need supervision more often than those with less",
        ),
    ],
)
def test_the_action_refuses_nonsense_for_an_importer_too(
    world: World, changed: dict[str, object], field: str, message: str
) -> None:
    proposed = Standard(**{**OWN.__dict__, **changed})  # type: ignore[arg-type]
    with pytest.raises(services.StandardError) as refused:
        services.change_supervision_standard(
            actor=Actor.system("import"),
            service=world.hub.service,
            standard=proposed,
            effective_from=timezone.localdate(),
        )
    assert refused.value.problems == {field: message}
    assert not SupervisionStandardSetting.objects.exists()
    assert not AuditEvent.objects.filter(action="supervision.standard_changed").exists()


def test_the_same_standard_again_is_not_a_change(world: World) -> None:
    with pytest.raises(services.StandardError) as refused:
        services.change_supervision_standard(
            actor=Actor.system("import"), service=world.hub.service, standard=PIF, effective_from=timezone.localdate()
        )
    assert refused.value.problems == {"minutes_per_period": "You have not changed the supervision standard"}
    assert not SupervisionStandardSetting.objects.exists()


# The page: who may ------------------------------------------------------------------------------


def test_a_hub_team_lead_sees_the_standard_in_plain_words_and_may_change_it(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    response = signed_in(team_lead).get(_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert FOUNDATION_WORDS in page
    assert "This is the Parent-Infant Foundation standard." in page
    assert "Save the standard" in page
    assert f'href="/teams/{world.hub.pk}/settings"' in page  # back to team settings
    event = AuditEvent.objects.get(action="supervision.standard_viewed")
    assert (event.actor, event.object_id) == (team_lead, str(world.hub.service_id))


def test_a_system_administrator_of_the_provider_may_change_it(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    assert "Save the standard" in client.get(_url(world)).content.decode()
    response = client.post(_url(world), {**FORM, **_dated(timezone.localdate())})
    assert response.status_code == 302
    assert SupervisionStandardSetting.objects.in_force(world.hub.service_id, timezone.localdate()) == OWN
    assert client.get(f"/services/{world.other_team.service_id}/supervision-standard").status_code == 404


def test_satellite_leads_and_supervisors_read_it_without_a_form(supervisor: User, world: World) -> None:
    satellite_lead = member(world.satellite, Role.TEAM_LEAD)
    for person in (satellite_lead, supervisor):
        client = sign_in_client(Client(), person)
        page = client.get(_url(world)).content.decode()
        assert FOUNDATION_WORDS in page
        assert "Save the standard" not in page
        assert "A team lead of the service's hub team can change it." in page
        assert client.post(_url(world), {**FORM, **_dated(timezone.localdate())}).status_code == 403
    assert not SupervisionStandardSetting.objects.exists()


def test_practitioners_are_refused_and_strangers_not_told_it_exists(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, world: World
) -> None:
    assert signed_in(practitioner).get(_url(world)).status_code == 403
    stranger = sign_in_client(Client(), outsider)
    assert stranger.get(_url(world)).status_code == 404
    assert stranger.get("/services/00000000-0000-0000-0000-000000000000/supervision-standard").status_code == 404
    refused = AuditEvent.objects.filter(action="access.refused", object_type="organisations.service")
    assert refused.count() == 3


def test_the_hub_team_settings_page_leads_to_it_and_a_satellites_does_not(
    signed_in: Callable[[User], Client], team_lead: User, system_admin: User, world: World
) -> None:
    assert f'href="{_url(world)}"' in signed_in(team_lead).get(f"/teams/{world.hub.pk}/settings").content.decode()
    satellite = signed_in(system_admin).get(f"/teams/{world.satellite.pk}/settings").content.decode()
    assert "supervision-standard" not in satellite


# The page: changing it ------------------------------------------------------------------------------


def test_a_lead_sets_a_standard_from_today_and_sees_it_in_force_with_its_history(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    response = client.post(_url(world), {**FORM, **_dated(timezone.localdate())}, follow=True)
    assert response.redirect_chain[-1][0] == _url(world)
    page = response.content.decode()
    assert "The supervision standard is changed. The change applies today." in page
    assert OWN_WORDS in page
    assert "From the start" in page  # the foundation's standard, kept as the first row
    assert "In force" in page
    assert "Past" in page
    event = AuditEvent.objects.get(action="supervision.standard_changed")
    assert event.actor == team_lead
    assert event.detail["new"]["minutes_per_period"] == 90


def test_a_future_change_is_shown_as_future_and_leaves_today_alone(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    later = timezone.localdate() + dt.timedelta(days=40)
    client = signed_in(team_lead)
    response = client.post(_url(world), {**FORM, **_dated(later)}, follow=True)
    page = response.content.decode()
    assert "Future" in page
    assert FOUNDATION_WORDS in page  # still in force now
    assert SupervisionStandardSetting.objects.in_force(world.hub.service_id, timezone.localdate()) == PIF


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("minutes_per_period", "sixty", "Enter the minutes of supervision as a whole number, like 60"),
        ("minutes_per_period", "6O", "Enter the minutes of supervision as a whole number, like 60"),
        # A superscript digit passes str.isdigit() but not int()
        ("minutes_per_period", "⁶⁰", "Enter the minutes of supervision as a whole number, like 60"),
        ("minutes_per_period", "", "Enter the minutes of supervision"),
        ("minutes_per_period", "0", "Minutes of supervision must be between 1 and 480"),
        ("minutes_per_period", "481", "Minutes of supervision must be between 1 and 480"),
        ("minutes_per_period", "999999", "Minutes of supervision must be between 1 and 480"),
        ("minutes_per_period", "9" * 5000, "Minutes of supervision must be between 1 and 480"),
        ("experienced_after_years", "three", "Enter the years of experience as a whole number, like 3"),
        ("experienced_after_years", "³", "Enter the years of experience as a whole number, like 3"),
        ("experienced_after_years", "11", "Years of experience must be between 0 and 10"),
        ("experienced_after_years", "", "Enter the years of experience"),
        ("full_time_hours", "37,5", "Enter full-time hours as a number, like 37.5"),
        ("full_time_hours", "²⁰", "Enter full-time hours as a number, like 37.5"),
        ("full_time_hours", "1e9", "Enter full-time hours as a number, like 37.5"),
        ("full_time_hours", "NaN", "Enter full-time hours as a number, like 37.5"),
        ("full_time_hours", "0", "Full-time hours must be more than 0 and no more than 48"),
        ("full_time_hours", "49", "Full-time hours must be more than 0 and no more than 48"),
        ("full_time_hours", "99999999999", "Full-time hours must be more than 0 and no more than 48"),
        ("full_time_hours", "", "Enter the full-time hours a week"),
        ("less_experienced_period", "", "Select how often practitioners with less experience need supervision"),
        ("experienced_period", "30", "Select how often practitioners with more experience need supervision"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_everything_typed(
    signed_in: Callable[[User], Client], team_lead: User, world: World, field: str, typed: str, message: str
) -> None:
    posted = {**FORM, field: typed, **_dated(timezone.localdate())}
    response = signed_in(team_lead).post(_url(world), posted)
    assert response.status_code == 200
    page = response.content.decode()
    assert message.replace("'", "&#39;") in page
    assert "There is a problem" in page
    assert page.count(message.replace("'", "&#39;")) >= 2  # in the summary and by the field
    for name, value in FORM.items():
        if name != field and not name.endswith("period"):
            assert f'value="{value}"' in page, name
    if typed and len(typed) <= 20 and not field.endswith("period"):
        assert f'value="{typed}"' in page
    assert f'value="{timezone.localdate().year}"' in page
    assert not SupervisionStandardSetting.objects.exists()


def test_a_past_date_is_refused_on_the_page(signed_in: Callable[[User], Client], team_lead: User, world: World) -> None:
    long_ago = timezone.localdate() - dt.timedelta(days=1)
    response = signed_in(team_lead).post(_url(world), {**FORM, **_dated(long_ago)})
    assert response.status_code == 200
    assert "The date the change applies from must be today or in the future" in response.content.decode()
    assert f'value="{long_ago.year}"' in response.content.decode()
    assert not SupervisionStandardSetting.objects.exists()


@pytest.mark.parametrize(
    "when",
    [
        {"effective_from-day": "31", "effective_from-month": "2", "effective_from-year": "2027"},
        {"effective_from-day": "1", "effective_from-month": "1", "effective_from-year": "99999999"},
        {"effective_from-day": "", "effective_from-month": "", "effective_from-year": ""},
    ],
)
def test_an_impossible_date_gets_a_message_not_an_error_page(
    signed_in: Callable[[User], Client], team_lead: User, world: World, when: dict[str, str]
) -> None:
    response = signed_in(team_lead).post(_url(world), {**FORM, **when})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SupervisionStandardSetting.objects.exists()


def test_the_page_keeps_to_its_query_budget_as_the_history_grows(
    signed_in: Callable[[User], Client], team_lead: User, world: World
) -> None:
    client = signed_in(team_lead)
    today = timezone.localdate()

    def grow(n: int) -> None:
        while SupervisionStandardSetting.objects.count() < n:
            days = SupervisionStandardSetting.objects.count()
            standard_from(world.hub.service, today - dt.timedelta(days=days * 3), OWN if days % 2 else PIF)

    assert_flat(grow=grow, fetch=lambda: client.get(_url(world)))


# The compliance pages measure against the service's standard -------------------------------------


def test_the_compliance_pages_use_the_standard_of_the_teams_service_today(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, practitioner: User, world: World
) -> None:
    today = timezone.localdate()
    experience(trainee, add_years(today, -1))
    experience(practitioner, dt.date(2010, 1, 1), hours="15")
    standard_from(world.hub.service, today + dt.timedelta(days=1), PIF)  # a later change does not apply yet
    standard_from(world.hub.service, today, OWN)
    given_session(supervisor, [practitioner], today, minutes=45)
    client = signed_in(supervisor)
    team = client.get(f"/teams/{world.hub.pk}/supervision").content.decode()
    assert "at least 90 minutes of clinical supervision every fortnight for every practitioner" in team
    assert "against 30 hours" in team
    assert "90 minutes every fortnight" in team  # the trainee (full time)
    assert "45 minutes every fortnight" in team  # 15 of 30 hours
    assert "1 on track, 0 due, 1 overdue" in team
    assert f'href="{_url(world)}"' in team
    mine = client.get("/supervision/compliance").content.decode()
    assert "at least 90 minutes of clinical supervision every fortnight" in mine
    assert "45 minutes every fortnight" in mine
    form = client.get(f"/teams/{world.satellite.pk}/supervision/experience?person={trainee.pk}").content.decode()
    assert "90 minutes of clinical supervision every fortnight" in form


def test_a_supervisor_across_two_services_sees_each_services_standard(
    signed_in: Callable[[User], Client], supervisor: User, trainee: User, world: World
) -> None:
    elsewhere = member(world.other_team, Role.PRACTITIONER, full_name="Eli Elsewhere")
    given_session(supervisor, [elsewhere], timezone.localdate())
    standard_from(world.hub.service, timezone.localdate(), OWN)
    page = signed_in(supervisor).get("/supervision/compliance").content.decode()
    assert "Each person is measured against the supervision standard of their team's service:" in page
    assert f"{world.hub.service.name}: 90 minutes of clinical supervision every fortnight" in page
    assert f"{world.other_team.service.name}: 60 minutes of clinical supervision every week" in page
    assert Membership.objects.filter(user=elsewhere).count() == 1


# Presenters, without the database ------------------------------------------------------------------


def _person(service: str, standard: Standard) -> Supervised:
    return Supervised(
        person=User(full_name="Pat"),
        teams=[],
        role="Practitioner",
        joined_on=dt.date(2024, 1, 1),
        experience=None,
        sessions=[],
        last_held_on=None,
        standard=standard,
        service_name=service,
    )


def test_one_standard_is_stated_once_and_several_by_service() -> None:
    assert presenters.standards_stated([_person("Blackpool PAIRS", PIF), _person("Blackpool PAIRS", PIF)]) == [
        "at least 60 minutes of clinical supervision every week for practitioners with under 3 years' experience "
        "with under-2s; every fortnight after; pro rata for part-time against 37.5 hours."
    ]
    two = presenters.standards_stated([_person("Zeta PAIRS", PIF), _person("Alpha PAIRS", OWN)])
    assert [line.split(":")[0] for line in two] == ["Alpha PAIRS", "Zeta PAIRS"]
    assert presenters.standards_stated([]) == []


def test_the_page_shows_past_in_force_and_future_versions_newest_first() -> None:
    today = dt.date(2026, 6, 15)
    service = Service(name="Example PAIRS")
    hub = Team(name="Hub", service=service)

    def version(day: dt.date, standard: Standard) -> SupervisionStandardSetting:
        return SupervisionStandardSetting(service=service, effective_from=day, **asdict(standard))

    changes = [version(SINCE_THE_START, PIF), version(dt.date(2026, 4, 1), OWN), version(dt.date(2026, 9, 1), PIF)]
    page = presenters.StandardPage(StandardPlace(service, True, hub, None), changes, today)
    assert page.now == OWN
    assert not page.is_foundation_standard
    assert [(row[0]["text"], row[1]["text"]) for row in page.history_rows()] == [
        ("From 1 September 2026", "Future"),
        ("From 1 April 2026", "In force"),
        ("From the start", "Past"),
    ]
    assert page.initial()["full_time_hours"] == "30"
    assert page.back["text"] == "Back to team settings"
    empty = presenters.StandardPage(StandardPlace(service, False, None, hub), [], today)
    assert empty.now == PIF
    assert empty.history_rows() == []
    assert empty.back["text"] == "Back to supervision against the standard"
