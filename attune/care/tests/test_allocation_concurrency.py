"""Two team leads allocating at the same moment, each in their own database session: the locks
in allocate_episode let only one open an episode for a family, and only one fill a
practitioner's last place. PostgreSQL only: SQLite has no row locks to test."""

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care import services
from attune.care.models import Episode
from attune.care.tests.factories import seed_interventions, waiting_referral
from attune.care.tests.factories_waiting import capacity
from attune.core.actors import Actor
from attune.core.testing.actors import acting
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite has no row locks (select_for_update does nothing there). "
        "Run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]

# How long the first allocation holds its locks: long enough that the second is certainly
# waiting on them, not merely slower.
HOLD = 0.5


def _request(user: User) -> Actor:
    return acting(user, ip="192.0.2.30")


def _race(attempts: list[Callable[[], Any]]) -> tuple[list[Any], list[tuple[float, float]]]:
    """Run each attempt in its own thread (so its own database connection), released together by
    a barrier. Inside the locked section the capacity check sleeps, so whoever gets the locks
    first holds them while the other waits. Returns each outcome (a result or the exception) and
    when each thread was inside the capacity check."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[Any] = [None] * len(attempts)
    inside: list[tuple[float, float]] = []
    lock = threading.Lock()
    real = services.weighted_caseloads

    def slow(*args: Any, **kwargs: Any) -> dict[object, Decimal]:
        started = time.monotonic()
        loads = real(*args, **kwargs)
        time.sleep(HOLD)
        with lock:
            inside.append((started, time.monotonic()))
        return loads

    def run(index: int, attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = attempt()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    with mock.patch.object(services, "weighted_caseloads", slow):
        threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes, sorted(inside)


def _lead(world: World, name: str) -> User:
    person: User = UserFactory(full_name=name)
    MembershipFactory(user=person, role=Role.TEAM_LEAD, team=world.hub)
    return person


def _allocate(lead: User, referral: Referral, practitioner: User) -> Callable[[], Episode]:
    interventions = [services.Intervention.objects.get(code="parent-infant-psychotherapy")]
    return lambda: services.allocate_episode(
        actor=_request(lead), referral=referral, lead=practitioner, interventions=interventions
    )


def test_two_leads_allocating_the_same_family_open_one_episode(world: World, practitioner: User) -> None:
    seed_interventions()
    capacity(world.hub, practitioner, maximum="12")
    referral = waiting_referral(world.hub)
    first, second = _lead(world, "Lee Lead"), _lead(world, "Lou Lead")

    outcomes, inside = _race([_allocate(first, referral, practitioner), _allocate(second, referral, practitioner)])

    episodes = [o for o in outcomes if isinstance(o, Episode)]
    refused = [o for o in outcomes if isinstance(o, services.AlreadyAllocated)]
    assert len(episodes) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert refused[0].episode.pk == episodes[0].pk
    assert Episode.objects.filter(referral=referral).count() == 1
    # The second reached the check only after the first had finished with it: it waited on the
    # referral's lock (it never reached the capacity check at all).
    assert len(inside) == 1


def test_two_leads_cannot_both_fill_a_practitioners_last_place(world: World, practitioner: User) -> None:
    seed_interventions()
    capacity(world.hub, practitioner, maximum="1")  # room for one family of weight 1
    one, other = waiting_referral(world.hub), waiting_referral(world.hub)
    first, second = _lead(world, "Lee Lead"), _lead(world, "Lou Lead")

    outcomes, inside = _race([_allocate(first, one, practitioner), _allocate(second, other, practitioner)])

    episodes = [o for o in outcomes if isinstance(o, Episode)]
    refused = [o for o in outcomes if isinstance(o, services.CapacityExceeded)]
    assert len(episodes) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert refused[0].over == [(practitioner, Decimal("2.00"), Decimal("1.00"))]
    assert Episode.objects.filter(workers__practitioner=practitioner).count() == 1
    # Both checked the capacity, one after the other: the second waited on the capacity row's
    # lock until the first had committed its episode.
    assert len(inside) == 2
    (_, first_done), (second_started, _) = inside
    assert second_started >= first_done - 0.01
