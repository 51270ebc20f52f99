"""What the report pages show, from presented reports, without the database."""

import uuid
from datetime import UTC, date, datetime

from attune.core.periods import between, financial_year, quarter
from attune.reports import presenters
from attune.reports.scope import Subject, SubjectKind
from attune.reports.suppression import Rule, present
from attune.reports.tables import Column, Figure, Kind, Note, Report, ReportScope, Row, Section, ShownReport, Table

SCOPE = ReportScope(start=date(2025, 10, 1), end=date(2025, 12, 31), team_ids=frozenset())
TEAM = Subject(SubjectKind.TEAM, uuid.UUID(int=1), "Blackpool PAIRS hub team", "Blackpool PAIRS hub team", frozenset())
ICB = Subject(
    SubjectKind.ORGANISATION,
    uuid.UUID(int=2),
    "Lancashire and South Cumbria ICB",
    "Everything Lancashire and South Cumbria ICB funds or commissions",
    frozenset(),
)


def table(*, chart: str = "bar") -> Table:
    return Table(
        key="by-source",
        title="Referrals received by source",
        columns=(Column("referrals", "Referrals"), Column("cost", "Cost", Kind.MONEY)),
        rows=(
            Row("Health visitor", {"referrals": 3, "cost": None}),
            Row("GP <script>", {"referrals": 40, "cost": None}),
        ),
        total=Row("Total", {"referrals": 43, "cost": None}),
        notes=(Note("{count} had no source.", {"count": Figure(1, one="referral", many="referrals")}),),
        chart=chart,
        chart_column="referrals" if chart else "",
    )


def shown(rule: Rule | None, *, chart: str = "bar") -> ShownReport:
    return present(Report(SCOPE, (Section("referrals", "Referrals", (table(chart=chart),)),), (Note("A note"),)), rule)


def test_exact_table_has_numbers_right_aligned_and_no_footnote() -> None:
    [section] = presenters.section_views(shown(None))
    [view] = section.tables
    assert section.anchor == "report-section-referrals"
    assert [c.text for c in view.head] == ["Category", "Referrals", "Cost"]
    assert [c.numeric for c in view.head] == [False, True, True]
    assert view.rows[0][0] == "Health visitor"
    assert [c.text for c in view.rows[0][1]] == ["3", "–"]
    assert all(c.numeric for c in view.rows[0][1])
    assert view.total is not None
    assert view.total[1][0].text == "43"
    assert view.footnote == ""
    assert view.notes == ("1 referral had no source.",)


def test_suppressed_table_explains_the_star() -> None:
    [section] = presenters.section_views(shown(Rule()), prefix="print")
    [view] = section.tables
    assert view.rows[0][1][0].text == "*"
    assert view.rows[0][1][0].withheld
    assert view.footnote.startswith("* means the figure is hidden to protect privacy")
    assert view.anchor == "print-table-by-source"


def test_chart_is_svg_with_escaped_labels_and_absent_when_not_asked_for() -> None:
    [section] = presenters.section_views(shown(None))
    chart = section.tables[0].chart
    assert chart.startswith("<svg")
    assert 'id="report-chart-by-source-title"' in chart
    assert "<script>" not in chart
    assert "GP &lt;script&gt;" in chart
    [plain] = presenters.section_views(shown(None, chart=""))
    assert plain.tables[0].chart == ""


def test_contents_lists_each_section() -> None:
    sections = presenters.section_views(shown(None))
    assert presenters.contents(sections) == [{"href": "#report-section-referrals", "text": "Referrals"}]


def test_about_notes_end_with_how_figures_were_protected() -> None:
    notes = presenters.about_notes(shown(Rule()), Rule())
    assert notes[0] == "A note"
    assert notes[-1].startswith("To protect privacy, counts from 1 to 7 are shown as *")
    assert presenters.about_notes(shown(None), None)[-1].startswith("These are exact figures")


def test_audience_note_says_which_presentation_applies() -> None:
    assert presenters.audience_note(True) == (
        "Exact figures: for the team only. Downloads and printed reports are suppressed."
    )
    assert "hidden" in presenters.audience_note(False)


def test_title_says_quarterly_annual_or_plain() -> None:
    assert presenters.report_title(TEAM, quarter(2025, 3)) == "Quarterly report for Blackpool PAIRS hub team"
    assert presenters.report_title(ICB, financial_year(2024)) == "Annual report for Lancashire and South Cumbria ICB"
    assert presenters.report_title(TEAM, between(date(2024, 11, 1), date(2025, 3, 31))) == (
        "Report for Blackpool PAIRS hub team"
    )


def test_period_text_gives_the_dates_once() -> None:
    assert presenters.period_text(quarter(2025, 3)) == (
        "Quarter 3 2025-26 (October to December 2025): 1 October 2025 to 31 December 2025"
    )
    assert presenters.period_text(between(date(2024, 11, 1), date(2025, 3, 31))) == "1 November 2024 to 31 March 2025"


def test_file_name_says_what_and_when() -> None:
    assert (
        presenters.file_name(ICB, quarter(2025, 3), "xlsx") == "attune-lancashire-and-south-cumbria-icb-2025-26-q3.xlsx"
    )
    assert presenters.file_name(TEAM, between(date(2024, 11, 1), date(2025, 3, 31)), "csv") == (
        "attune-blackpool-pairs-hub-team-2024-11-01-to-2025-03-31.csv"
    )


def test_generated_text_is_london_time() -> None:
    assert presenters.generated_text(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "Produced 1 July 2026 at 2:05pm"


def test_audience_text_for_the_printed_cover() -> None:
    assert presenters.audience_text(ICB) == "For Lancashire and South Cumbria ICB, as funder or commissioner"
    assert presenters.audience_text(TEAM).startswith("For Blackpool PAIRS hub team")
