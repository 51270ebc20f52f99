"""The period chooser drawn once per address and day gives what drawing it afresh gives; one
with a message is drawn as it stands."""

import datetime as dt

import pytest
from django.http import QueryDict

from attune.reports import forms

TODAY = dt.date(2026, 3, 10)


def _fresh(form: forms.PeriodForm) -> dict[str, str]:
    return {name: form[name].as_field_group() for name in ("period", "start", "end")}


@pytest.mark.parametrize(
    "address",
    [
        "",
        "period=2025-26-Q2",
        "period=2023-24",
        "period=2025-01-01..2025-03-31",
        "period=dates&start-day=1&start-month=2&start-year=2025&end-day=3&end-month=4&end-year=2025",
    ],
)
def test_a_readable_chooser_is_drawn_as_a_fresh_one(address: str) -> None:
    first = forms.choose(QueryDict(address), TODAY).drawn()
    again = forms.choose(QueryDict(address), TODAY).drawn()
    assert first == again == _fresh(forms.choose(QueryDict(address), TODAY))


def test_the_chosen_period_is_the_one_drawn_selected() -> None:
    q2 = forms.choose(QueryDict("period=2025-26-Q2"), TODAY).drawn()["period"]
    q1 = forms.choose(QueryDict("period=2025-26-Q1"), TODAY).drawn()["period"]
    assert q1 != q2
    assert 'value="2025-26-Q2" selected' in q2
    assert 'value="2025-26-Q1" selected' in q1


def test_a_chooser_with_a_message_is_drawn_as_it_stands() -> None:
    form = forms.choose(QueryDict("period=dates&start-day=31&start-month=2&start-year=2025"), TODAY)
    assert form.errors
    drawn = form.drawn()
    assert drawn == _fresh(form)
    assert "Enter a real start date" in drawn["start"]
    assert 'value="31"' in drawn["start"]
