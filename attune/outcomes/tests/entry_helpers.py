"""Test helpers for recording measures: an episode with a baby of a chosen age, and answers
given as item scores (turned into the printed positions the engine takes)."""

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode
from attune.families.models import Infant
from attune.organisations.models import Team
from attune.outcomes import instruments


def episode_with_baby(team: Team, lead: User, *, months: int = 6, **kwargs: object) -> Episode:
    """An open episode (opened 30 days ago) whose baby is `months` old today."""
    episode = open_episode(team, lead, opened_at=timezone.now() - dt.timedelta(days=30), **kwargs)  # type: ignore[arg-type]
    today = timezone.localdate()
    year, month = today.year, today.month - months
    while month < 1:
        month += 12
        year -= 1
    born = dt.date(year, month, min(today.day, 28))
    Infant.objects.filter(pk=episode.infants.get().pk).update(date_of_birth=born)
    return episode


def answers(code: str, scores: Mapping[int, int] | None = None, *, missing: tuple[int, ...] = ()) -> list[int | None]:
    """Positions as printed that give each item the score asked for (0 unless given); numeric
    items take the number itself (their minimum unless given)."""
    scores = scores or {}
    found: list[int | None] = []
    for item in instruments.get(code).items:
        if item.number in missing:
            found.append(None)
        elif item.numeric:
            assert item.minimum is not None
            found.append(scores.get(item.number, item.minimum))
        else:
            found.append(item.position_for(scores.get(item.number, item.lowest_score)))
    return found
