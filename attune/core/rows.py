"""The shapes presenters hand to the NHS.UK table and summary-list macros (nhsuk-frontend-jinja).
Plain Python."""

from typing import Any

# One cell: {"text": ...} or {"html": ...}, perhaps with "format": "numeric" or "classes".
Cell = dict[str, Any]
# One row of a table: a cell per column.
TableRow = list[Cell]
# One row of a summary list: {"key": Cell, "value": Cell, "actions": {...}}.
SummaryRow = dict[str, Any]
