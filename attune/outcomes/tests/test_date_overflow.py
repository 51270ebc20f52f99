"""A parent typing a year of 25 digits on the date-of-birth page of their questionnaire link is
told it is not a real date, keeps what they typed, and the link does not count it as a wrong
date of birth (nothing was compared)."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.organisations.tests.world import World
from attune.outcomes.tests.factories_links import send

HUGE_YEAR = "1" * 25


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def episode(world: World, practitioner: User) -> Episode:
    return open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=30))


def test_a_year_of_25_digits_is_not_a_real_date_and_is_kept(
    client: Client, episode: Episode, practitioner: User
) -> None:
    link, token = send(episode, practitioner)

    response = client.post(
        f"/q/{token}", {"date_of_birth-day": "3", "date_of_birth-month": "11", "date_of_birth-year": HUGE_YEAR}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The date must be a real date" in html
    assert 'value="3"' in html
    assert 'value="11"' in html
    assert f'value="{HUGE_YEAR}"' in html
    link.refresh_from_db()
    assert link.failed_checks == 0
