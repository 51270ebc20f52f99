"""Fixtures shared by the care pages' tests: a client per person, and a hub episode opened on
1 November 2026 with a home visit at 10am on the day the test's clock is set to."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Appointment, Episode
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.organisations.tests.world import World, sign_in_client


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    """as_user(person) -> a new client signed in as them (several people in one test)."""
    return lambda user: sign_in_client(Client(), user)


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    return open_episode(world.hub, practitioner, opened_at=at(dt.date(2026, 11, 1)))


@pytest.fixture
def visit(episode: Episode, practitioner: User) -> Appointment:
    """Today's 10am home visit (today as the module's clock fixture sets it)."""
    return appointment(episode, practitioner, at(timezone.localdate(), 10))
