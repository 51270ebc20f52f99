"""The demo's people, families and their histories are data: TOML files in nonprod/data/, read
here into the demo's dataclasses (with dacite), which the loaders then apply through the same
actions people use. Editing the demo story means editing those files, not code."""

import tomllib
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import dacite

DATA = Path(__file__).resolve().parent / "data"
# TOML arrays become tuples, and strings the enums (Status, Role) and amounts (Decimal, given as
# text so no float rounds them) a field names.
CONFIG = dacite.Config(cast=[tuple, Enum, Decimal], strict=True)

T = TypeVar("T")


@cache
def document(name: str) -> dict[str, Any]:
    """The parsed file nonprod/data/<name>.toml."""
    with (DATA / f"{name}.toml").open("rb") as found:
        return tomllib.load(found)


def read(name: str, table: str, cls: type[T]) -> tuple[T, ...]:
    """Every entry of the array of tables `table` in <name>.toml, as `cls`."""
    return tuple(dacite.from_dict(cls, row, config=CONFIG) for row in document(name)[table])
