"""What a report is made of, before and after it is made safe to share. No Django here.

Indicators (attune/reports/indicators/) compute a `Report` of exact figures. Presenting it for an
audience (attune/reports/suppression.py) turns each `Table` into a `ShownTable` of strings:
exact for the team's own pages, small-number suppressed for anything that leaves the team
(commissioner pages, the printable report and every download). Charts, pages and exports read
only `ShownTable`s, so a figure cannot leave the team unsuppressed by another route.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    COUNT = "count"  # people, referrals, contacts: suppressed and rounded when shared
    PERCENT = "percent"  # derived: numerator column / denominator column, from the shown (rounded) counts
    MEDIAN = "median"  # a median or percentile of `sample` values: withheld when shared if 1-7 values
    MONEY = "money"  # pounds and pence; not about a person, never suppressed
    COST_PER = "cost_per"  # derived: money column / count column, from the shown (rounded) count
    HOURS = "hours"  # hours of training or supervision given; not about a family, never suppressed
    # A workload figure built from counts of people (the weighted caseload: episodes times their
    # weights): suppressed and rounded like a count when shared, and hidden wherever the count
    # it is built from (`Column.basis`) is hidden, since with weights of 1 it is that count.
    WEIGHTED = "weighted"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.COUNT
    # For PERCENT and COST_PER: the keys of the numerator and denominator columns in the same row.
    numerator: str = ""
    denominator: str = ""
    # For MEDIAN: the unit shown after the number ("working days", "weeks").
    unit: str = ""
    # For WEIGHTED: the key of the COUNT column it is built from, in the same row.
    basis: str = ""
    # For COUNT and WEIGHTED: whether the table's rows add up to its total row in this column, so that
    # secondary suppression must protect it (a "people per category" column adds up; a
    # "median wait" does not).
    additive: bool = True


# Notes ------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Figure:
    """A number inside a note, kept as a value so that the suppressor shows it by the same rule
    as a table cell (a count of 3 is "*" when shared). `one` and `many` are the words after it:
    "1 referral", "* referrals", "10 referrals"."""

    value: int | Decimal | None
    kind: Kind = Kind.COUNT  # COUNT, MONEY or HOURS
    one: str = ""
    many: str = ""


@dataclass(frozen=True)
class Fixed:
    """Words with a digit in them that are not data: a code ("code 7"), an edition ("IoD2025"), a
    date, a measure's name ("PHQ-9"). Only these and `Figure`s may put a digit into a note."""

    text: str


@dataclass(frozen=True)
class Note:
    """A data-quality sentence. `text` holds "{name}" where each part goes and may hold no digit
    itself, so a count can reach a note only as a `Figure`, which the suppressor formats for the
    audience: an f-string with a raw count in it is refused here, whoever the report is for."""

    text: str
    parts: Mapping[str, Figure | Fixed] = field(default_factory=dict)

    def __post_init__(self) -> None:
        named = set(_PLACEHOLDER.findall(self.text))
        if named != set(self.parts):
            raise ValueError(f"Note {self.text!r} names {sorted(named)} but has parts {sorted(self.parts)}")
        if _DIGIT.search(_PLACEHOLDER.sub("", self.text)):
            raise ValueError(
                f"Note {self.text!r} has a digit in its words: give a count as a Figure (or words that are not "
                "data, such as a code, as Fixed), so that it is suppressed when shared"
            )


@dataclass(frozen=True)
class Row:
    label: str
    # Column key -> exact value: int for COUNT, Decimal for MONEY and HOURS, float for MEDIAN,
    # None when there is nothing to show (no values). PERCENT and COST_PER are never stored.
    values: dict[str, int | float | Decimal | None]
    # Column key -> how many values a MEDIAN was taken from.
    samples: dict[str, int] = field(default_factory=dict)
    # Column key -> what to print instead of a dash where the value is None and that means
    # something ("None recorded" for funding that no agreement gives).
    blank: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    key: str  # unique within the report, for anchors, chart ids and export sheet names
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row | None = None  # the sum of the rows (for additive COUNT columns)
    description: str = ""  # one sentence on what is counted and how
    notes: tuple[Note, ...] = ()  # data-quality notes for this table
    # The chart drawn beside the table: "bar" (one bar per row, of `chart_column`) or "" for none.
    chart: str = ""
    chart_column: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class ReportScope:
    """What a report covers. Teams are already the ones the reader may see."""

    start: date
    end: date  # inclusive
    team_ids: frozenset  # of team UUIDs
    # Optional narrowing: families whose preferred site is this site; families living in this
    # council area (by the local authority recorded on the family).
    site_id: object | None = None
    local_authority_id: object | None = None
    # A report for a funder: the organisation whose funding agreements the cost table sets
    # against the staff cost (its teams are already in team_ids).
    funder_id: object | None = None
    # A funder's return for one funding agreement: its own posts, spend and cost each replace the
    # teams' cost table (attune/reports/indicators/agreement.py).
    agreement_id: object | None = None
    # What the page says the report covers ("Blackpool PAIRS hub team", "Funded by Blackburn with
    # Darwen Council").
    label: str = ""


@dataclass(frozen=True)
class Report:
    scope: ReportScope
    sections: tuple[Section, ...]
    notes: tuple[Note, ...] = ()  # data-quality notes for the whole report


# Presented ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownCell:
    text: str  # "*", "25", "42%", "£1,204.50", "12 working days", or an en dash for none
    number: float | None  # what a chart or spreadsheet plots; None when withheld or empty
    withheld: bool = False  # suppressed (primary or secondary) or median from too few values


@dataclass(frozen=True)
class ShownRow:
    label: str
    cells: tuple[ShownCell, ...]  # in column order


@dataclass(frozen=True)
class ShownTable:
    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[ShownRow, ...]
    total: ShownRow | None
    notes: tuple[str, ...]  # as the audience may see them (figures suppressed when shared)
    chart: str
    chart_column: str
    suppressed: bool  # whether small-number suppression was applied


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    tables: tuple[ShownTable, ...]


@dataclass(frozen=True)
class ShownReport:
    scope: ReportScope
    sections: tuple[ShownSection, ...]
    notes: tuple[str, ...]
    suppressed: bool
