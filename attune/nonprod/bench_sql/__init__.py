"""Hand-written SQL for every figure a report shows, to time beside the report page and to check
its figures. Plain, portable SQL (SQLite and PostgreSQL alike) through connection.cursor(): the
same rules as attune/reports/indicators (periods are Europe/London days; a referral counts when
received, an appointment when booked to start, an episode when discharged and not reopened by
the period's end), written the way someone would write them by hand. Where a figure needs the
project's own arithmetic (working days, percentiles, the supervision standard, pro-rata money),
the SQL fetches the rows and the pure modules (attune.core.clocks, attune.reports.stats,
attune.supervision.standard, attune.commissioning.costs) do the sums, as a person checking a
figure in a spreadsheet would.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from attune.nonprod.bench_sql import caseload, counts, equity, outcomes, waits
from attune.nonprod.bench_sql.common import Bounds

Median = float | None


@dataclass
class Headline:
    """The figures the SQL gives for one scope and period."""

    referrals_by_source: dict[str, int] = field(default_factory=dict)
    # Status at the end of the period (or today, if sooner) -> referrals received in the period.
    decisions: dict[str, int] = field(default_factory=dict)
    # Label -> (families, median, 90th percentile), in working days.
    waits: dict[str, tuple[int, Median, Median]] = field(default_factory=dict)
    appointments_by_attendance: dict[str, int] = field(default_factory=dict)
    families_seen: int = 0
    # Attended contacts with an interpreter booked, confirmed and not cancelled.
    interpreted_contacts: int = 0
    discharged_episodes: int = 0
    # Discharge reason -> (episodes, median weeks, median attended contacts).
    episodes_by_reason: dict[str, tuple[int, Median, Median]] = field(default_factory=dict)
    episode_length: tuple[Median, Median] = (None, None)  # every completed episode: weeks, contacts
    paired_scores: int = 0
    # Measure name -> outcomes.COLUMNS (pairs, reliably improved, unchanged, deteriorated, above the
    # cut-off at baseline, of those below it at the latest, cases, cases improved); None: not judged.
    outcomes: dict[str, tuple[int | None, ...]] = field(default_factory=dict)
    # Open at the end of the "as at" day: allocated before it, latest event by then not a discharge.
    open_episodes: int = 0
    # Team name -> (open episodes, weighted caseload, capacity) on the "as at" day.
    caseload: dict[str, tuple[int, Decimal, Decimal]] = field(default_factory=dict)
    # Team name -> (practitioners and trainees, weeks or fortnights needing supervision, met).
    supervision: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    alerts_raised: int = 0
    alerts_open: int = 0  # raised in the period, no action recorded by the end of the "as at" day
    alerts_times: tuple[Median, Median] = (None, None)  # days to action: median, 90th percentile
    training_sessions: int = 0
    training_attendees: int = 0
    training_by_kind: dict[str, tuple[int, int, Decimal]] = field(default_factory=dict)
    # Breakdown ("deprivation", "ethnicity", "age", "carer", "stresses") -> the report's row label
    # -> (referrals, accepted, seen).
    equity: dict[str, dict[str, tuple[int, int, int]]] = field(default_factory=dict)
    postcodes_unknown: tuple[int, int] = (0, 0)  # referrals with no postcode, with one not in the lookup
    staff_cost: Decimal = Decimal("0.00")
    funding: Decimal | None = None  # from the funder, for a funder's report; None: no agreement

    @property
    def referrals(self) -> int:
        return sum(self.referrals_by_source.values())


def headline(
    team_ids: Iterable[uuid.UUID],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    *,
    funder_id: uuid.UUID | None = None,
) -> Headline:
    bounds = Bounds.of(team_ids, start, end, today)
    out = Headline()
    counts.fill(out, bounds)
    waits.fill(out, bounds)
    outcomes.fill(out, bounds)
    caseload.fill(out, bounds, caseload.team_names(bounds))
    equity.fill(out, bounds)
    equity.fill_costs(out, bounds, funder_id)
    return out
