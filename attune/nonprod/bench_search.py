"""The search part of `make bench` (manage.py bench_reports): a mix of what callers say on the
phone (a misspelt family name, alone or after a given name, a given name with a family name, a
given name alone, an NHS number typed with spaces, a postcode, a date of birth), drawn from the region's own people, timed
through `find_families` as one team and as the whole region, beside the same look-up written by
hand in SQL: LIKE (SQLite) or an unindexed trigram match (PostgreSQL) over the people's names, and
equality on the columns for the exact keys. For each kind: p50 and p95, and how many of the
searches found the family the words came from (the SQL's LIKE finds no misspelling).
"""

import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection

from attune.core.formatting import nhs_number
from attune.families.models import Carer, Infant
from attune.search.engine import find_families

TARGET_SECONDS = 0.3
PER_KIND = 30
KINDS = (
    "misspelt family name",
    "given, misspelt family",
    "given and family name",
    "given name alone",
    "NHS number",
    "postcode",
    "date of birth",
)


@dataclass(frozen=True)
class Probe:
    kind: str
    text: str  # as a caller would type it
    family_id: uuid.UUID  # the family the words came from
    sql: Callable[[Sequence[uuid.UUID]], list[Any]]  # the same look-up, by hand


@dataclass(frozen=True)
class Timing:
    scope: str
    kind: str
    runs: int
    p50: float
    p95: float
    worst: float
    found: int
    sql_p50: float
    sql_p95: float
    sql_found: int


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _misspell(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: two letters swapped, one dropped or one doubled, inside the word."""
    if len(word) < 4:
        return word + word[-1]
    at = rng.randint(1, len(word) - 3)
    slip = rng.choice(("swap", "drop", "double"))
    if slip == "swap" and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def _ids(team_ids: Sequence[uuid.UUID]) -> tuple[str, list[Any]]:
    native = connection.features.has_native_uuid_field
    values = [team_id if native else team_id.hex for team_id in team_ids]
    return ", ".join(["%s"] * len(values)), values


def _people_sql(where: str, params: list[Any], team_ids: Sequence[uuid.UUID]) -> list[Any]:
    """Families in the teams with a carer or infant meeting `where` (p. = the person)."""
    teams, ids = _ids(team_ids)
    sql = (
        "SELECT DISTINCT f.id, f.created_at FROM families_family f "  # noqa: S608 - only placeholders and constants
        f"JOIN families_carer p ON p.family_id = f.id WHERE f.team_id IN ({teams}) AND f.merged_into_id IS NULL AND ({where}) "
        "UNION SELECT DISTINCT f.id, f.created_at FROM families_family f "
        f"JOIN families_infant p ON p.family_id = f.id WHERE f.team_id IN ({teams}) AND f.merged_into_id IS NULL AND ({where}) "
        "ORDER BY 2 DESC LIMIT 26"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *params, *ids, *params])
        return [row[0] for row in cursor.fetchall()]


def _name_sql(words: list[str]) -> Callable[[Sequence[uuid.UUID]], list[Any]]:
    """Every word in the given or family name: LIKE on SQLite; on PostgreSQL pg_trgm's
    similarity, unindexed on the people's names (how one would write it without an index)."""
    if connection.vendor == "postgresql":
        clause = " AND ".join(["(lower(p.given_name) %% lower(%s) OR lower(p.family_name) %% lower(%s))"] * len(words))
        params = [value for word in words for value in (word, word)]
    else:
        clause = " AND ".join(["(lower(p.given_name) LIKE %s OR lower(p.family_name) LIKE %s)"] * len(words))
        params = [value for word in words for value in (f"%{word.lower()}%", f"%{word.lower()}%")]
    return lambda team_ids: _people_sql(clause, params, team_ids)


def _family_sql(where: str, params: list[Any]) -> Callable[[Sequence[uuid.UUID]], list[Any]]:
    def run(team_ids: Sequence[uuid.UUID]) -> list[Any]:
        teams, ids = _ids(team_ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.id FROM families_family f WHERE f.team_id IN ({teams}) AND f.merged_into_id IS NULL "  # noqa: S608
                f"AND {where} ORDER BY f.created_at DESC LIMIT 26",
                [*ids, *params],
            )
            return [row[0] for row in cursor.fetchall()]

    return run


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def probes(team_ids: Sequence[uuid.UUID], *, seed: int = 1, per_kind: int = PER_KIND) -> list[Probe]:
    """What callers would type, for families of these teams, drawn the same way on every run."""
    rng = random.Random(seed)  # noqa: S311 - a benchmark's sample, not security
    carers = list(
        Carer.objects.filter(family__team_id__in=team_ids, family__merged_into__isnull=True)
        .exclude(family_name="")
        .order_by("id")
        .values_list("family_id", "given_name", "family_name", "nhs_number", "family__postcode")[:20000]
    )
    infants = list(
        Infant.objects.filter(family__team_id__in=team_ids, date_of_birth__isnull=False)
        .exclude(nhs_number="")
        .order_by("id")
        .values_list("family_id", "nhs_number", "date_of_birth")[:20000]
    )
    found: list[Probe] = []
    for family_id, _, family, _, _ in rng.sample(carers, per_kind):
        typed = _misspell(rng, family)
        found.append(Probe(KINDS[0], typed, family_id, _name_sql([typed])))
    for family_id, given, family, _, _ in rng.sample(carers, per_kind):
        typed = _misspell(rng, family)
        found.append(Probe(KINDS[1], f"{given} {typed}", family_id, _name_sql([given, typed])))
    for family_id, given, family, _, _ in rng.sample(carers, per_kind):
        found.append(Probe(KINDS[2], f"{given} {family}", family_id, _name_sql([given, family])))
    for family_id, given, _, _, _ in rng.sample(carers, per_kind):
        found.append(Probe(KINDS[3], given, family_id, _name_sql([given])))
    for family_id, number, _ in rng.sample(infants, per_kind):
        where = "EXISTS (SELECT 1 FROM families_infant p WHERE p.family_id = f.id AND p.nhs_number = %s)"
        found.append(Probe(KINDS[4], nhs_number(number), family_id, _family_sql(where, [number])))
    for family_id, _, _, _, postcode in rng.sample(carers, per_kind):
        found.append(
            Probe(KINDS[5], postcode.replace(" ", "").lower(), family_id, _family_sql("f.postcode = %s", [postcode]))
        )
    for family_id, _, born in rng.sample(infants, per_kind):
        assert born is not None
        where = (
            "EXISTS (SELECT 1 FROM families_infant p WHERE p.family_id = f.id "
            "AND (p.date_of_birth = %s OR p.expected_due_date = %s))"
        )
        found.append(
            Probe(KINDS[6], f"{born.day}/{born.month}/{born.year}", family_id, _family_sql(where, [_day(born)] * 2))
        )
    return found


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _engine(text: str, teams: list[uuid.UUID]) -> list[uuid.UUID]:
    return find_families(text, team_ids=teams, limit=25).family_ids


def bench(scope: str, team_ids: Sequence[uuid.UUID], sample: list[Probe]) -> list[Timing]:
    """Each probe once as a warm-up, then timed: the engine, then the hand-written SQL."""
    teams = list(team_ids)
    for probe in sample[:: max(1, len(sample) // 10)]:
        find_families(probe.text, team_ids=teams)
        probe.sql(teams)
    timings = []
    for kind in KINDS:
        mine = [probe for probe in sample if probe.kind == kind]
        if not mine:
            continue
        times, sql_times, found, sql_found = [], [], 0, 0
        for probe in mine:
            seconds, result = _timed(partial(_engine, probe.text, teams))
            times.append(seconds)
            found += probe.family_id in result
            seconds, rows = _timed(partial(probe.sql, teams))
            sql_times.append(seconds)
            sql_found += any(str(row).replace("-", "") == probe.family_id.hex for row in rows)
        timings.append(
            Timing(
                scope=scope,
                kind=kind,
                runs=len(mine),
                p50=statistics.median(times),
                p95=_percentile(times, 0.95),
                worst=max(times),
                found=found,
                sql_p50=statistics.median(sql_times),
                sql_p95=_percentile(sql_times, 0.95),
                sql_found=sql_found,
            )
        )
    return timings


def bench_page(scope: str, client: Any, sample: list[Probe]) -> list[Timing]:
    """The whole search page (signed in, through django.test.Client), for each kind."""
    for probe in sample[:: max(1, len(sample) // 10)]:
        client.get("/search", {"q": probe.text}, secure=True)
    timings = []
    for kind in KINDS:
        mine = [probe for probe in sample if probe.kind == kind]
        times, found = [], 0
        for probe in mine:
            seconds, response = _timed(partial(client.get, "/search", {"q": probe.text}, secure=True))
            if response.status_code != 200:
                raise RuntimeError(f"/search answered {response.status_code}")
            times.append(seconds)
            found += f"/families/{probe.family_id}" in response.content.decode()
        if times:
            timings.append(
                Timing(
                    scope,
                    kind,
                    len(mine),
                    statistics.median(times),
                    _percentile(times, 0.95),
                    max(times),
                    found,
                    0,
                    0,
                    0,
                )
            )
    return timings


def table(engine: str, timings: list[Timing]) -> list[str]:
    lines = [
        f"{'Engine':<11} {'Scope':<22} {'Search':<22} {'n':>3} {'p50':>7} {'p95':>7} {'max':>7} {'found':>6}"
        f"  {'SQL p50':>8} {'SQL p95':>8} {'SQL found':>9}"
    ]
    for t in timings:
        if not t.sql_p50:
            lines.append(
                f"{engine:<11} {t.scope:<22} {t.kind:<22} {t.runs:>3} {t.p50 * 1000:>5.0f}ms {t.p95 * 1000:>5.0f}ms "
                f"{t.worst * 1000:>5.0f}ms {t.found:>3}/{t.runs:<2}"
            )
            continue
        lines.append(
            f"{engine:<11} {t.scope:<22} {t.kind:<22} {t.runs:>3} {t.p50 * 1000:>5.0f}ms {t.p95 * 1000:>5.0f}ms "
            f"{t.worst * 1000:>5.0f}ms {t.found:>3}/{t.runs:<2}  {t.sql_p50 * 1000:>6.0f}ms {t.sql_p95 * 1000:>6.0f}ms "
            f"{t.sql_found:>6}/{t.runs:<2}"
        )
    return lines
