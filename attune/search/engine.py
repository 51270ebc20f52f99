"""Finding a family from what a caller says on the phone: a name (misspelt, accented, hyphenated,
"Mc" or "Mac"), an NHS number, a date of birth or due date, a postcode, a phone number or a
referral reference, or a name with a date or postcode to narrow it (ADR 0015).

Only families whose team is among `team_ids` are ever matched, and only current records (not
merged into another), so nothing outside the person's scope is hinted at, not even in a count.

Exact keys are one indexed query. A name is found in three steps: the database offers the
spellings in the vocabulary close to each typed word (families.search_index: pg_trgm or FTS5),
rapidfuzz ranks them in Python, and the families holding the good ones are fetched by those
words exactly, then ranked by how well all the typed words matched (best first).
"""

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from rapidfuzz.distance import JaroWinkler

from attune.families import search_index
from attune.families.models import Family, SearchEntry, SearchKind
from attune.search import query as queries
from attune.search.query import Query

# How alike a spelling must be to count (Jaro-Winkler, 0 to 1): closer for short words, where
# one letter changes more ('hll' finds Hill and 'kahn' Khan, but 'leo' is not Lee nor 'ava' Eva).
# Words of two letters must be typed exactly or be the start of the name.
CLOSE_ENOUGH = {3: 0.9, 4: 0.9}
CLOSE_ENOUGH_LONGER = 0.85
SHORTEST_FUZZY = 3
EXACT = 1.0
STARTS_WITH = 0.9
# A close spelling never outranks the name as typed; a former name ranks just below a current one.
SPELLING_WEIGHT = 0.95
FORMER_WEIGHT = 0.97
# A family where one person matches every word typed ("Chloe Ashworth") comes first.
SAME_PERSON_BONUS = 0.02


@dataclass(frozen=True)
class Found:
    problem: str  # "" when the search ran; else a clear message ("Enter at least 2 characters")
    kind: str  # "name" | "nhs_number" | "date" | "postcode" | "reference" | "phone" | ""
    family_ids: list[uuid.UUID]  # best first, at most `limit`
    more: bool  # there were more matches than `limit`
    total: int = 0  # how many matched in all (the page says "the first 25 of 140")


def find_families(text: str, *, team_ids: Collection[uuid.UUID], limit: int = 25) -> Found:
    """The families in these teams that match what was typed, best first."""
    return run(queries.parse(text, today=timezone.localdate()), team_ids=team_ids, limit=limit)


def run(query: Query, *, team_ids: Collection[uuid.UUID], limit: int = 25) -> Found:
    """A parsed query (the results page parses once, to say what it searched by)."""
    if query.problem:
        return Found(query.problem, query.kind, [], False)
    teams = list(team_ids)
    if not teams or limit < 1:
        return Found("", query.kind, [], False)
    if query.kind == queries.NAME:
        ranked, total = _by_name(query, teams, limit)
    else:
        ranked, total = _by_key(query, Family.objects.current().filter(team_id__in=teams), limit)
    return Found("", query.kind, ranked[:limit], len(ranked) > limit, total)


# Exact keys ----------------------------------------------------------------------------------


def _narrowed(query: Query, families: QuerySet[Family]) -> QuerySet[Family]:
    """Families that also have the date and postcode typed (either may narrow a name)."""
    if query.dates:
        dates = [day.isoformat() for day in query.dates]
        families = families.filter(pk__in=search_index.families_with(SearchKind.DATE, dates).values("family_id"))
    if query.postcode:
        rows = search_index.families_with(SearchKind.POSTCODE, [query.postcode], prefix=query.postcode_is_prefix)
        families = families.filter(pk__in=rows.values("family_id"))
    return families


def _by_key(query: Query, families: QuerySet[Family], limit: int) -> tuple[list[uuid.UUID], int]:
    """Two queries: the families with the key typed, newest record first, and how many there are."""
    if query.kind == queries.REFERENCE:
        families = families.filter(referrals__reference=query.reference)
    elif query.kind == queries.NHS_NUMBER:
        rows = search_index.families_with(SearchKind.NHS_NUMBER, [query.nhs_number])
        families = families.filter(pk__in=rows.values("family_id"))
    elif query.kind == queries.PHONE:
        rows = search_index.families_with(SearchKind.PHONE, [query.phone])
        families = families.filter(pk__in=rows.values("family_id"))
    else:  # a date, a postcode, or both
        families = _narrowed(query, families)
    found = families.order_by("-created_at", "pk").values_list("pk", flat=True).distinct()
    # Counted every time, not only past the limit, so the page makes the same queries however
    # many match.
    return list(found[: limit + 1]), found.order_by().count()


# Names ---------------------------------------------------------------------------------------


def close_enough(typed: str) -> float:
    return CLOSE_ENOUGH.get(len(typed), CLOSE_ENOUGH_LONGER)


def spelling_score(typed: str, word: str) -> float:
    """How well a word of the vocabulary answers a typed word: 1 when the same, 0.9 when it
    starts with it, the likeness of the spelling (below both) when close enough, else 0."""
    if word == typed:
        return EXACT
    if word.startswith(typed):
        return STARTS_WITH
    if len(typed) < SHORTEST_FUZZY:
        return 0.0
    likeness = JaroWinkler.normalized_similarity(typed, word)
    return likeness * SPELLING_WEIGHT if likeness >= close_enough(typed) else 0.0


def spellings(typed: str) -> dict[str, float]:
    """The words of the vocabulary that answer a typed word, with how well."""
    candidates = {typed, *search_index.candidate_words(typed)}
    scored = {word: spelling_score(typed, word) for word in candidates}
    return {word: score for word, score in scored.items() if score > 0}


# A row of the index as the database gives it, kept as text: converting thousands of ids and
# times into objects would cost more than the search (only the families shown are converted).
Row = tuple[str, str | None, str, str, str]  # family, person, kind, word, family record created


def rank(by_word: list[dict[str, float]], rows: list[Row]) -> list[str]:
    """Families that match every typed word (`by_word`: for each, the words that answer it and
    how well), best first: the mean of each typed word's best score, a little more when one
    person matches them all; then the newest record first (the time as text sorts as the time)."""
    hits: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, scores in enumerate(by_word):
        for word, score in scores.items():
            hits[word].append((position, score))
    best: dict[str, dict[int, float]] = {}
    people: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    created: dict[str, str] = {}
    for family_id, person_id, kind, value, created_at in rows:
        weight = FORMER_WEIGHT if kind == SearchKind.FORMER_NAME else 1.0
        family_best = best.setdefault(family_id, {})
        created[family_id] = created_at
        person = people[(family_id, person_id)]
        for position, score in hits.get(value, ()):
            family_best[position] = max(family_best.get(position, 0.0), score * weight)
            person.add(position)
    count = len(by_word)
    whole = {family_id for (family_id, _), found in people.items() if len(found) == count} if count > 1 else set()
    scores = {
        family_id: round(sum(found.values()) / count + (SAME_PERSON_BONUS if family_id in whole else 0.0), 6)
        for family_id, found in best.items()
        if len(found) == count
    }
    ranked = sorted(scores)  # by id, so equal families come in the same order every time
    ranked.sort(key=created.__getitem__, reverse=True)
    ranked.sort(key=scores.__getitem__, reverse=True)
    return ranked


def _by_name(query: Query, team_ids: list[uuid.UUID], limit: int) -> tuple[list[uuid.UUID], int]:
    by_word = [spellings(word) for word in query.names]
    if not all(by_word):
        return [], 0  # a typed word that matches nothing: no family can match them all
    names = [SearchKind.NAME, SearchKind.FORMER_NAME]
    # The scope (the teams' current families, as Family.objects.current() says) is a condition on
    # the joined family, not `family_id IN (the teams' families)`: PostgreSQL then starts from the
    # index on the words and looks up each entry's family, where the subquery let it walk every
    # family of the teams first when its statistics were missing or stale (a surname in the
    # region's hub before ANALYZE: 1 ms against 72 ms; the same 1 ms once analysed).
    rows = SearchEntry.objects.filter(
        kind__in=names,
        value__in=sorted(set().union(*by_word)),
        family__team_id__in=team_ids,
        family__merged_into__isnull=True,
    )
    if query.dates or query.postcode:
        rows = rows.filter(family__in=_narrowed(query, Family.objects.all()))
    if len(by_word) > 1:
        # Only families with a word answering each typed word: the database drops the rest.
        for scores in by_word:
            rows = rows.filter(
                family_id__in=SearchEntry.objects.filter(kind__in=names, value__in=sorted(scores)).values("family_id")
            )
    text: CharField[str, str] = CharField()
    found = rows.order_by().values_list(
        Cast("family_id", text), Cast("person_id", text), "kind", "value", Cast("family__created_at", text)
    )
    ranked = rank(by_word, list(found))
    return [uuid.UUID(family_id) for family_id in ranked[: limit + 1]], len(ranked)
