"""What the report pages show, built from a `ShownReport` without touching the database.

Pages read only `ShownReport`s (attune/reports/tables.py), never exact figures, so a page cannot
show more than its audience may see. No person is named anywhere on a report page.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from attune.commissioning.models import FundingAgreement
from attune.core.formatting import date_long, datetime_long, money
from attune.core.periods import Period
from attune.reports.charts import WITHHELD_NOTE, bar_chart
from attune.reports.scope import Subject, SubjectKind
from attune.reports.suppression import Rule, rule_note
from attune.reports.tables import ShownReport, ShownRow, ShownTable

EXACT_NOTE = "Exact figures: for the team only. Downloads and printed reports are suppressed."
SUPPRESSED_NOTE = "Small numbers are hidden on this page, as in every download and printed report."
_QUARTER_KEY = re.compile(r"^\d{4}-\d{2}-Q[1-4]$")
_YEAR_KEY = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool
    withheld: bool = False


@dataclass(frozen=True)
class TableView:
    anchor: str
    caption: str
    description: str
    head: tuple[Cell, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]  # (row label, cells)
    total: tuple[str, tuple[Cell, ...]] | None
    chart: SafeString  # SVG markup, "" when there is nothing to draw
    notes: tuple[str, ...]
    footnote: str  # explains "*" when the table has a hidden figure


@dataclass(frozen=True)
class SectionView:
    anchor: str
    title: str
    tables: tuple[TableView, ...]


def _anchor(*parts: str) -> str:
    return "-".join(slugify(part) or "x" for part in parts)


def _cells(row: ShownRow) -> tuple[Cell, ...]:
    return tuple(Cell(cell.text, numeric=True, withheld=cell.withheld) for cell in row.cells)


def table_view(table: ShownTable, *, prefix: str = "report") -> TableView:
    anchor = _anchor(prefix, "table", table.key)
    withheld = any(
        cell.withheld for row in (*table.rows, *([table.total] if table.total else [])) for cell in row.cells
    )
    # bar_chart escapes every label and number it draws (attune/reports/charts.py), so its markup
    # is safe to put on the page as it is.
    chart = mark_safe(bar_chart(table, chart_id=_anchor(prefix, "chart", table.key))) if table.chart else mark_safe("")  # noqa: S308
    return TableView(
        anchor=anchor,
        caption=table.title,
        description=table.description,
        head=(Cell("Category", numeric=False), *(Cell(c.label, numeric=True) for c in table.columns)),
        rows=tuple((row.label, _cells(row)) for row in table.rows),
        total=(table.total.label or "Total", _cells(table.total)) if table.total else None,
        chart=chart,
        notes=table.notes,
        footnote=WITHHELD_NOTE if withheld else "",
    )


def section_views(shown: ShownReport, *, prefix: str = "report") -> list[SectionView]:
    return [
        SectionView(
            anchor=_anchor(prefix, "section", section.key),
            title=section.title,
            tables=tuple(table_view(table, prefix=prefix) for table in section.tables),
        )
        for section in shown.sections
    ]


def contents(sections: list[SectionView]) -> list[dict[str, str]]:
    return [{"href": f"#{section.anchor}", "text": section.title} for section in sections]


def audience_note(exact: bool) -> str:
    return EXACT_NOTE if exact else SUPPRESSED_NOTE


def about_notes(shown: ShownReport, rule: Rule | None) -> list[str]:
    """'About these figures': the data-quality notes, then how the figures were protected."""
    return [*shown.notes, rule_note(rule)]


def period_text(period: Period) -> str:
    """'Quarter 2 2026-27 (July to September 2026): 1 July 2026 to 30 September 2026'"""
    dates = f"{date_long(period.start)} to {date_long(period.end)}"
    return dates if period.label == dates else f"{period.label}: {dates}"


def report_title(subject: Subject, period: Period) -> str:
    """The printed report's title: 'Quarterly report for Blackpool PAIRS hub team'."""
    if subject.kind is SubjectKind.AGREEMENT:
        return f"Funder's return for {subject.name}"
    if _QUARTER_KEY.match(period.key):
        kind = "Quarterly report"
    elif _YEAR_KEY.match(period.key):
        kind = "Annual report"
    else:
        kind = "Report"
    return f"{kind} for {subject.name}"


def audience_text(subject: Subject) -> str:
    """Who the printed report is for."""
    if subject.kind is SubjectKind.ORGANISATION:
        return f"For {subject.name}, as funder or commissioner"
    if subject.kind is SubjectKind.AREA:
        return f"For commissioners and team leads with services in {subject.name}"
    if subject.kind is SubjectKind.AGREEMENT:
        return f"For the funder and the recipient of this agreement ({subject.name})"
    return f"For {subject.name}, its team leads and those who fund or commission it"


def generated_text(generated_at: datetime) -> str:
    return f"Produced {datetime_long(generated_at)}"


def kept_text(worked_out_at: datetime | None) -> str:
    """How old kept figures are (attune/reports/snapshots.py); nothing for figures just worked out."""
    if worked_out_at is None:
        return ""
    return (
        f"These figures were worked out on {datetime_long(worked_out_at)} and kept, as the period has ended. "
        "They are worked out again as soon as a record inside the period is added or changed."
    )


# Addresses -------------------------------------------------------------------------------------

_URL_NAMES = {
    SubjectKind.TEAM: "team",
    SubjectKind.ORGANISATION: "organisation",
    SubjectKind.AREA: "area",
    SubjectKind.AGREEMENT: "agreement",
}


def report_url(
    kind: SubjectKind, pk: object, *, period: Period | None = None, site: object = None, view: str = ""
) -> str:
    """The report page (view ""), its printable version ("print") or a download ("csv", "xlsx")."""
    name = _URL_NAMES[kind] + (f"_{view}" if view else "")
    query = {}
    # A funding agreement's return has the agreement's own period: the address needs none.
    if period is not None and kind is not SubjectKind.AGREEMENT:
        query["period"] = period.key
    if site is not None:
        query["site"] = str(site)
    path = reverse(f"reports:{name}", args=[pk])
    return f"{path}?{urlencode(query)}" if query else path


def subject_url(subject: Subject, period: Period, view: str = "") -> str:
    return report_url(
        subject.kind, subject.pk, period=period, site=subject.site.pk if subject.site else None, view=view
    )


def download_links(subject: Subject, period: Period) -> list[dict[str, str]]:
    return [
        {"href": subject_url(subject, period, "csv"), "text": "CSV", "hidden": " of this report (spreadsheet text)"},
        {"href": subject_url(subject, period, "xlsx"), "text": "Excel", "hidden": " spreadsheet of this report"},
        {"href": subject_url(subject, period, "print"), "text": "Printable report", "hidden": ""},
    ]


def site_links(subject: Subject, period: Period) -> list[dict[str, object]]:
    """A team's sites, to narrow its report to families whose preferred site is one of them."""
    if subject.kind is not SubjectKind.TEAM or not subject.sites:
        return []
    current = subject.site.pk if subject.site else None
    links: list[dict[str, object]] = [
        {"href": report_url(subject.kind, subject.pk, period=period), "text": "All sites", "current": current is None}
    ]
    for site in subject.sites:
        links.append(
            {
                "href": report_url(subject.kind, subject.pk, period=period, site=site.pk),
                "text": site.name,
                "current": site.pk == current,
            }
        )
    return links


def file_name(subject: Subject, period: Period, extension: str) -> str:
    """attune-blackpool-pairs-hub-team-2025-26-q3.xlsx: says what it is once it is in Downloads."""
    parts = [subject.name] + ([subject.site.name] if subject.site else [])
    scope_slug = slugify(" ".join(parts)) or subject.kind.value
    period_slug = slugify(period.key.replace("..", " to "))
    return f"attune-{scope_slug}-{period_slug}.{extension}"


def index_links(
    *,
    teams: list[tuple[object, str]],
    organisations: list[tuple[object, str]],
    areas: list[tuple[object, str]],
    period: Period,
) -> dict[str, list[dict[str, str]]]:
    """The landing page's lists: each report the person may open, for the chosen period."""
    return {
        "organisations": [
            {
                "href": report_url(SubjectKind.ORGANISATION, pk, period=period),
                "text": name,
                "description": f"Everything {name} funds or commissions",
            }
            for pk, name in organisations
        ],
        "teams": [{"href": report_url(SubjectKind.TEAM, pk, period=period), "text": name} for pk, name in teams],
        "areas": [
            {
                "href": report_url(SubjectKind.AREA, pk, period=period),
                "text": name,
                "description": f"Families living in {name}",
            }
            for pk, name in areas
        ],
    }


def agreement_links(agreements: Sequence[FundingAgreement]) -> list[dict[str, str]]:
    """Each funding agreement's return the person may open: for the agreement's own period,
    whatever period the landing page has chosen (funder and recipient must be fetched)."""
    return [
        {
            "href": report_url(SubjectKind.AGREEMENT, agreement.pk),
            "text": f"{agreement.funder.name} to {agreement.recipient.name}",
            "description": (
                f"{agreement.purpose}: {money(agreement.amount)}, "
                f"{date_long(agreement.starts_on)} to {date_long(agreement.ends_on)}"
            ),
        }
        for agreement in agreements
    ]
