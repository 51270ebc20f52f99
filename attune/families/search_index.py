"""The search index: the keys each current family is found by (SearchEntry) and the vocabulary of
name words (SearchWord), kept current by the actions that change a name, an NHS number, a date
of birth or due date, a postcode or a phone number. They call `reindex_family` in their own
transaction (no signals: a change made any other way, such as a loader's bulk write, calls
`reindex_families` itself). ADR 0015.

Each database does what it is good at. The exact keys are looked up by equality on one B-tree
index (kind, value). For names, the database finds the spellings close to the one typed among
the vocabulary: PostgreSQL with pg_trgm (a GIN trigram index on the words), SQLite with an FTS5
table using the trigram tokenizer (FTS_TABLE, kept in step with the vocabulary here); the
search then ranks those spellings in Python and looks the families up by them exactly.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models.functions import Length

from attune.families.models import Carer, Family, Infant, SearchEntry, SearchKind, SearchWord
from attune.families.search_keys import name_words, phone_key, postcode_key

FTS_TABLE = "families_searchword_fts"
CHUNK = 500
# How many close spellings the database offers for one typed word (ranked in Python after).
CANDIDATE_WORDS = 200
NEAR_WORDS = 500
# Shorter than this, only words that start with what was typed (two letters say too little).
SHORTEST_NEAR = 3


@dataclass(frozen=True)
class IndexModels:
    """The models the index is written with: the app's own, or a migration's historical ones."""

    family: Any = Family
    infant: Any = Infant
    carer: Any = Carer
    entry: Any = SearchEntry
    word: Any = SearchWord


def _person_entries(model: Any, person: Any, family_id: Any) -> Iterator[Any]:
    current = name_words(person.given_name, person.family_name)
    for word in sorted(current):
        yield model(family_id=family_id, person_id=person.pk, kind=SearchKind.NAME, value=word)
    for word in sorted(name_words(*person.former_names) - current):
        yield model(family_id=family_id, person_id=person.pk, kind=SearchKind.FORMER_NAME, value=word)
    if person.nhs_number:
        yield model(family_id=family_id, person_id=person.pk, kind=SearchKind.NHS_NUMBER, value=person.nhs_number)
    dates = {person.date_of_birth, getattr(person, "expected_due_date", None)} - {None}
    for day in sorted(dates):
        yield model(family_id=family_id, person_id=person.pk, kind=SearchKind.DATE, value=day.isoformat())
    phone = phone_key(getattr(person, "phone", ""))
    if phone:
        yield model(family_id=family_id, person_id=person.pk, kind=SearchKind.PHONE, value=phone[:50])


def _chunks(ids: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def reindex_family(family_id: uuid.UUID) -> None:
    """Rebuild one family's keys (an action that changed them calls this in its transaction)."""
    reindex_families([family_id])


def reindex_families(family_ids: Iterable[Any], *, using: IndexModels | None = None) -> int:
    """Rebuild the keys of these families, a few hundred at a time, in a handful of queries per
    chunk whatever the number of people; a family whose keys have not changed is left as it is.
    Returns the number of keys written."""
    found = IndexModels() if using is None else using
    ids = sorted(set(family_ids), key=str)
    written = 0
    for chunk in _chunks(ids, CHUNK):
        entries: list[Any] = []
        postcodes = found.family.objects.filter(pk__in=chunk).values_list("pk", "postcode")
        for family_id, postcode in postcodes:
            if postcode.strip():
                entries.append(
                    found.entry(family_id=family_id, kind=SearchKind.POSTCODE, value=postcode_key(postcode)[:50])
                )
        for model in (found.infant, found.carer):
            for person in model.objects.filter(family_id__in=chunk).order_by():
                entries.extend(_person_entries(found.entry, person, person.family_id))
        # Only the families whose keys changed are rewritten: reindexing what has not changed
        # writes nothing (the demo loads twice to the same rows).
        wanted: dict[Any, set[tuple[Any, str, str]]] = defaultdict(set)
        for entry in entries:
            wanted[entry.family_id].add((entry.person_id, entry.kind, entry.value))
        stored: dict[Any, set[tuple[Any, str, str]]] = defaultdict(set)
        rows = found.entry.objects.filter(family_id__in=chunk).values_list("family_id", "person_id", "kind", "value")
        for family_id, person_id, kind, value in rows:
            stored[family_id].add((person_id, kind, value))
        changed = {family_id for family_id in chunk if wanted[family_id] != stored[family_id]}
        if not changed:
            continue
        fresh = [entry for entry in entries if entry.family_id in changed]
        found.entry.objects.filter(family_id__in=changed).delete()
        found.entry.objects.bulk_create(fresh, batch_size=2000)
        add_words({e.value for e in fresh if e.kind in (SearchKind.NAME, SearchKind.FORMER_NAME)}, using=found)
        written += len(fresh)
    return written


def add_words(words: set[str], *, using: IndexModels | None = None) -> None:
    """Add words to the vocabulary (those already there stay as they are), and on SQLite to its
    trigram table. Two transactions adding the same word at once cannot clash: a word already
    there is skipped by the database (ON CONFLICT DO NOTHING / INSERT OR IGNORE)."""
    model = (using or IndexModels()).word
    ordered = sorted(words)
    for chunk in _chunks(ordered, CHUNK):
        model.objects.bulk_create([model(word=word) for word in chunk], ignore_conflicts=True)
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, word) SELECT w.id, w.word FROM families_searchword w "  # noqa: S608 - names are constants, values parameters
                    f"WHERE w.word IN ({marks}) AND NOT EXISTS (SELECT 1 FROM {FTS_TABLE} f WHERE f.rowid = w.id)",
                    list(chunk),
                )


def rebuild_all() -> int:
    """Rebuild the whole index from the families (`manage.py reindex_search`): the vocabulary
    and the trigram table start again too, so words no one has any more go."""
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - a constant
    ids = list(Family.objects.values_list("pk", flat=True))
    return reindex_families(ids)


# Reading the vocabulary -------------------------------------------------------------------------


def _trigrams(word: str) -> list[str]:
    return sorted({word[index : index + 3] for index in range(len(word) - 2)})


def _escaped(text: str) -> str:
    """For LIKE: the wildcards as themselves (the words hold only letters and digits anyway)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _after(prefix: str) -> str:
    """The first string after every string that starts with `prefix` (code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def candidate_words(word: str, *, limit: int = CANDIDATE_WORDS) -> list[str]:
    """In one query: words of the vocabulary that start with `word` (someone typing the start of
    a name), and, for three letters or more, those spelt like it: the closest as the database
    judges it (PostgreSQL's trigram similarity; SQLite's FTS5 rank over the word's trigrams) and
    those of about its length starting with its first two letters. The search ranks them again
    (rapidfuzz): this only has to miss nothing close."""
    starting = _escaped(word) + "%"
    # A short word with two letters swapped may share no trigram with the right one ('smtih',
    # 'smith'; 'kahn', 'khan'). A slip of the keys seldom changes the first or last letter, so the
    # words of about its length with the same first and last letters are offered too.
    near: list[str | int] = [word[0], word[-1], len(word) - 2, len(word) + 2, NEAR_WORDS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(word) >= SHORTEST_NEAR:
            cursor.execute(
                "(SELECT word FROM families_searchword WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT %s)"
                " UNION (SELECT word FROM families_searchword WHERE word LIKE %s ORDER BY length(word), word LIMIT %s)"
                " UNION (SELECT word FROM families_searchword WHERE word LIKE %s AND right(word, 1) = %s"
                " AND length(word) BETWEEN %s AND %s ORDER BY word LIMIT %s)",
                [word, word, limit, starting, limit, _escaped(word[0]) + "%", *near[1:]],
            )
        elif connection.vendor == "sqlite" and len(word) >= SHORTEST_NEAR:
            # Each trigram a quoted phrase: the word holds only letters and digits, never a quote.
            match = " OR ".join(f'"{trigram}"' for trigram in _trigrams(word) if '"' not in trigram)
            # SQLite's LIKE ignores case, so cannot use the index on the words: a range can.
            cursor.execute(
                f"SELECT word FROM (SELECT word FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s)"  # noqa: S608 - the names are constants, the values parameters
                " UNION SELECT word FROM (SELECT word FROM families_searchword WHERE word >= %s AND word < %s"
                " ORDER BY length(word), word LIMIT %s)"
                " UNION SELECT word FROM (SELECT word FROM families_searchword WHERE word >= %s AND word < %s"
                " AND substr(word, -1) = %s AND length(word) BETWEEN %s AND %s ORDER BY word LIMIT %s)",
                [match, limit, word, _after(word), limit, word[0], _after(word[0]), *near[1:]],
            )
        elif connection.vendor in ("postgresql", "sqlite"):
            return words_starting(word, limit=limit)
        else:  # another database: the words that share the first letter, ranked in Python
            return list(
                SearchWord.objects.filter(word__startswith=word[0]).order_by("word").values_list("word", flat=True)
            )
        return [row[0] for row in cursor.fetchall()]


def words_starting(prefix: str, *, limit: int = CANDIDATE_WORDS) -> list[str]:
    """Words of the vocabulary that start with `prefix`, shortest first."""
    found = (
        SearchWord.objects.filter(word__startswith=prefix)
        .order_by(Length("word"), "word")
        .values_list("word", flat=True)
    )
    return list(found[:limit])


def families_with(kind: str, values: Iterable[str], *, prefix: bool = False) -> models.QuerySet[SearchEntry]:
    """The index rows with this kind of key equal to one of `values` (or starting with it)."""
    rows = SearchEntry.objects.filter(kind=kind)
    if prefix:
        query = models.Q()
        for value in values:
            query |= models.Q(value__startswith=value)
        return rows.filter(query)
    return rows.filter(value__in=list(values))
