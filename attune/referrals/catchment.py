"""A team's catchment: the council areas it covers and the postcode districts ("FY1") or sectors
("BB1 7") placed in them, and where two teams of one service would cover the same place.
Plain Python.

An overlap is a warning, not a refusal: a hub and a satellite may share a border area on
purpose, so the person is shown what overlaps and asked to confirm.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from attune.core.validators import is_valid_postcode

# Any valid inward code completes a district or a sector into a postcode whose shape core's
# postcode rule can check: "FY1" + " 1AA", "BB1 7" + "AA".
_SECTOR = re.compile(r"^(\S+) ([0-9])$")


def normalise_prefix(value: str) -> str:
    """' bb1  7 ' -> 'BB1 7', 'fy1' -> 'FY1'."""
    return " ".join(value.upper().split())


def prefix_problem(value: str) -> str:
    """Why a typed prefix is not a postcode district or sector, or ''."""
    prefix = normalise_prefix(value)
    sector = _SECTOR.match(prefix)
    if sector is not None:
        shaped = is_valid_postcode(f"{prefix}AA")
    else:
        shaped = " " not in prefix and is_valid_postcode(f"{prefix} 1AA")
    if shaped:
        return ""
    return (
        f"{value.strip() or 'This'} is not a postcode district or sector. "
        "Enter a district like FY1 or a sector like BB1 7, one on each line"
    )


def parse_prefixes(text: str) -> tuple[list[str], list[str]]:
    """The prefixes typed one a line or separated by commas, normalised and without repeats,
    and the problems with any that are not a district or sector."""
    found: list[str] = []
    problems: list[str] = []
    for part in re.split(r"[,\n;]+", text):
        if not part.strip():
            continue
        problem = prefix_problem(part)
        if problem:
            problems.append(problem)
        elif normalise_prefix(part) not in found:
            found.append(normalise_prefix(part))
    return found, problems


def district_of(prefix: str) -> str:
    return prefix.split(" ")[0]


def contains(outer: str, inner: str) -> bool:
    """Whether the district or sector `outer` holds every postcode of `inner`."""
    return outer == inner or (" " not in outer and district_of(inner) == outer)


@dataclass(frozen=True)
class Coverage:
    team: str
    areas: dict[str, str]  # council area id -> name
    prefixes: frozenset[str]


def overlaps(mine: Coverage, others: Iterable[Coverage]) -> list[str]:
    """What this team would share with the other teams of its service, in words naming the areas
    and postcodes: empty when nothing overlaps."""
    found: list[str] = []
    for other in others:
        shared = sorted(name for area_id, name in mine.areas.items() if area_id in other.areas)
        if shared:
            found.append(f"{other.team} also covers {_joined(shared)}")
        postcodes = sorted(
            {p for p in mine.prefixes for q in other.prefixes if contains(p, q) or contains(q, p)}
            | {q for p in mine.prefixes for q in other.prefixes if contains(p, q) or contains(q, p)}
        )
        if postcodes:
            found.append(f"{other.team} also covers postcodes in {_joined(postcodes)}")
    return found


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
