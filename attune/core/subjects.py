"""What an audit event is about, in words an IG lead understands, and who owns it.

Apps register a resolver per model they audit (in their AppConfig.ready), so the audit pages can
name any object and check it belongs to the reader's organisation without importing the apps
above them.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    label: str  # "Blackpool hub team", "Staff account: Sam Taylor"
    kind: str  # "Team", "Staff account"
    owners: frozenset[str]  # ids of the organisations whose IG leads may audit it


Resolver = Callable[[list[str]], dict[str, Subject]]

_resolvers: dict[str, Resolver] = {}


def register(object_type: str, resolver: Resolver) -> None:
    _resolvers[object_type] = resolver


def resolve(object_type: str, object_ids: list[str]) -> dict[str, Subject]:
    """Subjects for many ids of one type in one query; unknown types or ids are left out."""
    resolver = _resolvers.get(object_type)
    if resolver is None or not object_ids:
        return {}
    return resolver(object_ids)


def known_types() -> list[str]:
    return sorted(_resolvers)


def valid_uuids(ids: list[str]) -> list[uuid.UUID]:
    """The ids that are UUIDs (a hand-typed audit URL may hold anything)."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    return valid
