"""Starting a training plan and adding or changing a post through the pages."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from attune.accounts.models import User
from attune.care.tests.factories_diary import at
from attune.care.tests.pages import page_of
from attune.core.models import AuditEvent
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World, sign_in_client
from attune.workforce.models import Post, TrainingPlan
from attune.workforce.tests.factories import plan, post

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(at(TODAY, 14), tick=False):
        yield


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    return lambda user: sign_in_client(Client(), user)


def _date(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


# Starting a training plan -----------------------------------------------------------------------


def _plan_form(trainee: User, supervisor: User, **changes: str) -> dict[str, str]:
    data = {
        "trainee": str(trainee.pk),
        "programme": "PG Diploma in Parent-Infant Psychotherapy",
        "course_provider": "Anna Freud",
        **_date("started_on", dt.date(2026, 11, 2)),
        **_date("expected_qualification_on", dt.date(2028, 10, 31)),
        "framework": "demo",
        "supervisor": str(supervisor.pk),
    }
    data.update(changes)
    return data


def test_supervisor_starts_a_plan_for_a_trainee_without_one(
    signed_in: Callable[[User], Client], world: World, supervisor: User, trainee: User
) -> None:
    client = signed_in(supervisor)
    listing = page_of(client.get("/training"))
    assert f"/teams/{world.satellite.pk}/training/new" in listing
    form = page_of(client.get(f"/teams/{world.satellite.pk}/training/new"))
    assert "Tina Trainee" in form
    assert "Sam Supervisor" in form
    assert AuditEvent.objects.filter(action="training_plan.new_viewed", object_id=str(world.satellite.pk)).exists()
    response = client.post(f"/teams/{world.satellite.pk}/training/new", _plan_form(trainee, supervisor), follow=True)
    created = TrainingPlan.objects.get(trainee=trainee)
    assert response.redirect_chain[-1][0] == f"/training/{created.pk}"
    assert "Training plan started for Tina Trainee." in page_of(response)
    assert (created.team, created.supervisor, created.framework_code) == (world.satellite, supervisor, "demo")
    assert created.started_on == dt.date(2026, 11, 2)
    assert AuditEvent.objects.filter(action="training_plan.created", object_id=str(created.pk)).count() == 1
    # Now planned, the trainee is no longer offered.
    again = page_of(client.get(f"/teams/{world.satellite.pk}/training/new"))
    assert "already has a training plan" in again


def test_plan_refusals_keep_what_was_typed(
    signed_in: Callable[[User], Client], world: World, supervisor: User, trainee: User
) -> None:
    client = signed_in(supervisor)
    data = _plan_form(
        trainee,
        supervisor,
        programme="Infant mental health MSc",
        course_provider="",
        **_date("expected_qualification_on", dt.date(2026, 10, 1)),
    )
    page = page_of(client.post(f"/teams/{world.satellite.pk}/training/new", data))
    assert "There is a problem" in page
    assert "Enter the course provider" in page
    assert "Expected qualification date must be after the start date" in page
    assert 'value="Infant mental health MSc"' in page
    assert 'value="2026"' in page
    assert "Error: Start a training plan" in page
    page = page_of(client.post(f"/teams/{world.satellite.pk}/training/new", _plan_form(trainee, trainee)))
    assert "Select a supervisor from the list" in page
    assert not TrainingPlan.objects.exists()
    assert not AuditEvent.objects.filter(action="training_plan.created").exists()


def test_a_trainee_with_a_plan_is_not_offered_and_cannot_be_posted(
    signed_in: Callable[[User], Client], world: World, supervisor: User, trainee: User
) -> None:
    plan(trainee, world.satellite, supervisor)
    response = signed_in(supervisor).post(f"/teams/{world.satellite.pk}/training/new", _plan_form(trainee, supervisor))
    assert "Select a trainee from the list" in page_of(response)
    assert TrainingPlan.objects.count() == 1


def test_plan_page_refusals(
    signed_in: Callable[[User], Client],
    world: World,
    practitioner: User,
    outsider: User,
    team_lead: User,
    trainee: User,
) -> None:
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/training/new").status_code == 403
    assert f"/teams/{world.hub.pk}/training/new" not in page_of(signed_in(practitioner).get("/training"))
    assert signed_in(outsider).get(f"/teams/{world.hub.pk}/training/new").status_code == 404
    # A hub team lead leads the hub, not the satellite.
    assert signed_in(team_lead).get(f"/teams/{world.satellite.pk}/training/new").status_code == 404
    assert page_of(signed_in(team_lead).get(f"/teams/{world.hub.pk}/training/new"))
    assert AuditEvent.objects.filter(action="access.refused", outcome="denied").exists()


# Posts ------------------------------------------------------------------------------------------


def _post_form(**changes: str) -> dict[str, str]:
    data = {
        "title": "Parent-infant therapist (band 7)",
        "holder": "",
        **_date("starts_on", dt.date(2026, 4, 1)),
        **_date("ends_on", dt.date(2027, 3, 31)),
        "funded_by": "Seaside Council",
    }
    data.update(changes)
    return data


def test_team_lead_adds_a_post(
    signed_in: Callable[[User], Client], world: World, team_lead: User, practitioner: User
) -> None:
    client = signed_in(team_lead)
    listing = page_of(client.get(f"/teams/{world.hub.pk}/posts"))
    assert f'href="/teams/{world.hub.pk}/posts/new"' in listing
    assert "Pat Practitioner" in page_of(client.get(f"/teams/{world.hub.pk}/posts/new"))
    response = client.post(f"/teams/{world.hub.pk}/posts/new", _post_form(holder=str(practitioner.pk)), follow=True)
    assert response.redirect_chain[-1][0] == f"/teams/{world.hub.pk}/posts"
    page = page_of(response)
    assert "Parent-infant therapist (band 7) added." in page
    created = Post.objects.get()
    assert (created.team, created.holder, created.ends_on) == (world.hub, practitioner, dt.date(2027, 3, 31))
    assert f"/teams/{world.hub.pk}/posts/change?post={created.pk}" in page
    assert AuditEvent.objects.filter(action="post.created", object_id=str(created.pk)).count() == 1


def test_team_lead_changes_a_post_and_makes_it_permanent(
    signed_in: Callable[[User], Client], world: World, team_lead: User, practitioner: User
) -> None:
    existing = post(world.hub, "Psychologist", dt.date(2025, 4, 1), dt.date(2027, 1, 15), practitioner)
    client = signed_in(team_lead)
    url = f"/teams/{world.hub.pk}/posts/change?post={existing.pk}"
    form = page_of(client.get(url))
    assert 'value="Psychologist"' in form
    assert 'value="Example Council"' in form
    response = client.post(url, _post_form(title="Clinical psychologist", **_date("ends_on", None)), follow=True)
    assert "Clinical psychologist changed." in page_of(response)
    existing.refresh_from_db()
    assert (existing.title, existing.ends_on, existing.holder) == ("Clinical psychologist", None, None)
    assert AuditEvent.objects.filter(action="post.changed", object_id=str(existing.pk)).count() == 1


def test_post_refusals_keep_what_was_typed(signed_in: Callable[[User], Client], world: World, team_lead: User) -> None:
    existing = post(world.hub, "Psychologist", dt.date(2025, 4, 1), dt.date(2027, 1, 15))
    client = signed_in(team_lead)
    for url in (f"/teams/{world.hub.pk}/posts/new", f"/teams/{world.hub.pk}/posts/change?post={existing.pk}"):
        data = _post_form(title="Family worker", funded_by="", **_date("ends_on", dt.date(2026, 3, 1)))
        page = page_of(client.post(url, data))
        assert "There is a problem" in page
        assert "Enter who funds the post" in page
        assert "End date must be the same as or after the start date" in page
        assert 'value="Family worker"' in page
    existing.refresh_from_db()
    assert existing.title == "Psychologist"
    assert Post.objects.count() == 1
    assert not AuditEvent.objects.filter(action__in=["post.created", "post.changed"]).exists()


def test_post_page_refusals(
    signed_in: Callable[[User], Client], world: World, practitioner: User, outsider: User, team_lead: User
) -> None:
    elsewhere = post(world.other_team, "Therapist", dt.date(2025, 4, 1), None)
    mine = post(world.hub, "Therapist", dt.date(2025, 4, 1), None)
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/posts/new").status_code == 403
    assert signed_in(practitioner).get(f"/teams/{world.hub.pk}/posts/change?post={mine.pk}").status_code == 403
    assert signed_in(outsider).get(f"/teams/{world.hub.pk}/posts/new").status_code == 404
    lead = signed_in(team_lead)
    assert lead.get(f"/teams/{world.hub.pk}/posts/change?post={elsewhere.pk}").status_code == 404
    assert lead.get(f"/teams/{world.hub.pk}/posts/change?post=nonsense").status_code == 404
    assert lead.get(f"/teams/{world.hub.pk}/posts/change").status_code == 404
    response = lead.post(f"/teams/{world.hub.pk}/posts/change?post={elsewhere.pk}", _post_form())
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Therapist"


def test_holder_must_be_in_the_team(
    signed_in: Callable[[User], Client], world: World, team_lead: User, trainee: User
) -> None:
    page = page_of(signed_in(team_lead).post(f"/teams/{world.hub.pk}/posts/new", _post_form(holder=str(trainee.pk))))
    assert "Select someone in the team, or leave the post vacant" in page
    assert not Post.objects.exists()
    MembershipFactory(user=trainee, role=Role.TRAINEE, team=world.hub)
    response = signed_in(team_lead).post(f"/teams/{world.hub.pk}/posts/new", _post_form(holder=str(trainee.pk)))
    assert response.status_code == 302
    assert Post.objects.get().holder == trainee
