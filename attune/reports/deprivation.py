"""Deprivation deciles for postcodes (domain reference B.6).

IoD2025 ranks the 2021 LSOAs and is the default (settings.ATTUNE_DEPRIVATION_EDITION); IoD2019
ranks the 2011 LSOAs and stays loadable for comparison. A postcode is looked up in the postcode to
LSOA table of the edition's vintage, then the LSOA in the edition's ranks. Loading reads an
ONSPD/NSPL postcode file and the IoD "File 1" (ranks and deciles); both loads replace by key, so
running one again updates rather than duplicates.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery

from attune.core.validators import normalise_postcode
from attune.reports import snapshots
from attune.reports.models import DeprivationRank, PostcodeLsoa

# Edition -> the LSOA vintage it ranks.
EDITIONS = {"IoD2025": "2021", "IoD2019": "2011"}
VINTAGES = ("2021", "2011")
CHUNK = 900  # SQLite's traditional limit on query parameters is 999
BATCH = 5000
PROGRESS_EVERY = 100_000
DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_POSTCODES = DATA_DIR / "demo_postcode_lsoa21.csv"
DEMO_RANKS = DATA_DIR / "demo_iod2025.csv"

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "postcode")
LSOA_COLUMNS = {"2021": ("lsoa21cd", "lsoa21"), "2011": ("lsoa11cd", "lsoa11")}
RANK_PREFIX = "index of multiple deprivation (imd) rank"
DECILE_PREFIX = "index of multiple deprivation (imd) decile"
_LSOA = re.compile(r"^[EW]0[0-9]{7}$")


class LoadError(ValueError):
    """A file that cannot be loaded; the message says what is wrong and where."""


def edition_or_default(edition: str | None) -> str:
    chosen = edition or settings.ATTUNE_DEPRIVATION_EDITION
    if chosen not in EDITIONS:
        raise ValueError(f"Unknown deprivation edition {chosen!r}: use one of {', '.join(EDITIONS)}")
    return chosen


def decile_of(postcode_field: str, edition: str | None = None) -> Subquery:
    """A subquery giving the decile of the postcode in `postcode_field` of the query it annotates
    ("family__postcode"), so a report needs no round trip per row and no IN list."""
    chosen = edition_or_default(edition)
    lsoa = PostcodeLsoa.objects.filter(vintage=EDITIONS[chosen], postcode=OuterRef(OuterRef(postcode_field))).values(
        "lsoa_code"
    )[:1]
    return Subquery(DeprivationRank.objects.filter(edition=chosen, lsoa_code=Subquery(lsoa)).values("decile")[:1])


def deciles_for_postcodes(postcodes: Iterable[str], edition: str | None = None) -> dict[str, int | None]:
    """Postcode (as given) -> IMD decile (1 most deprived .. 10), or None when blank or not in the
    lookup. One query for every 900 distinct postcodes (so one for most uses)."""
    chosen = edition_or_default(edition)
    given = {code: normalise_postcode(code) for code in postcodes}
    wanted = sorted({normalised for normalised in given.values() if normalised})
    found: dict[str, int | None] = {}
    decile = Subquery(
        DeprivationRank.objects.filter(edition=chosen, lsoa_code=OuterRef("lsoa_code")).values("decile")[:1]
    )
    for start in range(0, len(wanted), CHUNK):
        found.update(
            PostcodeLsoa.objects.filter(vintage=EDITIONS[chosen], postcode__in=wanted[start : start + CHUNK])
            .annotate(decile=decile)
            .values_list("postcode", "decile")
        )
    return {code: found.get(normalised) for code, normalised in given.items()}


# Loading -----------------------------------------------------------------------------------


@contextmanager
def _reading(path: Path) -> Iterator[tuple[list[str], Iterator[tuple[int, dict[str, str]]]]]:
    """The file's headers and its rows numbered by line (lines starting "#" are comments)."""
    if not path.is_file():
        raise LoadError(f"There is no file at {path}")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        headers = list(reader.fieldnames or [])
        yield headers, ((reader.line_num, row) for row in reader)


def _find(headers: list[str], wanted: Iterable[str], *, prefix: bool = False) -> str | None:
    simple = {" ".join(h.strip().lower().split()): h for h in headers}
    for name in wanted:
        for key, header in simple.items():
            if key == name or (prefix and key.startswith(name)):
                return header
    return None


def _missing(what: str, path: Path, headers: list[str]) -> LoadError:
    return LoadError(f"{path.name} has no {what} column. Columns found: {', '.join(headers) or 'none'}")


def load_postcode_lsoa(path: Path, *, vintage: str, progress: Callable[[int], None] = lambda n: None) -> int:
    """Load an ONSPD or NSPL CSV: each postcode with its LSOA of `vintage`. Rows without an LSOA
    (postcodes outside England and Wales, or not yet assigned) are skipped. Returns rows loaded."""
    if vintage not in VINTAGES:
        raise LoadError(f"The LSOA vintage must be {' or '.join(VINTAGES)}")
    with _reading(path) as (headers, rows):
        return _load_postcodes(path, vintage, headers, rows, progress)


def _load_postcodes(
    path: Path,
    vintage: str,
    headers: list[str],
    rows: Iterator[tuple[int, dict[str, str]]],
    progress: Callable[[int], None],
) -> int:
    postcode_column = _find(headers, POSTCODE_COLUMNS)
    if postcode_column is None:
        raise _missing(f"postcode ({', '.join(POSTCODE_COLUMNS)})", path, headers)
    lsoa_column = _find(headers, LSOA_COLUMNS[vintage])
    if lsoa_column is None:
        raise _missing(f"{vintage} LSOA ({', '.join(LSOA_COLUMNS[vintage])})", path, headers)
    loaded = 0
    batch: dict[str, PostcodeLsoa] = {}  # by key: a repeated row replaces the earlier one
    with transaction.atomic():
        for line, row in rows:
            postcode = normalise_postcode(row.get(postcode_column) or "")
            lsoa = (row.get(lsoa_column) or "").strip()
            if not postcode:
                raise LoadError(f"{path.name} line {line}: the postcode is blank")
            if not lsoa or not _LSOA.match(lsoa):
                continue  # Scotland, Northern Ireland, or no LSOA: deprivation is England only
            batch[postcode] = PostcodeLsoa(postcode=postcode, lsoa_code=lsoa, vintage=vintage)
            loaded += 1
            if len(batch) >= BATCH:
                _save_postcodes(batch)
            if loaded % PROGRESS_EVERY == 0:
                progress(loaded)
        _save_postcodes(batch)
        snapshots.clear()  # kept reports placed families in deprivation deciles by the old file
    return loaded


def _save_postcodes(batch: dict[str, PostcodeLsoa]) -> None:
    PostcodeLsoa.objects.bulk_create(
        list(batch.values()), update_conflicts=True, unique_fields=["vintage", "postcode"], update_fields=["lsoa_code"]
    )
    batch.clear()


def load_deprivation(path: Path, *, edition: str, progress: Callable[[int], None] = lambda n: None) -> int:
    """Load an IoD "File 1" CSV (LSOA code, IMD rank and decile) for `edition`. Returns rows loaded."""
    if edition not in EDITIONS:
        raise LoadError(f"The edition must be {' or '.join(EDITIONS)}")
    with _reading(path) as (headers, rows):
        return _load_ranks(path, edition, headers, rows, progress)


def _load_ranks(
    path: Path,
    edition: str,
    headers: list[str],
    rows: Iterator[tuple[int, dict[str, str]]],
    progress: Callable[[int], None],
) -> int:
    lsoa_name = f"lsoa code ({EDITIONS[edition]})"
    lsoa_column = _find(headers, [lsoa_name], prefix=True)
    if lsoa_column is None:
        raise _missing(f'"LSOA code ({EDITIONS[edition]})" (needed for {edition})', path, headers)
    rank_column = _find(headers, [RANK_PREFIX], prefix=True)
    if rank_column is None:
        raise _missing('"Index of Multiple Deprivation (IMD) Rank"', path, headers)
    decile_column = _find(headers, [DECILE_PREFIX], prefix=True)
    if decile_column is None:
        raise _missing('"Index of Multiple Deprivation (IMD) Decile"', path, headers)
    loaded = 0
    batch: dict[str, DeprivationRank] = {}
    with transaction.atomic():
        for line, row in rows:
            lsoa = (row.get(lsoa_column) or "").strip()
            if not _LSOA.match(lsoa):
                raise LoadError(f"{path.name} line {line}: {lsoa!r} is not an LSOA code like E01000001")
            try:
                rank = int((row.get(rank_column) or "").replace(",", "").strip())
                decile = int((row.get(decile_column) or "").strip())
            except ValueError:
                raise LoadError(f"{path.name} line {line}: the rank and decile must be whole numbers") from None
            if rank < 1 or not 1 <= decile <= 10:
                raise LoadError(f"{path.name} line {line}: the rank must be 1 or more and the decile 1 to 10")
            batch[lsoa] = DeprivationRank(edition=edition, lsoa_code=lsoa, rank=rank, decile=decile)
            loaded += 1
            if len(batch) >= BATCH:
                _save_ranks(batch)
            if loaded % PROGRESS_EVERY == 0:
                progress(loaded)
        _save_ranks(batch)
        snapshots.clear()  # kept reports placed families in deprivation deciles by the old ranks
    return loaded


def _save_ranks(batch: dict[str, DeprivationRank]) -> None:
    DeprivationRank.objects.bulk_create(
        list(batch.values()),
        update_conflicts=True,
        unique_fields=["edition", "lsoa_code"],
        update_fields=["rank", "decile"],
    )
    batch.clear()


def load_demo_deprivation() -> tuple[int, int]:
    """The demo's SYNTHETIC subset (made-up LSOA codes E0199xxxx and ranks): (postcodes, LSOAs)."""
    return (
        load_postcode_lsoa(DEMO_POSTCODES, vintage="2021"),
        load_deprivation(DEMO_RANKS, edition="IoD2025"),
    )
