"""Posts and non-caseload activity through the pages, and the warning before a post ends."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from attune.accounts.models import User
from attune.care.tests.factories_diary import at
from attune.care.tests.pages import page_of
from attune.core.models import AuditEvent, Outcome, Task, TaskKind
from attune.core.testing.actors import acting
from attune.core.testing.queries import assert_flat, growing
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.workforce import services
from attune.workforce.models import ActivityKind, NonCaseloadActivity, Post
from attune.workforce.tests.factories import activity, post

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    return lambda user: sign_in_client(Client(), user)


# Posts ----------------------------------------------------------------------------------------


def test_team_lead_sees_posts_with_a_warning_when_one_ends_within_8_weeks(
    signed_in: Callable[[User], Client], world: World, team_lead: User, trainee: User
) -> None:
    post(world.hub, "Therapist (first contract)", dt.date(2024, 11, 1), dt.date(2025, 3, 31), trainee)
    post(world.hub, "Therapist (extension)", dt.date(2025, 4, 1), dt.date(2027, 1, 15), trainee)
    post(world.hub, "Team lead", dt.date(2020, 1, 1), None)
    post(world.hub, "Psychologist", dt.date(2025, 4, 1), dt.date(2027, 6, 30))
    page = page_of(signed_in(team_lead).get(f"/teams/{world.hub.pk}/posts"))
    assert "Posts ending within 8 weeks" in page
    assert "Therapist (extension) (Tina Trainee)" in page
    assert "Ends in 49 days" in page
    assert "Ended" in page
    assert "Permanent" in page
    assert "Current" in page
    assert "1 November 2024" in page
    assert "31 March 2025" in page
    assert "Vacant" in page
    assert AuditEvent.objects.filter(action="post.list_viewed", object_id=str(world.hub.pk)).exists()


def test_posts_are_for_team_leads_only(
    signed_in: Callable[[User], Client], world: World, practitioner: User, outsider: User
) -> None:
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/posts").status_code == 403
    assert signed_in(outsider).get(f"/teams/{world.hub.pk}/posts").status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", outcome=Outcome.NOT_FOUND).exists()


def test_posts_query_count_does_not_grow(
    signed_in: Callable[[User], Client], world: World, team_lead: User, trainee: User
) -> None:
    client = signed_in(team_lead)
    assert_flat(
        grow=growing(
            lambda: post(world.hub, "Therapist", dt.date(2025, 4, 1), dt.date(2026, 12, 31), trainee),
            lambda: Post.objects.count(),
        ),
        fetch=lambda: page_of(client.get(f"/teams/{world.hub.pk}/posts")),
    )


def test_check_posts_warns_each_team_lead_once(world: World, team_lead: User, trainee: User) -> None:
    ending = post(world.satellite, "Therapist (extension)", dt.date(2025, 4, 1), TODAY + dt.timedelta(weeks=8), trainee)
    post(world.satellite, "Later", dt.date(2025, 4, 1), TODAY + dt.timedelta(weeks=8, days=1))
    post(world.satellite, "Ended", dt.date(2024, 11, 1), dt.date(2025, 3, 31))
    post(world.satellite, "Permanent", dt.date(2024, 11, 1), None)
    satellite_lead = MembershipFactory(role=Role.TEAM_LEAD, team=world.satellite).user
    call_command("check_posts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("check_posts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tasks = list(Task.objects.open().filter(kind=TaskKind.POST_ENDING))
    # The satellite has its own lead, so the hub's lead is not asked.
    assert [(t.assignee, t.about_id) for t in tasks] == [(satellite_lead, str(ending.pk))]
    assert tasks[0].title == (
        "Therapist (extension) (Tina Trainee) in Example satellite team ends on 22 January 2027: "
        "plan funding or an extension"
    )
    assert tasks[0].url == f"/teams/{world.satellite.pk}/posts"
    assert AuditEvent.objects.filter(action="task.raised").count() == 1


def test_a_satellite_without_a_lead_is_warned_through_its_hub(world: World, team_lead: User) -> None:
    post(world.satellite, "Therapist", dt.date(2025, 4, 1), TODAY + dt.timedelta(days=10))
    with time_machine.travel(at(TODAY - dt.timedelta(weeks=8), 9), tick=False):
        assert services.warn_posts_ending() == 0  # 9 weeks and 3 days before: too early
    assert services.warn_posts_ending() == 1
    assert Task.objects.get(kind=TaskKind.POST_ENDING).assignee == team_lead


# Consultation and training --------------------------------------------------------------------


def _activity_form(**changes: str) -> dict[str, str]:
    data = {
        "kind": ActivityKind.TRAINING,
        "held_on-day": "20",
        "held_on-month": "11",
        "held_on-year": "2026",
        "audience": "Health visitors, Blackburn",
        "attendees": "14",
        "topic": "Reading babies' cues",
        "hours": "2.5",
    }
    return data | changes


def test_recording_training_given(signed_in: Callable[[User], Client], world: World, trainee: User) -> None:
    client = signed_in(trainee)
    assert "Record consultation or training" in page_of(client.get(f"/teams/{world.satellite.pk}/activities/record"))
    response = client.post(f"/teams/{world.satellite.pk}/activities/record", _activity_form())
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{world.satellite.pk}/activities"
    made = NonCaseloadActivity.objects.get()
    assert (made.attendees, made.hours, made.held_on, made.recorded_by) == (
        14,
        Decimal("2.5"),
        dt.date(2026, 11, 20),
        trainee,
    )
    assert AuditEvent.objects.filter(action="activity.recorded", object_id=str(made.pk)).exists()
    page = page_of(client.get(f"/teams/{world.satellite.pk}/activities"))
    assert "Training recorded: Reading babies' cues." in page.replace("&#39;", "'")
    assert "Health visitors, Blackburn" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"attendees": "0"}, "Number of attendees must be a whole number between 1 and 500"),
        ({"attendees": "501"}, "Number of attendees must be a whole number between 1 and 500"),
        ({"hours": "0.1"}, "Hours must be between 0.25 and 40, like 1.5"),
        ({"hours": "41"}, "Hours must be between 0.25 and 40, like 1.5"),
        ({"hours": "lots"}, "Hours must be a number, like 1.5"),
        ({"held_on-day": "28"}, "Date must be today or in the past"),
        ({"audience": ""}, "Enter who the audience was"),
    ],
)
def test_an_activity_outside_the_limits_is_refused_and_values_kept(
    signed_in: Callable[[User], Client], world: World, trainee: User, changes: dict[str, str], message: str
) -> None:
    page = page_of(signed_in(trainee).post(f"/teams/{world.satellite.pk}/activities/record", _activity_form(**changes)))
    assert "There is a problem" in page
    assert message in page
    assert 'value="Reading babies&#39; cues"' in page
    assert not NonCaseloadActivity.objects.exists()


def test_the_action_holds_the_limits_too(world: World, trainee: User) -> None:
    with pytest.raises(services.WorkforceError, match="between 1 and 500"):
        services.record_activity(
            actor=acting(trainee),
            team=world.satellite,
            kind=ActivityKind.CONSULTATION,
            held_on=TODAY,
            audience="HV",
            attendees=0,
            topic="Cues",
            hours=Decimal("1"),
        )


def test_activities_show_totals_for_the_financial_year(
    signed_in: Callable[[User], Client], world: World, practitioner: User
) -> None:
    activity(world.hub, practitioner, dt.date(2026, 4, 1), hours="2", attendees=12)
    activity(world.hub, practitioner, dt.date(2026, 10, 1), hours="1.25", attendees=3)
    activity(world.hub, practitioner, dt.date(2026, 3, 31), hours="5", attendees=40)  # last year
    page = page_of(signed_in(practitioner).get(f"/teams/{world.hub.pk}/activities"))
    assert "This year, since 1 April 2026" in page
    assert 'People reached </dt> <dd class="nhsuk-summary-list__value"> 15' in page
    assert 'Total hours </dt> <dd class="nhsuk-summary-list__value"> 3.25 hours' in page
    assert "31 March 2026" in page  # still listed: within the last 12 months
    assert AuditEvent.objects.filter(action="activity.list_viewed").exists()


def test_activities_open_on_a_leap_day_and_list_the_year_before(
    signed_in: Callable[[User], Client], world: World, practitioner: User
) -> None:
    activity(world.hub, practitioner, dt.date(2027, 3, 1), hours="2")
    activity(world.hub, practitioner, dt.date(2027, 2, 26), hours="3")  # more than a year before
    with time_machine.travel(at(dt.date(2028, 2, 29), 14), tick=False):
        response = signed_in(practitioner).get(f"/teams/{world.hub.pk}/activities")
    assert response.status_code == 200
    page = page_of(response)
    assert "This year, since 1 April 2027" in page
    assert "1 March 2027" in page
    assert "26 February 2027" not in page


def test_activities_scope(signed_in: Callable[[User], Client], world: World, outsider: User) -> None:
    assert signed_in(outsider).get(f"/teams/{world.hub.pk}/activities").status_code == 404
    assert signed_in(outsider).post(f"/teams/{world.hub.pk}/activities/record", _activity_form()).status_code == 404
    assert not NonCaseloadActivity.objects.exists()


def test_activities_query_count_does_not_grow(
    signed_in: Callable[[User], Client], world: World, practitioner: User
) -> None:
    client = signed_in(practitioner)
    assert_flat(
        grow=growing(
            lambda: activity(world.hub, practitioner, dt.date(2026, 6, 1)), lambda: NonCaseloadActivity.objects.count()
        ),
        fetch=lambda: page_of(client.get(f"/teams/{world.hub.pk}/activities")),
    )


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TRAINEE, Role.SUPERVISOR, Role.TEAM_LEAD])
def test_anyone_who_works_with_families_records_consultation_they_gave(
    signed_in: Callable[[User], Client], world: World, role: Role
) -> None:
    """The rule the README states: not only team leads record consultation and training given."""
    person = MembershipFactory(team=world.hub, role=role, starts_on=dt.date(2024, 1, 1)).user
    response = signed_in(person).post(f"/teams/{world.hub.pk}/activities/record", _activity_form())
    assert response.status_code == 302
    assert NonCaseloadActivity.objects.get().recorded_by == person


def test_the_action_refuses_someone_who_does_not_work_in_the_team(world: World, outsider: User) -> None:
    with pytest.raises(services.WorkforceError, match="for a team you work in"):
        services.record_activity(
            actor=acting(outsider),
            team=world.hub,
            kind=ActivityKind.CONSULTATION,
            held_on=TODAY,
            audience="Health visitors",
            attendees=5,
            topic="Cues",
            hours=Decimal("1"),
        )
    assert not NonCaseloadActivity.objects.exists()
