"""Server-rendered SVG line charts of a measure over time. No Django here.

A chart is an image with a text alternative (role="img", a <title> and a <desc> that says what it
shows) and always sits beside the table of its data (DESIGN.md: charts). Nothing is told by colour
alone: the cut-off is a dashed line with its words beside it, and a point where reliable change
happened since the baseline has its own shape (a diamond for improvement, a square for
deterioration) explained in the key. Only attributes style it, so the page's Content Security
Policy (no inline style) holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from attune.core.formatting import date_long

IMPROVED = "improved"
DETERIORATED = "deteriorated"

# NHS.UK palette: text, blue, dark grey, green, red.
TEXT = "#212b32"
LINE = "#005eb8"
GRID = "#d8dde0"
CUTOFF = "#4c6272"
GOOD = "#007f3b"
BAD = "#d5281b"

WIDTH = 640
HEIGHT = 360
# Plot margins: room for the score axis (left), the cut-off's label beside its line (right), the
# date axis and the key (bottom).
LEFT, RIGHT, TOP, BOTTOM = 64, 96, 24, 116
MIN_TICK_GAP = 90  # pixels between date labels on the x axis


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    time_point: str  # "Assessment", "Review", ...
    reliable_change: str | None = None  # since the baseline; None for the baseline itself


@dataclass(frozen=True)
class Chart:
    chart_id: str  # unique on the page: the <title> and <desc> ids derive from it
    title: str
    description: str
    points: Sequence[Point]
    minimum: float
    maximum: float
    y_label: str = "Score"
    x_label: str = "Date completed"
    cutoff: float | None = None
    cutoff_label: str = ""


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def y_ticks(minimum: float, maximum: float, most: int = 6) -> list[float]:
    """Round values from minimum to maximum, at most `most` intervals apart."""
    span = maximum - minimum
    if span <= 0:
        return [minimum]
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500) if span / s <= most), span)
    first = math.ceil(minimum / step) * step
    ticks = []
    value = first
    while value <= maximum + 1e-9:
        ticks.append(value)
        value += step
    if ticks[0] != minimum:
        ticks.insert(0, minimum)
    if ticks[-1] != maximum:
        ticks.append(maximum)
    return ticks


def short_date(day: date) -> str:
    """7 Sep 2026: the long form wraps under a narrow axis."""
    return f"{day.day} {day:%b %Y}"


class _Plot:
    def __init__(self, chart: Chart) -> None:
        self.chart = chart
        self.width = WIDTH - LEFT - RIGHT
        self.height = HEIGHT - TOP - BOTTOM
        days = [p.on for p in chart.points]
        self.first = min(days) if days else date.today()
        self.last = max(days) if days else self.first

    def x(self, day: date) -> float:
        span = (self.last - self.first).days
        if span == 0:
            return LEFT + self.width / 2
        return LEFT + self.width * (day - self.first).days / span

    def y(self, value: float) -> float:
        span = self.chart.maximum - self.chart.minimum or 1
        return TOP + self.height * (1 - (value - self.chart.minimum) / span)


def _marker(point: Point, cx: float, cy: float) -> str:
    """The point's shape: circle, or a diamond (improved) or square (deteriorated)."""
    if point.reliable_change == IMPROVED:
        r = 7.5
        return (
            f'<polygon points="{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} {cx:.1f},{cy + r:.1f} {cx - r:.1f},{cy:.1f}" '
            f'fill="{GOOD}" stroke="{TEXT}" stroke-width="1.5"/>'
        )
    if point.reliable_change == DETERIORATED:
        r = 6
        return (
            f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{BAD}" stroke="{TEXT}" stroke-width="1.5"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="#ffffff" stroke="{LINE}" stroke-width="2.5"/>'


def _date_ticks(plot: _Plot, points: Sequence[Point]) -> list[date]:
    """The dates to label: the first and last, and those between that leave room."""
    days = sorted({p.on for p in points})
    if not days:
        return []
    chosen = [days[0]]
    for day in days[1:]:
        if plot.x(day) - plot.x(chosen[-1]) >= MIN_TICK_GAP:
            chosen.append(day)
    if chosen[-1] != days[-1]:
        if len(chosen) > 1 and plot.x(days[-1]) - plot.x(chosen[-1]) < MIN_TICK_GAP:
            chosen[-1] = days[-1]
        else:
            chosen.append(days[-1])
    return chosen


def render(chart: Chart) -> str:
    """The chart as an <svg> element (a string of safe markup: every text is escaped)."""
    plot = _Plot(chart)
    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="attune-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" focusable="false">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
        f'<g font-family="Frutiger W01, Arial, sans-serif" font-size="13" fill="{TEXT}" aria-hidden="true">',
    ]
    # Grid and y axis.
    for tick in y_ticks(chart.minimum, chart.maximum):
        y = plot.y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot.width}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot.height}" stroke="{TEXT}" stroke-width="1.5"/>'
    )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot.height}" x2="{LEFT + plot.width}" y2="{TOP + plot.height}" '
        f'stroke="{TEXT}" stroke-width="1.5"/>'
    )
    middle_y = TOP + plot.height / 2
    parts.append(
        f'<text x="16" y="{middle_y:.1f}" text-anchor="middle" transform="rotate(-90 16 {middle_y:.1f})" '
        f'font-weight="bold">{escape(chart.y_label)}</text>'
    )
    # Dates on the x axis.
    for day in _date_ticks(plot, chart.points):
        x = plot.x(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP + plot.height}" x2="{x:.1f}" y2="{TOP + plot.height + 5}" '
            f'stroke="{TEXT}" stroke-width="1.5"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot.height + 20}" text-anchor="middle">{short_date(day)}</text>')
    parts.append(
        f'<text x="{LEFT + plot.width / 2:.1f}" y="{TOP + plot.height + 42}" text-anchor="middle" '
        f'font-weight="bold">{escape(chart.x_label)}</text>'
    )
    # The cut-off: a dashed line with its words.
    if chart.cutoff is not None:
        y = plot.y(chart.cutoff)
        parts.append(
            f'<line class="attune-chart__cutoff" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot.width}" y2="{y:.1f}" '
            f'stroke="{CUTOFF}" stroke-width="2" stroke-dasharray="8 5"/>'
        )
        parts.append(
            f'<text x="{LEFT + plot.width + 8}" y="{y + 4:.1f}" font-weight="bold">'
            f"Cut-off {_number(chart.cutoff)}</text>"
        )
    # The line and its points, each with its score above it.
    ordered = sorted(chart.points, key=lambda p: p.on)
    if len(ordered) > 1:
        path = " ".join(f"{plot.x(p.on):.1f},{plot.y(p.value):.1f}" for p in ordered)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for point in ordered:
        cx, cy = plot.x(point.on), plot.y(point.value)
        parts.append(_marker(point, cx, cy))
        label_y = cy - 12 if cy - 12 > TOP + 4 else cy + 22
        parts.append(
            f'<text x="{cx:.1f}" y="{label_y:.1f}" text-anchor="middle" font-weight="bold">{_number(point.value)}</text>'
        )
    # The key: what each shape and line means, in words.
    key_y = HEIGHT - 40
    parts.append(f'<circle cx="{LEFT + 6}" cy="{key_y - 4}" r="5" fill="#ffffff" stroke="{LINE}" stroke-width="2.5"/>')
    parts.append(f'<text x="{LEFT + 18}" y="{key_y}">Score</text>')
    parts.append(_marker(Point(date.min, 0, "", IMPROVED), LEFT + 86, key_y - 4))
    parts.append(f'<text x="{LEFT + 98}" y="{key_y}">Reliable improvement</text>')
    parts.append(_marker(Point(date.min, 0, "", DETERIORATED), LEFT + 266, key_y - 4))
    parts.append(f'<text x="{LEFT + 278}" y="{key_y}">Reliable deterioration</text>')
    if chart.cutoff is not None:
        line_y = key_y + 22
        parts.append(
            f'<line x1="{LEFT}" y1="{line_y - 4}" x2="{LEFT + 30}" y2="{line_y - 4}" stroke="{CUTOFF}" '
            f'stroke-width="2" stroke-dasharray="8 5"/>'
        )
        label = f"Cut-off: {chart.cutoff_label}" if chart.cutoff_label else f"Cut-off: {_number(chart.cutoff)}"
        parts.append(f'<text x="{LEFT + 38}" y="{line_y}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


def _change_words(point: Point) -> str:
    if point.reliable_change == IMPROVED:
        return ", a reliable improvement"
    if point.reliable_change == DETERIORATED:
        return ", a reliable deterioration"
    return ""


def describe(
    *, measure: str, person: str, points: Sequence[Point], cutoff: float | None = None, cutoff_label: str = ""
) -> str:
    """The words a screen reader hears for the chart: every score, and what the markers mean."""
    if not points:
        return f"No {measure} scores for {person} yet."
    scores = "; ".join(
        f"{_number(p.value)} on {date_long(p.on)} ({p.time_point}){_change_words(p)}"
        for p in sorted(points, key=lambda p: p.on)
    )
    sentence = f"{measure} scores for {person} over the episode: {scores}."
    if cutoff is not None:
        sentence += f" The cut-off is {cutoff_label or _number(cutoff)}."
    return sentence + " The table beside the chart holds the same figures."
