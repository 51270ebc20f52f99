"""Bar charts of a shown table (pure: no database)."""

import xml.etree.ElementTree as ET

import pytest

from attune.reports.charts import WITHHELD_NOTE, bar_chart, describe
from attune.reports.suppression import Rule, present_table
from attune.reports.tables import Column, Kind, Row, ShownTable, Table

SVG = "{http://www.w3.org/2000/svg}"
PEOPLE = Column("people", "Families referred")
SEEN = Column("seen", "Families seen")
SEEN_PERCENT = Column("seen_percent", "Seen", Kind.PERCENT, numerator="seen", denominator="people")


def shown(*rows: tuple[str, int | None], rule: Rule | None = None, column: str = "people") -> ShownTable:
    table = Table(
        "by-source",
        "Referrals by source",
        (PEOPLE, SEEN, SEEN_PERCENT),
        tuple(Row(label, {"people": people, "seen": people}) for label, people in rows),
        total=Row("Total", {"people": sum(p or 0 for _, p in rows), "seen": sum(p or 0 for _, p in rows)}),
        chart="bar",
        chart_column=column,
    )
    return present_table(table, rule)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def test_the_chart_is_an_image_named_by_its_title_and_described() -> None:
    svg = parse(bar_chart(shown(("Health visitor", 25), ("GP", 10)), chart_id="chart-source"))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Referrals by source"
    assert svg.get("aria-labelledby") == title.get("id") == "chart-source-title"
    assert svg.get("aria-describedby") == desc.get("id") == "chart-source-desc"
    assert desc.text == (
        "Families referred, one bar for each row. Health visitor: 25; GP: 10. "
        "The table beside the chart holds the same figures."
    )


def test_one_bar_per_row_and_none_for_the_total() -> None:
    svg = parse(bar_chart(shown(("A", 25), ("B", 10), ("C", 0)), chart_id="c"))
    bars = list(svg.iter(f"{SVG}rect"))
    assert len(bars) == 3
    widths = [float(bar.get("width") or 0) for bar in bars]
    assert widths[0] > widths[1] > widths[2] == 0
    assert widths[0] == pytest.approx(2.5 * widths[1])
    assert "35" not in texts(svg)  # the total


def test_a_withheld_figure_has_no_bar_and_shows_a_star_and_says_why() -> None:
    table = shown(("Health visitor", 25), ("GP", 3), ("Midwife", 30), rule=Rule())
    svg = parse(bar_chart(table, chart_id="c"))
    assert len(list(svg.iter(f"{SVG}rect"))) == 1  # 3 is hidden, and 25 with it (secondary)
    assert texts(svg).count("*") == 2
    desc = svg.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text is not None
    assert "Health visitor: *; GP: *; Midwife: 30." in desc.text
    assert WITHHELD_NOTE in desc.text


def test_the_withheld_note_can_be_worded_for_the_rule() -> None:
    table = shown(("A", 25), ("B", 3), rule=Rule())
    assert "* means fewer than 8" in describe(table, withheld_note="* means fewer than 8")
    assert WITHHELD_NOTE not in describe(shown(("A", 25), ("B", 30), rule=Rule()))


def test_every_label_is_escaped() -> None:
    svg = bar_chart(shown(('<script>alert("x")</script> & co', 20)), chart_id='c" onload="x')
    assert "<script>" not in svg
    assert 'onload="x' not in svg
    tree = parse(svg)
    assert any("<script>" in text for text in texts(tree))  # read back as text, not markup


def test_no_inline_style_so_the_content_security_policy_holds() -> None:
    svg = bar_chart(shown(("A", 20), ("B", None)), chart_id="c")
    assert "style" not in svg


def test_long_labels_are_cut_short_on_two_lines() -> None:
    label = "Family hub worker in the Blackburn with Darwen family hubs and children's centres"
    svg = parse(bar_chart(shown((label, 20)), chart_id="c"))
    spans = [span.text or "" for span in svg.iter(f"{SVG}tspan")]
    assert len(spans) == 2
    assert spans[1].endswith("…")
    assert all(len(span) <= 26 for span in spans)
    desc = svg.find(f"{SVG}desc")
    assert desc is not None
    assert label in (desc.text or "")  # a screen reader hears it whole


def test_percentages_run_to_100() -> None:
    svg = parse(bar_chart(shown(("A", 20), ("B", 10), column="seen_percent"), chart_id="c"))
    labels = texts(svg)
    assert "100%" in labels
    assert labels.count("100%") == 3  # the scale's end and both bars (all seen)


def test_nothing_to_draw_gives_no_chart() -> None:
    assert bar_chart(shown(("A", 3), ("B", 4), rule=Rule()), chart_id="c") == ""  # all withheld
    assert bar_chart(shown(), chart_id="c") == ""
    assert bar_chart(shown(("A", None)), chart_id="c") == ""
    assert bar_chart(shown(("A", 20), column=""), chart_id="c") == ""


def test_an_empty_figure_shows_a_dash() -> None:
    svg = parse(bar_chart(shown(("A", 20), ("B", None)), chart_id="c"))
    assert "–" in texts(svg)


def test_a_column_that_is_not_there_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="no column 'nope'"):
        bar_chart(shown(("A", 20), column="nope"), chart_id="c")


def test_the_scale_ends_on_a_round_figure() -> None:
    labels = texts(parse(bar_chart(shown(("A", 60371), ("B", 10)), chart_id="c")))
    assert labels[:5] == ["0", "20,000", "40,000", "60,000", "80,000"]


def test_nothing_is_drawn_when_every_figure_is_zero_or_hidden() -> None:
    assert bar_chart(shown(("A", 0), ("B", 3), rule=Rule()), chart_id="c") == ""
    assert bar_chart(shown(("A", 0), ("B", 0)), chart_id="c") == ""


def test_a_count_axis_steps_in_whole_numbers() -> None:
    svg = parse(bar_chart(shown(("A", 1), ("B", 0)), chart_id="c"))
    ticks = [text for text in texts(svg) if text.replace(",", "").isdigit()]
    assert ticks[:6] == ["0", "1", "2", "3", "4", "5"]
