"""Who sees which episode, appointment and waiting list: the episode's team, nobody else."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from attune.accounts.models import User
from attune.care import scope as care_scope
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.models import AuditEvent
from attune.organisations.scope import Scope
from attune.organisations.tests.world import World


def _scope(user: User) -> Scope:
    request = RequestFactory().get("/episodes/x")
    request.user = user
    return Scope.for_request(request)


def test_an_episode_is_seen_by_its_team_only(
    world: World, practitioner: User, trainee: User, supervisor: User, outsider: User
) -> None:
    hub_episode = open_episode(world.hub, practitioner)
    satellite_episode = open_episode(world.satellite, trainee)
    assert care_scope.get_episode(_scope(practitioner), hub_episode.pk) == hub_episode
    # The hub supervisor holds a role in the satellite too; the satellite trainee does not in the hub.
    assert set(care_scope.episodes(_scope(supervisor))) == {hub_episode, satellite_episode}
    assert set(care_scope.episodes(_scope(trainee))) == {satellite_episode}
    for person, episode in ((trainee, hub_episode), (outsider, satellite_episode)):
        with pytest.raises(Http404):
            care_scope.get_episode(_scope(person), episode.pk)
    refusals = AuditEvent.objects.filter(action="access.refused", object_type="care.episode")
    assert refusals.count() == 2


def test_an_appointment_follows_its_episode(world: World, practitioner: User, outsider: User) -> None:
    appointment = AppointmentFactory(episode=open_episode(world.hub, practitioner), practitioner=practitioner)
    assert care_scope.get_appointment(_scope(practitioner), appointment.pk) == appointment
    with pytest.raises(Http404):
        care_scope.get_appointment(_scope(outsider), appointment.pk)
    assert not care_scope.appointments(_scope(outsider)).exists()


def test_only_team_leads_run_the_waiting_list(
    world: World, team_lead: User, practitioner: User, outsider: User
) -> None:
    assert care_scope.get_lead_team(_scope(team_lead), world.hub.pk) == world.hub
    with pytest.raises(PermissionDenied):
        care_scope.get_lead_team(_scope(practitioner), world.hub.pk)
    with pytest.raises(Http404):
        care_scope.get_lead_team(_scope(outsider), world.hub.pk)
    assert list(care_scope.lead_teams(_scope(team_lead))) == [world.hub]
