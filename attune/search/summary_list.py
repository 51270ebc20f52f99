"""The search results' summary lists drawn in Python, the same markup byte for byte as
nhsuk-frontend-jinja's summaryList macro (issue 18).

Each family found is a card with a summary list of four or five rows; through the macro (a macro
call per row and per attribute) they were about a fifth of the results page. Only the shape the
search presenters give is drawn here (a key and a value, each text or HTML, no actions, ids,
attributes or row classes); anything else gives None and the template calls the macro as before.
tests/test_summary_list.py draws generated rows both ways and requires identical output, so an
upgrade of nhsuk-frontend-jinja that changes the markup fails there. The same approach as the
tables (attune/core/tables.py, ADR 0019); it could move there when another page wants it.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from jinja2.filters import do_indent
from markupsafe import Markup, escape

from attune.core.rows import SummaryRow

_PART_KEYS = frozenset({"text", "html"})


class _Undrawn(Exception):
    """A shape not drawn here: the macro draws it."""


def _content(part: Any) -> str:
    """A key's or value's content as the row template writes it (`html | safe | trim | indent(4)`
    or `text | trim | indent(4)`, escaped)."""
    if not isinstance(part, Mapping) or not set(part) <= _PART_KEYS:
        raise _Undrawn
    html, text = part.get("html"), part.get("text")
    if html:
        return str(do_indent(str(html).strip(), 4))
    if text and isinstance(text, str):
        return str(escape(do_indent(text.strip(), 4)))
    raise _Undrawn


def _row(row: Any) -> str:
    if not isinstance(row, Mapping) or set(row) != {"key", "value"}:
        raise _Undrawn
    drawn = (
        '<div class="nhsuk-summary-list__row">\n'
        '  <dt class="nhsuk-summary-list__key">\n'
        f"    {_content(row['key'])}\n"
        "  </dt>\n"
        '  <dd class="nhsuk-summary-list__value">\n'
        f"    {_content(row['value'])}\n"
        "  </dd>\n"
        "</div>"
    )
    return str(do_indent(drawn, 2, first=True))


def summary_list_html(rows: Sequence[SummaryRow], classes: str) -> Markup | None:
    """`summaryList({"rows": rows, "classes": classes})`, or None for a shape not drawn here."""
    if not rows or not classes or escape(classes) != classes:
        return None
    try:
        drawn = "".join(_row(row) + "\n" for row in rows)
    except _Undrawn:
        return None
    return Markup(f'<dl class="nhsuk-summary-list {classes}">\n{drawn}</dl>\n')  # noqa: S704 - escaped above
