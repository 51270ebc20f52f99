"""How soon a family is first seen, by the priority given at triage. Plain Python.

Each team sets a first-contact target in working days (from receiving the referral to the
family's first appointment) for urgent, soon and routine referrals, dated like its other rules;
a referral with no priority counts as routine. A family's wait is measured against its own
priority's target in force on the day it was accepted onto the waiting list.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from attune.referrals import dated

URGENT, SOON, ROUTINE = "urgent", "soon", "routine"


@dataclass(frozen=True)
class PriorityTargets:
    """A team's first-contact targets in working days, one for each priority."""

    urgent: int
    soon: int
    routine: int

    def of(self, priority: str) -> int:
        """The target of a priority ('' or anything unknown: routine)."""
        return {URGENT: self.urgent, SOON: self.soon}.get(priority, self.routine)


def order_problems(targets: PriorityTargets) -> dict[str, str]:
    """An urgent family cannot be given longer than a soon one, nor a soon one longer than a
    routine one: the problem by the setting that is out of order, in the words the form shows."""
    problems: dict[str, str] = {}
    if targets.urgent > targets.soon:
        problems[URGENT] = (
            f"First contact target for urgent referrals must be no more than the target for soon referrals "
            f"({targets.soon} working days)"
        )
    if targets.soon > targets.routine:
        problems[SOON] = (
            f"First contact target for soon referrals must be no more than the first contact target "
            f"for routine referrals ({targets.routine} working days)"
        )
    return problems


@dataclass(frozen=True)
class History:
    """Every team's first-contact targets over time: `on(team, day)` are those in force that day
    (the default where the team had set none by then)."""

    changes: dict[uuid.UUID, tuple[tuple[date, PriorityTargets], ...]]  # oldest first
    default: PriorityTargets

    @classmethod
    def of(
        cls,
        team_ids: Iterable[uuid.UUID],
        rows: Iterable[tuple[uuid.UUID, date, PriorityTargets]],
        *,
        default: PriorityTargets,
    ) -> "History":
        found: dict[uuid.UUID, list[tuple[date, PriorityTargets]]] = {team_id: [] for team_id in team_ids}
        for team_id, day, targets in rows:
            found.setdefault(team_id, []).append((day, targets))
        return cls({team_id: tuple(sorted(days, key=lambda c: c[0])) for team_id, days in found.items()}, default)

    def on(self, team_id: uuid.UUID, day: date) -> PriorityTargets:
        found = dated.in_force(self.changes.get(team_id, ()), day)
        return found if found is not None else self.default

    def target(self, team_id: uuid.UUID, day: date, priority: str) -> int:
        """The working days a family of this priority, accepted on the day, should wait at most."""
        return self.on(team_id, day).of(priority)
