"""A leaver's handover page: what they lead, supervise and still have to do, and their caseload
moved in one go through care's transfer action."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from attune.accounts.models import User
from attune.care.codes import WorkerRole
from attune.care.models import EpisodeWorker
from attune.care.tests.factories import CapacityFactory, open_episode
from attune.core.models import AuditEvent
from attune.organisations.tests.world import World

SignedIn = Callable[[User], Client]


def _lead_of(episode_id: object) -> object:
    return (
        EpisodeWorker.objects.filter(episode_id=episode_id, role=WorkerRole.LEAD, ended_at__isnull=True)
        .values_list("practitioner_id", flat=True)
        .get()
    )


def test_the_handover_shows_counts_and_teams_never_a_family(
    world: World, system_admin: User, practitioner: User, team_lead: User, signed_in: SignedIn
) -> None:
    CapacityFactory(team=world.hub, practitioner=team_lead)
    episode = open_episode(world.hub, practitioner)
    page = signed_in(system_admin).get(reverse("dashboards:handover", args=[practitioner.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Example hub team: 1 family" in body
    assert "Lee Lead" in body
    names = [p.family_name for p in [*episode.family.carers.all(), *episode.family.infants.all()] if p.family_name]
    assert names
    assert not any(name in body for name in names)
    assert AuditEvent.objects.filter(action="caseload.handover_viewed", object_id=str(practitioner.pk)).exists()


def test_the_whole_caseload_moves_to_another_practitioner_of_the_team(
    world: World, system_admin: User, practitioner: User, team_lead: User, signed_in: SignedIn
) -> None:
    CapacityFactory(team=world.hub, practitioner=team_lead)
    episodes = [open_episode(world.hub, practitioner) for _ in range(2)]
    prefix = f"team-{world.hub.pk}"
    response = signed_in(system_admin).post(
        reverse("dashboards:handover", args=[practitioner.pk]),
        {"team": str(world.hub.pk), f"{prefix}-to_practitioner": str(team_lead.pk), f"{prefix}-reason": "Leaving"},
        follow=True,
    )
    assert "2 families in Example hub team moved to Lee Lead." in response.content.decode()
    assert [_lead_of(e.pk) for e in episodes] == [team_lead.pk, team_lead.pk]
    assert AuditEvent.objects.filter(action="episode.transferred").count() == 2


def test_a_reassignment_without_a_reason_is_refused_and_nothing_moves(
    world: World, system_admin: User, practitioner: User, team_lead: User, signed_in: SignedIn
) -> None:
    CapacityFactory(team=world.hub, practitioner=team_lead)
    episode = open_episode(world.hub, practitioner)
    prefix = f"team-{world.hub.pk}"
    response = signed_in(system_admin).post(
        reverse("dashboards:handover", args=[practitioner.pk]),
        {"team": str(world.hub.pk), f"{prefix}-to_practitioner": str(team_lead.pk), f"{prefix}-reason": ""},
    )
    assert "Enter why the families are moving" in response.content.decode()
    assert _lead_of(episode.pk) == practitioner.pk


def test_the_handover_page_reads_in_few_queries(
    world: World,
    system_admin: User,
    practitioner: User,
    team_lead: User,
    signed_in: SignedIn,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    CapacityFactory(team=world.hub, practitioner=team_lead)
    client = signed_in(system_admin)
    open_episode(world.hub, practitioner)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        client.get(reverse("dashboards:handover", args=[practitioner.pk]))
    for _ in range(20):
        open_episode(world.hub, practitioner)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        client.get(reverse("dashboards:handover", args=[practitioner.pk]))
