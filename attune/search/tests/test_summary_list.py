"""The search results' summary lists drawn in Python give the summaryList macro's markup, byte for
byte, for every shape they draw, and decline the rest."""

from typing import Any

from django.template import engines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import Markup

from attune.search.summary_list import summary_list_html

CLASSES = "nhsuk-summary-list--no-border nhsuk-u-margin-bottom-0"
MACRO = (
    '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}'
    '{{ summaryList({"rows": rows, "classes": classes}) }}'
)


def _macro(rows: list[dict[str, Any]], classes: str = CLASSES) -> str:
    environment: Environment = engines["jinja2"].env  # type: ignore[attr-defined]
    return environment.from_string(MACRO).render(rows=rows, classes=classes)


# Text with what tends to break markup: escapes, new lines of every kind, leading and trailing space.
_text = st.text(alphabet=st.sampled_from(list("ab <>&\"' \n\r\t\x0c\u2028é")), min_size=1, max_size=30).filter(
    lambda value: value.strip() != ""
)
_part = st.one_of(
    st.builds(lambda text: {"text": text}, _text),
    st.builds(lambda html: {"html": html}, _text),
    st.builds(lambda html: {"html": Markup(html)}, _text),  # noqa: S704 - HTML given as Markup, as presenters do
)
_rows = st.lists(st.builds(lambda key, value: {"key": key, "value": value}, _part, _part), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_rows)
def test_drawn_as_the_macro_draws_it(rows: list[dict[str, Any]]) -> None:
    assert summary_list_html(rows, CLASSES) == _macro(rows)


def test_a_search_result_row_is_drawn_as_the_macro_draws_it() -> None:
    rows = [
        {"key": {"text": "Baby"}, "value": {"html": "Ava O&#39;Neil, 3 months<br>Noah, due 1 May 2026"}},
        {"key": {"text": "Team"}, "value": {"text": "Blackpool PAIRS hub team"}},
        {
            "key": {"text": "Flags"},
            "value": {"html": '<strong class="nhsuk-tag nhsuk-tag--red">Risk alert: x</strong>'},
        },
    ]
    assert summary_list_html(rows, CLASSES) == _macro(rows)


def test_shapes_it_does_not_draw_go_to_the_macro() -> None:
    assert summary_list_html([], CLASSES) is None
    assert summary_list_html([{"key": {"text": "A"}, "value": {"text": ""}}], CLASSES) is None
    assert summary_list_html([{"key": {"text": "A"}, "value": {"text": "b"}, "actions": {}}], CLASSES) is None
    assert summary_list_html([{"key": {"text": "A"}, "value": {"text": "b", "classes": "x"}}], CLASSES) is None
    assert summary_list_html([{"key": "A", "value": "b"}], CLASSES) is None
    assert summary_list_html([{"key": {"text": "A"}, "value": {"text": "b"}}], 'x" onclick="y') is None
