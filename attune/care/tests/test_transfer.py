"""Transferring an episode's lead role: to someone in the team or in another team of the service
(hub to satellite), with a reason, past capacity only with another; the history keeps each move."""

import re
from collections.abc import Callable

from django.test import Client

from attune.accounts.models import User
from attune.care.codes import WorkerRole
from attune.care.models import Episode, EpisodeEvent
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_waiting import capacity
from attune.care.tests.pages import html
from attune.core.models import AuditEvent
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World


def url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/transfer"


def leads(episode: Episode) -> list[User]:
    return [w.practitioner for w in episode.workers.filter(role=WorkerRole.LEAD, ended_at__isnull=True)]


def test_form_offers_everyone_with_a_caseload_in_the_service_and_shows_the_history(
    signed_in: Callable[[User], Client],
    team_lead: User,
    practitioner: User,
    supervisor: User,
    trainee: User,
    world: World,
) -> None:
    episode = open_episode(world.hub, practitioner, by=team_lead)
    capacity(world.hub, practitioner)
    capacity(world.hub, supervisor, maximum="6", hours="15")
    satellite = capacity(world.satellite, trainee, maximum="4", hours="30")
    elsewhere = MembershipFactory(role=Role.PRACTITIONER, team=world.other_team).user
    capacity(world.other_team, elsewhere)

    page = html(signed_in(team_lead).get(url(episode)))

    assert "Sam Supervisor, Example hub team" in page
    assert "0 of 6 weighted caseload used, 15 hours a week" in page
    assert f'value="{satellite.pk}"' in page
    assert "Tina Trainee, Example satellite team" in page
    assert "Pat Practitioner, Example hub team" not in page  # already leads it
    assert elsewhere.full_name not in page
    assert "Allocation and transfer history" in page
    history = page.split("Allocation and transfer history", 1)[1]
    assert "Allocated" in history
    assert "Lee Lead" in history
    assert AuditEvent.objects.filter(action="episode.transfer_viewed", object_id=str(episode.pk)).exists()


def test_transfer_within_the_team_keeps_the_history(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, supervisor: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    target = capacity(world.hub, supervisor)
    client = signed_in(team_lead)

    response = client.post(url(episode), {"to": str(target.pk), "reason": "Pat is going on leave"})

    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}"
    assert leads(episode) == [supervisor]
    assert episode.workers.get(practitioner=practitioner).ended_at is not None
    event = episode.events.get(kind=EpisodeEvent.Kind.TRANSFERRED)
    assert event.note == "Pat is going on leave"
    assert event.by == team_lead
    assert AuditEvent.objects.filter(action="episode.transferred").count() == 1
    page = html(client.get(url(episode)))
    assert "From Pat Practitioner to Sam Supervisor" in page
    assert "Reason: Pat is going on leave" in page


def test_transfer_from_hub_to_satellite_moves_the_family(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, trainee: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    target = capacity(world.satellite, trainee)

    response = signed_in(team_lead).post(url(episode), {"to": str(target.pk), "reason": "Moved to Blackburn"})

    episode.refresh_from_db()
    assert episode.team == world.satellite
    assert episode.family.team == world.satellite
    assert leads(episode) == [trainee]
    # The hub's team lead cannot open the satellite's episodes, so goes back to the hub's caseloads
    assert response["Location"] == f"/teams/{world.hub.pk}/caseloads"
    event = episode.events.get(kind=EpisodeEvent.Kind.TRANSFERRED)
    assert event.detail["to_team"] == str(world.satellite.pk)


def test_a_reason_is_needed_and_past_capacity_needs_another(
    signed_in: Callable[[User], Client], team_lead: User, practitioner: User, supervisor: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    target = capacity(world.hub, supervisor, maximum="0.5")
    client = signed_in(team_lead)

    page = html(client.post(url(episode), {"to": str(target.pk)}))
    assert "Enter why the episode is being transferred" in page
    assert re.search(rf'value="{target.pk}" checked', page)

    page = html(client.post(url(episode), {"to": str(target.pk), "reason": "Leave"}))
    assert "Sam Supervisor would have a weighted caseload of 1, over their maximum of 0.5" in page
    assert "Leave</textarea>" in page
    assert leads(episode) == [practitioner]

    client.post(url(episode), {"to": str(target.pk), "reason": "Leave", "override_reason": "Only 6 weeks"})
    assert leads(episode) == [supervisor]


def test_only_team_leads_transfer(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    assert signed_in(practitioner).get(url(episode)).status_code == 403


def test_outsiders_get_not_found(
    signed_in: Callable[[User], Client], practitioner: User, outsider: User, world: World
) -> None:
    episode = open_episode(world.hub, practitioner)
    assert signed_in(outsider).get(url(episode)).status_code == 404
