"""Presenting a report for its audience: exact for the team, small-number suppressed to share.
No Django here.

The rule is NHS Digital's disclosure control for sub-national HES and ECDS figures (from
September 2018): counts from 1 to 7 are shown as "*", other counts are rounded to the nearest 5,
no mean or median is given from 1 to 7 values, and percentages are worked out from the rounded
numerator and denominator. Figures that are not about people (money, hours of training given)
need no control.
https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018
(domain reference C.4).

Rounding alone is the new method's answer to differencing, but our tables also print a total row
next to the suppressed cells, and the old method's secondary suppression still matters there: with
one "*" in a column and every other cell and the total shown, total minus the others gives the
hidden count back to within the rounding. So one more cell in that column is hidden too
(`_secondary`). Tables without a total row print nothing to subtract from, so they need none.

Every number a shared report shows goes through here: table cells, the weighted caseload (built
from counts of people, so treated as one), and the figures inside notes, which indicators give
as values (`tables.Figure`), never as text (`tables.Note` refuses a digit in its words).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from attune.core.formatting import money
from attune.reports.tables import (
    Column,
    Figure,
    Fixed,
    Kind,
    Note,
    Report,
    Row,
    ShownCell,
    ShownReport,
    ShownRow,
    ShownSection,
    ShownTable,
    Table,
)

STAR = "*"
DASH = "–"  # en dash: "nothing to show", as NHS.UK tables print it

# What a Row holds for one column (tables.Row.values).
Value = int | float | Decimal | None

_EMPTY = ShownCell(DASH, None)
_WITHHELD = ShownCell(STAR, None, withheld=True)


@dataclass(frozen=True)
class Rule:
    """Counts from 1 to `up_to` are hidden; other counts are rounded to the nearest `round_to`."""

    up_to: int = 7
    round_to: int = 5

    def __post_init__(self) -> None:
        if self.up_to < 0 or self.round_to < 1:
            raise ValueError("A suppression rule needs up_to of 0 or more and round_to of 1 or more")
        # The smallest count that is shown, rounded, must stay above the hidden range: otherwise
        # a rule like "hide 1 to 11, round to 5" would print 12 as "10" on a page that says
        # counts up to 11 are hidden, or a rule like "hide 1 to 2, round to 10" would print 3 as
        # "0" and claim there were none.
        if self.round(self.up_to + 1) <= self.up_to:
            raise ValueError(
                f"Rounding to the nearest {self.round_to} would show a count of {self.up_to + 1} "
                f"as {self.round(self.up_to + 1)}, inside the hidden range 1 to {self.up_to}"
            )

    def hides(self, count: int) -> bool:
        return 1 <= count <= self.up_to

    def round(self, count: int) -> int:
        """To the nearest `round_to`, halves away from zero (12.5 -> 15, as people expect)."""
        steps = (Decimal(count) / self.round_to).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(steps) * self.round_to


def rule_note(rule: Rule | None) -> str:
    """The sentence printed with a report, saying how its figures were protected (or not)."""
    if rule is None:
        return (
            "These are exact figures for the team's own use: small numbers are not hidden, "
            "so do not share them outside the team."
        )
    parts = []
    if rule.up_to:
        hidden = f"counts from 1 to {rule.up_to}" if rule.up_to > 1 else "counts of 1"
        parts.append(f"{hidden} are shown as *")
    if rule.round_to > 1:
        parts.append(f"{'other ' if rule.up_to else ''}counts are rounded to the nearest {rule.round_to}")
    first = " and ".join(parts) if parts else "counts are shown exactly"
    more = ["percentages are worked out from the rounded counts" if rule.round_to > 1 else ""]
    if rule.up_to:
        values = f"1 to {rule.up_to} values" if rule.up_to > 1 else "1 value"
        more.append(f"a median taken from {values} is shown as *")
        more.append("a further count is hidden where it could reveal a hidden one")
    rest = [part for part in more if part]
    if not rest:
        return f"To protect privacy, {first}."
    tail = ", and ".join([", ".join(rest[:-1]), rest[-1]]) if len(rest) > 1 else rest[0]
    return f"To protect privacy, {first}; {tail}."


def present(report: Report, rule: Rule | None) -> ShownReport:
    """The report as its audience may see it: `rule` None for the team's own pages (exact), a
    `Rule` for anything that leaves the team."""
    return ShownReport(
        scope=report.scope,
        sections=tuple(
            ShownSection(section.key, section.title, tuple(present_table(table, rule) for table in section.tables))
            for section in report.sections
        ),
        notes=tuple(note_text(note, rule) for note in report.notes),
        suppressed=rule is not None,
    )


def note_text(note: Note, rule: Rule | None) -> str:
    """The note's sentence with each figure shown as the audience may see it: "* referrals had
    no postcode" when shared, "3 referrals had no postcode" for the team."""
    if not isinstance(note, Note):
        # A plain string could carry a raw count past the rule: refuse it whoever reads.
        raise TypeError(f"A report note must be a Note, not {type(note).__name__}: {note!r}")
    return note.text.format_map({name: _part_text(part, rule) for name, part in note.parts.items()})


def _part_text(part: Figure | Fixed, rule: Rule | None) -> str:
    if isinstance(part, Fixed):
        return part.text
    if part.kind == Kind.COUNT:
        cell = count_cell(part.value, rule)
    elif part.kind == Kind.MONEY:
        cell = money_cell(part.value)
    elif part.kind == Kind.HOURS:
        cell = hours_cell(part.value)
    else:
        raise ValueError(f"A note cannot show a {part.kind} figure")
    if not (part.one or part.many):
        return cell.text
    word = part.one if cell.text == "1" else part.many
    return f"{cell.text} {word}"


def present_table(table: Table, rule: Rule | None) -> ShownTable:
    _check_columns(table)
    # Counts first (primary, then secondary suppression), because percentages and costs per
    # person are worked out from the counts as shown.
    counts = [_counts(row, table.columns, rule) for row in table.rows]
    total_counts = _counts(table.total, table.columns, rule) if table.total is not None else None
    if rule is not None and total_counts is not None:
        _secondary(table.columns, counts, total_counts)
    rows = tuple(_shown_row(row, table.columns, shown, rule) for row, shown in zip(table.rows, counts, strict=True))
    total = (
        _shown_row(table.total, table.columns, total_counts, rule)
        if table.total is not None and total_counts is not None
        else None
    )
    return ShownTable(
        key=table.key,
        title=table.title,
        description=table.description,
        columns=table.columns,
        rows=rows,
        total=total,
        notes=tuple(note_text(note, rule) for note in table.notes),
        chart=table.chart,
        chart_column=table.chart_column,
        suppressed=rule is not None,
    )


# What a derived column may be worked out from. A percentage is usually of counts, but may be of
# hours or money (weighted caseload against capacity); a cost is per person or per hour.
_PERCENT_OF: tuple[Kind, ...] = (Kind.COUNT, Kind.HOURS, Kind.MONEY, Kind.WEIGHTED)
_COST_OF: tuple[Kind, ...] = (Kind.MONEY,)
_COST_PER: tuple[Kind, ...] = (Kind.COUNT, Kind.HOURS)


def _check_columns(table: Table) -> None:
    """A derived column must name columns of its own table that it can be worked out from: a
    typo would otherwise show a dash everywhere and nobody would notice."""
    kinds = {column.key: column.kind for column in table.columns}
    for column in table.columns:
        if column.kind == Kind.PERCENT:
            wanted = {column.numerator: _PERCENT_OF, column.denominator: _PERCENT_OF}
        elif column.kind == Kind.WEIGHTED:
            wanted = {column.basis: (Kind.COUNT,)}
        elif column.kind == Kind.COST_PER:
            wanted = {column.numerator: _COST_OF, column.denominator: _COST_PER}
        else:
            continue
        for key, allowed in wanted.items():
            if kinds.get(key) not in allowed:
                names = " or ".join(str(kind) for kind in allowed)
                raise ValueError(f"Column {column.key!r} of table {table.key!r} needs a {names} column {key!r}")


# Counts ---------------------------------------------------------------------------------------


_COUNTED: tuple[Kind, ...] = (Kind.COUNT, Kind.WEIGHTED)


def _counts(row: Row, columns: tuple[Column, ...], rule: Rule | None) -> dict[str, ShownCell]:
    shown = {
        column.key: (
            count_cell(row.values.get(column.key), rule)
            if column.kind == Kind.COUNT
            else weighted_cell(row.values.get(column.key), rule)
        )
        for column in columns
        if column.kind in _COUNTED
    }
    if rule is not None:
        _link_weighted(columns, shown)
    return shown


def _link_weighted(columns: tuple[Column, ...], shown: dict[str, ShownCell]) -> bool:
    """A weighted figure and the count it is built from are hidden together: with weights of 1
    either gives the other back. Whether anything changed."""
    changed = False
    for column in columns:
        if column.kind != Kind.WEIGHTED or not column.basis:
            continue
        pair = (column.key, column.basis)
        if any(shown[key].withheld for key in pair) and not all(shown[key].withheld for key in pair):
            for key in pair:
                shown[key] = _WITHHELD
            changed = True
    return changed


def count_cell(value: Value, rule: Rule | None) -> ShownCell:
    """A count as shown: primary suppression and rounding under a rule, exact without one."""
    if value is None:
        return _EMPTY
    count = int(value)
    if rule is not None:
        if rule.hides(count):
            return _WITHHELD
        count = rule.round(count)
    return ShownCell(f"{count:,}", float(count))


def weighted_cell(value: Value, rule: Rule | None) -> ShownCell:
    """A weighted caseload: exact to the hundredth for the team; when shared, hidden from above 0
    to `up_to` and otherwise rounded to the nearest `round_to`, as a count is."""
    if value is None:
        return _EMPTY
    exact = _decimal(value)
    if rule is None:
        return hours_cell(exact)
    if 0 < exact < rule.up_to + 1:
        return _WITHHELD
    steps = (exact / rule.round_to).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    rounded = int(steps) * rule.round_to
    return ShownCell(f"{rounded:,}", float(rounded))


def _secondary(columns: tuple[Column, ...], rows: list[dict[str, ShownCell]], total: dict[str, ShownCell]) -> None:
    """Hide a second cell in any additive column whose shown total would give away a lone "*".

    The second cell is the smallest shown non-zero one (the least information lost; ties go to
    the first row). It is chosen by its shown, rounded figure, not the exact one, so the choice
    itself reveals nothing finer than the page already does. A zero is never chosen: it says
    nothing about anyone and hiding it would not protect the "*" (0 is known not to be it).
    Columns are independent (there are no row totals), so after one pass every column has
    none or at least two hidden cells; the loop still runs to a fixed point, so that a future
    row-wise rule can join it without changing the reasoning.
    """
    changed = True
    while changed:
        changed = False
        for row in rows:
            changed = _link_weighted(columns, row) or changed
        for column in columns:
            if column.kind not in _COUNTED or not column.additive:
                continue
            key = column.key
            if total[key].withheld or total[key].number is None:
                continue
            withheld = [row for row in rows if row[key].withheld]
            if len(withheld) != 1:
                continue
            candidates = [row for row in rows if not row[key].withheld and row[key].number]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda row: row[key].number or 0.0)
            smallest[key] = _WITHHELD
            changed = True


# Every cell ------------------------------------------------------------------------------------


def _shown_row(row: Row, columns: tuple[Column, ...], counts: dict[str, ShownCell], rule: Rule | None) -> ShownRow:
    # Figures first, then what is worked out from them as shown.
    shown: dict[str, ShownCell] = {}
    for column in columns:
        value = row.values.get(column.key)
        if column.kind in _COUNTED:
            shown[column.key] = counts[column.key]
        elif column.kind == Kind.MEDIAN:
            shown[column.key] = median_cell(value, row.samples.get(column.key), column.unit, rule)
        elif column.kind == Kind.MONEY:
            shown[column.key] = _blank(row, column) if value is None and column.key in row.blank else money_cell(value)
        elif column.kind == Kind.HOURS:
            shown[column.key] = hours_cell(value)
    for column in columns:
        if column.kind == Kind.PERCENT:
            shown[column.key] = percent_cell(shown[column.numerator], shown[column.denominator])
        elif column.kind == Kind.COST_PER:
            shown[column.key] = cost_per_cell(row.values.get(column.numerator), shown[column.denominator])
        elif column.key not in shown:  # pragma: no cover - a new Kind must choose how it is shown
            raise ValueError(f"No way to show a {column.kind} column")
    return ShownRow(row.label, tuple(shown[column.key] for column in columns))


def _blank(row: Row, column: Column) -> ShownCell:
    return ShownCell(row.blank[column.key], None)


def percent_cell(numerator: ShownCell, denominator: ShownCell) -> ShownCell:
    """From the figures as shown (counts rounded when shared), so the page agrees with itself."""
    if numerator.withheld or denominator.withheld:
        return _WITHHELD
    if numerator.number is None or not denominator.number:
        return _EMPTY
    percent = (Decimal(numerator.number) * 100 / Decimal(denominator.number)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return ShownCell(f"{percent}%", float(percent))


def median_cell(value: Value, samples: int | None, unit: str, rule: Rule | None) -> ShownCell:
    """No median from 1 to 7 values when shared (NHS Digital, C.4). A median whose number of
    values is not known is withheld when shared, because it cannot be shown to be safe."""
    if value is None or samples == 0:
        return _EMPTY
    if rule is not None and (samples is None or 1 <= samples <= rule.up_to):
        return _WITHHELD
    shown = _decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = _plain(shown)
    return ShownCell(f"{text} {unit}" if unit else text, float(shown))


def money_cell(value: Value) -> ShownCell:
    if value is None:
        return _EMPTY
    pounds = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ShownCell(money(pounds), float(pounds))


def hours_cell(value: Value) -> ShownCell:
    """3.5, 12, 1.25: hours to the nearest hundredth, with no unit (the column label says hours)."""
    if value is None:
        return _EMPTY
    hours = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ShownCell(_plain(hours), float(hours))


def cost_per_cell(cost: Value, count: ShownCell) -> ShownCell:
    """Money over the count (or hours) as shown: a hidden count hides the cost per person too,
    since the money is public and dividing would give the count back."""
    if count.withheld:
        return _WITHHELD
    if cost is None or not count.number:
        return _EMPTY
    each = (_decimal(cost) / Decimal(count.number)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ShownCell(money(each), float(each))


def _decimal(value: int | float | Decimal) -> Decimal:
    # str() first: Decimal(0.1) carries the float's binary error into the rounding.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _plain(value: Decimal) -> str:
    """12.50 -> "12.5", 12.00 -> "12", 1250 -> "1,250"."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
