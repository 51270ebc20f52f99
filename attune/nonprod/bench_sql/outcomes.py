"""Paired outcome measures per instrument: each series' first and latest complete score by SQL
(window functions, both engines), reliable change by attune.outcomes.scoring."""

from collections import Counter
from typing import TYPE_CHECKING, Any

from attune.nonprod.bench_sql.common import Bounds, date_of, day, rows
from attune.outcomes import instruments
from attune.outcomes.scoring import DETERIORATED, IMPROVED, NO_RELIABLE_CHANGE, reliable_change

if TYPE_CHECKING:
    from attune.nonprod.bench_sql import Headline

RESULTS = {IMPROVED: "improved", NO_RELIABLE_CHANGE: "unchanged", DETERIORATED: "deteriorated"}
COLUMNS = (
    "pairs",
    "improved",
    "unchanged",
    "deteriorated",
    "above_at_start",
    "moved_below",
    "cases",
    "cases_improved",
)
TREATED_CONTACTS = 2  # NHS Talking Therapies: a course of treatment is two attended contacts


def fill(out: "Headline", b: Bounds) -> None:
    episodes, episode_params = b.outcome_episodes()
    series: dict[tuple[Any, ...], dict[str, tuple[Any, ...]]] = {}
    for episode_id, carer_id, infant_id, code, completed_on, total, above, up, down in rows(
        f"""SELECT * FROM (
                SELECT a.episode_id, a.carer_id, a.infant_id, a.instrument, a.completed_on, a.total, a.above_cutoff,
                       ROW_NUMBER() OVER (PARTITION BY a.episode_id, a.carer_id, a.infant_id, a.instrument
                                          ORDER BY a.completed_on, a.created_at, a.id) AS up,
                       ROW_NUMBER() OVER (PARTITION BY a.episode_id, a.carer_id, a.infant_id, a.instrument
                                          ORDER BY a.completed_on DESC, a.created_at DESC, a.id DESC) AS down
                FROM outcomes_administration a
                WHERE a.complete = %s AND a.total IS NOT NULL AND a.completed_on <= %s
                  AND a.episode_id IN ({episodes})
            ) ends
            WHERE up = 1 OR down = 1""",  # noqa: S608
        [True, day(b.end), *episode_params],
    ):
        ends = series.setdefault((episode_id, carer_id, infant_id, code), {})
        if up == 1:
            ends["first"] = (date_of(completed_on), float(total), above)
        if down == 1:
            ends["last"] = (date_of(completed_on), float(total), above)
    attended = dict(
        rows(
            f"""SELECT episode_id, COUNT(*) FROM care_appointment
                WHERE attendance IN ('5', '6') AND starts_at < %s AND episode_id IN ({episodes})
                GROUP BY episode_id""",  # noqa: S608
            [b.end_at, *episode_params],
        )
    )
    tallies: dict[str, Counter[str]] = {}
    unjudged: set[str] = set()
    for (episode_id, _carer, _infant, code), ends in series.items():
        (first_on, before, above_before), (last_on, after, above_after) = ends["first"], ends["last"]
        if last_on <= first_on:
            continue
        tally = tallies.setdefault(code, Counter())
        tally["pairs"] += 1
        case = bool(above_before) and attended.get(episode_id, 0) >= TREATED_CONTACTS
        tally["above_at_start"] += bool(above_before)
        tally["moved_below"] += bool(above_before) and above_after is not None and not above_after
        tally["cases"] += case
        try:
            result = RESULTS[reliable_change(code, before, after)]
        except (KeyError, ValueError):
            unjudged.add(code)
        else:
            tally[result] += 1
            tally["cases_improved"] += case and result == "improved"
    out.outcomes = {}
    for code, tally in tallies.items():
        judged = code not in unjudged and sum(tally[key] for key in RESULTS.values()) == tally["pairs"]
        shown = ("pairs", "above_at_start", "moved_below", "cases")
        out.outcomes[_name(code)] = tuple(tally[c] if judged or c in shown else None for c in COLUMNS)


def _name(code: str) -> str:
    try:
        return instruments.get(code).name
    except KeyError:
        return code
