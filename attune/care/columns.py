"""The caseload shows what later apps know about each episode (outcome measures due) without this
app importing them: each registers a column here in its AppConfig.ready, as apps register the
family page's sections (ADR 0010). A source gets the caseload's episodes and today, and gives a
table cell per episode it has something to say about, in a fixed number of queries."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from attune.care.models import Episode

CaseloadSource = Callable[[list[Episode], dt.date], dict[uuid.UUID, dict[str, Any]]]

_caseload_columns: dict[str, tuple[str, CaseloadSource]] = {}


def register_caseload_column(key: str, heading: str, source: CaseloadSource) -> None:
    _caseload_columns[key] = (heading, source)


def caseload_columns() -> list[tuple[str, CaseloadSource]]:
    """(heading, source) of each registered column, in the order of their keys."""
    return [column for _, column in sorted(_caseload_columns.items())]
