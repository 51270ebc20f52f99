"""Server-rendered SVG bar charts of a report table, drawn from what the table shows. No Django here.

The chart reads a `ShownTable`, never the exact figures, so it cannot show more than the table
beside it: a hidden count has no bar, only the "*" the table prints, and its desc says why.
Like attune/outcomes/charts.py it is an image with a text alternative (role="img", a <title>,
and a <desc> that reads every figure), styled only by attributes so the page's Content Security
Policy (no inline style) holds, in NHS.UK colours, and every text in it is escaped. The table
always sits beside it (DESIGN.md: charts), so a long label may be cut short here.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from html import escape

from attune.reports.tables import Column, Kind, ShownCell, ShownTable

# NHS.UK palette: text, blue, pale grey.
TEXT = "#212b32"
BAR = "#005eb8"
GRID = "#d8dde0"

WIDTH = 640
# Room for the row labels (left), the figure after the longest bar (right), and the scale and
# its caption (bottom).
LABEL_WIDTH = 200
LEFT = LABEL_WIDTH + 16
RIGHT = 88
TOP = 12
BOTTOM = 56
ROW = 40  # pixels per bar, room for a label on two lines
BAR_HEIGHT = 22
LABEL_CHARS = 26  # about what fits in LABEL_WIDTH at 13px
LABEL_LINES = 2

WITHHELD_NOTE = "* means the figure is hidden to protect privacy: it is small, or could reveal one that is."


def bar_chart(table: ShownTable, *, chart_id: str, withheld_note: str = WITHHELD_NOTE) -> str:
    """One horizontal bar per row (not the total) of `table.chart_column`, as an <svg> string.

    "" when there is nothing to draw (no chart column, no rows, or no figure shown), so the page
    shows the table alone rather than an empty frame.
    """
    if not table.chart_column:
        return ""
    index, column = _column(table)
    cells = [row.cells[index] for row in table.rows]
    numbers = [cell.number for cell in cells if cell.number is not None]
    if not any(numbers):
        # Nothing but zeros and hidden figures: a frame with no bars says nothing the table
        # does not, and its scale would be made up.
        return ""
    top = _axis_top(max(numbers), column)
    plot_width = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(cells) + BOTTOM
    bottom = TOP + ROW * len(cells)

    def x(value: float) -> float:
        return LEFT + plot_width * max(value, 0) / top

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="attune-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{escape(title_id)}" aria-describedby="{escape(desc_id)}" '
        f'focusable="false">',
        f'<title id="{escape(title_id)}">{escape(table.title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(describe(table, withheld_note=withheld_note))}</desc>',
        f'<g font-family="Frutiger W01, Arial, sans-serif" font-size="13" fill="{TEXT}" aria-hidden="true">',
    ]
    # The scale: gridlines and their figures under the plot.
    for tick in _ticks(top):
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{tx:.1f}" y="{bottom + 18}" text-anchor="middle">{_tick_text(tick, column)}</text>')
    parts.append(
        f'<text x="{LEFT + plot_width / 2:.1f}" y="{bottom + 42}" text-anchor="middle" '
        f'font-weight="bold">{escape(column.label)}</text>'
    )
    for position, (row, cell) in enumerate(zip(table.rows, cells, strict=True)):
        y = TOP + ROW * position
        middle = y + ROW / 2
        parts.append(_label(row.label, middle))
        parts.append(_bar(cell, x, y + (ROW - BAR_HEIGHT) / 2, middle))
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{TEXT}" stroke-width="1.5"/>')
    parts.append("</g></svg>")
    return "".join(parts)


def describe(table: ShownTable, *, withheld_note: str = WITHHELD_NOTE) -> str:
    """What a screen reader hears: every bar's figure as the table shows it."""
    index, column = _column(table)
    cells = [row.cells[index] for row in table.rows]
    figures = "; ".join(f"{row.label}: {cell.text}" for row, cell in zip(table.rows, cells, strict=True))
    sentence = f"{column.label}, one bar for each row. {figures}."
    if any(cell.withheld for cell in cells):
        sentence += f" {withheld_note}"
    return sentence + " The table beside the chart holds the same figures."


def _column(table: ShownTable) -> tuple[int, Column]:
    for index, column in enumerate(table.columns):
        if column.key == table.chart_column:
            return index, column
    raise ValueError(f"Table {table.key!r} has no column {table.chart_column!r} to chart")


def _axis_top(largest: float, column: Column) -> float:
    """A round figure at or above the longest bar; percentages always run to 100%."""
    if column.kind == Kind.PERCENT:
        return max(100.0, _nice(largest))
    if column.kind == Kind.COUNT:
        # Whole steps only: nobody had 0.2 of a referral.
        return _nice(max(largest, 5))
    return _nice(largest)


def _nice(value: float) -> float:
    """The smallest round figure at or above `value` that `_ticks` can split into 4 or 5 round
    steps: 1, 2, 2.5, 4, 5 or 8 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 4, 5, 8, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop ends at 10 * power >= value


def _ticks(top: float) -> list[float]:
    """0 to the top in 5 (or 4) equal steps of 1, 2 or 5 times a power of ten."""
    for parts in (5, 4):
        step = top / parts
        mantissa = step / 10 ** math.floor(math.log10(step))
        if any(math.isclose(mantissa, nice) for nice in (1, 2, 5)):
            return [step * n for n in range(parts + 1)]
    return [0.0, top]  # pragma: no cover - every `_nice` top divides so


def _tick_text(value: float, column: Column) -> str:
    number = f"{value:,.0f}" if value == int(value) else f"{value:,g}"
    if column.kind == Kind.PERCENT:
        return f"{number}%"
    if column.kind in (Kind.MONEY, Kind.COST_PER):
        return f"£{number}"
    return number


def _label(text: str, middle: float) -> str:
    """The row's name, right-aligned against the bars, on up to two lines (the table beside the
    chart has it whole)."""
    lines = textwrap.wrap(text, LABEL_CHARS) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_CHARS - 1].rstrip() + "…"
    first = middle + 4.5 - 8 * (len(lines) - 1)
    spans = "".join(
        f'<tspan x="{LABEL_WIDTH}" y="{first + 16 * n:.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f'<text text-anchor="end">{spans}</text>'


def _bar(cell: ShownCell, x: Callable[[float], float], y: float, middle: float) -> str:
    """The bar and its figure after it, or the table's "*" or dash where the bar would start."""
    if cell.number is None:
        return (
            f'<text x="{LEFT + 8}" y="{middle + 5.5:.1f}" font-size="16" font-weight="bold">{escape(cell.text)}</text>'
        )
    end = x(cell.number)
    width = max(end - LEFT, 0)
    return (
        f'<rect x="{LEFT}" y="{y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{BAR}"/>'
        f'<text x="{end + 6:.1f}" y="{middle + 4.5:.1f}" font-weight="bold">{escape(cell.text)}</text>'
    )
