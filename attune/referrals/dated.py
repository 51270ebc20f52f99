"""Rules that change on a day: which one was in force on another day. Plain Python.

A team's rules are history rows, each in force from its day until the next one's, so a
referral received last month keeps the triage target of last month.
"""

import bisect
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def in_force(changes: Iterable[tuple[date, T]], on: date) -> T | None:
    """The value of the latest change made by the day, or None before the first."""
    found: tuple[date, T] | None = None
    for day, value in changes:
        if day <= on and (found is None or day >= found[0]):
            found = (day, value)
    return found[1] if found is not None else None


@dataclass(frozen=True)
class Targets:
    """Each team's triage targets over time: `on(team, day)` is the target in force that day."""

    changes: dict[uuid.UUID, tuple[tuple[date, int], ...]]  # oldest first
    default: int

    @classmethod
    def of(
        cls, team_ids: Iterable[uuid.UUID], rows: Iterable[tuple[uuid.UUID, date, int]], *, default: int
    ) -> "Targets":
        found: dict[uuid.UUID, list[tuple[date, int]]] = {team_id: [] for team_id in team_ids}
        for team_id, day, target in rows:
            found.setdefault(team_id, []).append((day, target))
        return cls({team_id: tuple(sorted(days)) for team_id, days in found.items()}, default)

    def on(self, team_id: uuid.UUID, day: date) -> int:
        changes = self.changes.get(team_id, ())
        at = bisect.bisect_right([d for d, _ in changes], day)
        return changes[at - 1][1] if at else self.default

    def all_on(self, day: date) -> dict[uuid.UUID, int]:
        return {team_id: self.on(team_id, day) for team_id in self.changes}
