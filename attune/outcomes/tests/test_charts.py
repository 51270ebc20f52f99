"""The SVG chart builder (pure: no database)."""

import ast
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from attune.outcomes import charts
from attune.outcomes.charts import Chart, Point

SVG = "{http://www.w3.org/2000/svg}"


def epds_chart(**overrides: object) -> Chart:
    values: dict[str, object] = {
        "chart_id": "chart-epds-jade",
        "title": "EPDS scores for Jade Hughes",
        "description": "EPDS scores for Jade Hughes: 16 then 10.",
        "points": [
            Point(date(2026, 9, 7), 16, "Assessment"),
            Point(date(2026, 11, 30), 10, "Review", charts.IMPROVED),
        ],
        "minimum": 0,
        "maximum": 30,
        "y_label": "EPDS total",
        "cutoff": 13,
        "cutoff_label": "13 or more: likely depression",
    }
    values.update(overrides)
    return Chart(**values)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def test_charts_module_imports_no_django() -> None:
    tree = ast.parse(Path(charts.__file__).read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not [m for m in modules if m.split(".")[0] == "django"]


def test_the_chart_is_an_image_named_by_its_title_and_described() -> None:
    svg = parse(charts.render(epds_chart()))
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "EPDS scores for Jade Hughes"
    assert desc is not None
    assert desc.text == "EPDS scores for Jade Hughes: 16 then 10."
    assert svg.get("aria-labelledby") == title.get("id") == "chart-epds-jade-title"
    assert svg.get("aria-describedby") == desc.get("id") == "chart-epds-jade-desc"


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def test_axes_are_labelled_with_scores_and_dates() -> None:
    words = texts(parse(charts.render(epds_chart())))
    assert "EPDS total" in words
    assert "Date completed" in words
    assert "7 Sep 2026" in words
    assert "30 Nov 2026" in words
    assert "0" in words
    assert "30" in words


def test_the_cut_off_is_a_dashed_line_with_its_words() -> None:
    svg = parse(charts.render(epds_chart()))
    cutoff = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "attune-chart__cutoff"]
    assert len(cutoff) == 1
    assert cutoff[0].get("stroke-dasharray")
    # 13 on a 0-30 scale drawn over 220 pixels from y=24: 24 + 220 * 17/30.
    assert float(cutoff[0].get("y1", "0")) == round(24 + 220 * 17 / 30, 1)
    assert "Cut-off: 13 or more: likely depression" in texts(svg)


def test_no_cut_off_line_without_a_cut_off() -> None:
    svg = parse(charts.render(epds_chart(cutoff=None)))
    assert not [line for line in svg.iter(f"{SVG}line") if line.get("class") == "attune-chart__cutoff"]
    assert not [t for t in texts(svg) if t.startswith("Cut-off")]


def test_reliable_change_has_its_own_shape_and_words_in_the_key() -> None:
    svg = parse(
        charts.render(
            epds_chart(
                points=[
                    Point(date(2026, 9, 7), 16, "Assessment"),
                    Point(date(2026, 11, 30), 10, "Review", charts.IMPROVED),
                    Point(date(2027, 2, 1), 24, "Follow-up", charts.DETERIORATED),
                ]
            )
        )
    )
    # Plot: the baseline a circle, the improvement a diamond, the deterioration a square (and
    # one of each shape again in the key).
    assert len(list(svg.iter(f"{SVG}circle"))) == 2
    assert len(list(svg.iter(f"{SVG}polygon"))) == 2
    assert len(list(svg.iter(f"{SVG}rect"))) == 2
    assert {"Reliable improvement", "Reliable deterioration", "Score"} <= set(texts(svg))


def test_each_point_shows_its_score() -> None:
    words = texts(parse(charts.render(epds_chart())))
    assert "16" in words
    assert "10" in words


def test_a_single_point_sits_in_the_middle_without_a_line() -> None:
    svg = parse(charts.render(epds_chart(points=[Point(date(2026, 9, 7), 16, "Assessment")])))
    assert not list(svg.iter(f"{SVG}polyline"))
    circle = next(svg.iter(f"{SVG}circle"))
    assert float(circle.get("cx", "0")) == 64 + (640 - 64 - 96) / 2


def test_a_higher_score_is_drawn_higher() -> None:
    svg = parse(charts.render(epds_chart()))
    line = next(svg.iter(f"{SVG}polyline"))
    (x1, y1), (x2, y2) = [tuple(map(float, pair.split(","))) for pair in (line.get("points") or "").split()]
    assert x1 < x2
    assert y1 < y2  # 16 is above 10: smaller y


def test_text_is_escaped() -> None:
    svg = charts.render(epds_chart(title="<script>alert(1)</script>", description='"quoted" & more'))
    assert "<script>" not in svg
    assert parse(svg).find(f"{SVG}title").text == "<script>alert(1)</script>"  # type: ignore[union-attr]


def test_no_inline_style_so_the_content_security_policy_holds() -> None:
    assert not re.search(r"\sstyle=", charts.render(epds_chart()))


def test_crowded_dates_are_not_all_labelled() -> None:
    points = [Point(date(2026, 1, 1 + n), 10, "Other") for n in range(20)]
    words = texts(parse(charts.render(epds_chart(points=points))))
    dates = [w for w in words if w.endswith("2026")]
    assert dates[0] == "1 Jan 2026"
    assert dates[-1] == "20 Jan 2026"
    assert len(dates) < 20


def test_y_ticks_are_round_and_span_the_range() -> None:
    assert charts.y_ticks(0, 30) == [0, 5, 10, 15, 20, 25, 30]
    assert charts.y_ticks(1, 100) == [1, 20, 40, 60, 80, 100]
    assert charts.y_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert charts.y_ticks(0, 125) == [0, 25, 50, 75, 100, 125]


def test_the_description_reads_every_score_and_the_cut_off() -> None:
    text = charts.describe(
        measure="EPDS",
        person="Jade Hughes",
        points=[Point(date(2026, 11, 30), 10, "Review", charts.IMPROVED), Point(date(2026, 9, 7), 16, "Assessment")],
        cutoff=13,
        cutoff_label="13 or more: likely depression",
    )
    assert text == (
        "EPDS scores for Jade Hughes over the episode: 16 on 7 September 2026 (Assessment); "
        "10 on 30 November 2026 (Review), a reliable improvement. "
        "The cut-off is 13 or more: likely depression. The table beside the chart holds the same figures."
    )
