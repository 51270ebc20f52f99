"""How long a referral has waited for triage, in working days, with the clock paused while the
team waits for more information (target per team, default 5 working days)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from attune.core import clocks
from attune.referrals.models import ReferralStatus
from attune.referrals.workflow import PAUSED, Status


@dataclass(frozen=True)
class TriageClock:
    working_days: int
    target: int
    paused: bool

    @property
    def state(self) -> str:
        """'within', 'due' (the last day of the target) or 'over'."""
        if self.working_days > self.target:
            return "over"
        if self.working_days >= self.target - 1:
            return "due"
        return "within"


def pauses(history: list[ReferralStatus]) -> list[tuple[date, date | None]]:
    """Periods spent waiting for information, from the status history (oldest first)."""
    found: list[tuple[date, date | None]] = []
    started: date | None = None
    for row in history:
        day = _local_date(row)
        if Status(row.status) in PAUSED and started is None:
            started = day
        elif Status(row.status) not in PAUSED and started is not None:
            found.append((started, day))
            started = None
    if started is not None:
        found.append((started, None))
    return found


def _local_date(row: ReferralStatus) -> date:
    return timezone.localdate(row.entered_at)


def triage_clock(received: date, history: list[ReferralStatus], *, today: date, target: int) -> TriageClock:
    paused = bool(history) and Status(history[-1].status) in PAUSED
    days = clocks.working_days_excluding(received, today, pauses(history))
    return TriageClock(days, target, paused)
