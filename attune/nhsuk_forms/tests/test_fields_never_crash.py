"""Property tests (hypothesis): whatever is posted to any nhsuk_forms field, the answer is the
field's value or a ValidationError (an NHS-style message on the page), never another exception
(a 500). The fields are found by looking through the module, so a field added later is covered
without anyone remembering to list it here."""

import contextlib
import inspect
from typing import Any

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.nhsuk_forms import fields

PROPERTY = settings(max_examples=150, deadline=None)
RENDERED = settings(max_examples=40, deadline=None)

CHOICES = [("red", "Red"), ("blue", "Blue"), ("1", "One")]


def field_classes() -> list[type[forms.Field]]:
    """Every form field the module defines (its own classes, not the Django ones it imports)."""
    found = [
        cls
        for _, cls in inspect.getmembers(fields, inspect.isclass)
        if issubclass(cls, forms.Field) and cls.__module__ == fields.__name__
    ]
    assert len(found) >= 9, found  # a failed look-up must not pass as "nothing to test"
    return found


def make_field(cls: type[forms.Field], *, required: bool) -> forms.Field:
    kwargs: dict[str, Any] = {"label": "Something asked", "required": required}
    if issubclass(cls, forms.ChoiceField):
        kwargs["choices"] = CHOICES
    if issubclass(cls, fields.DateField):
        kwargs["not_future"] = True
    return cls(**kwargs)


FIELDS = [pytest.param(cls, id=cls.__name__) for cls in field_classes()]

# What people (and robots) post: huge numbers, other scripts' digits, NULs, whitespace, very long
# strings, and the shapes a browser never sends.
huge_digits = st.from_regex(r"-?[0-9]{5,80}", fullmatch=True)
odd_numbers = st.sampled_from(["1" * 25, "9" * 19, "0", "-1", "00", "0000", "1e5", "٣", "２０２６", "²", "½", "NaN"])
nasty = st.text(alphabet=st.sampled_from(["\x00", " ", "\t", "\n", "\u200b", "\ufeff", "é", "😀", "\ud7ff", "9"]))
very_long = st.builds(lambda ch, n: ch * n, st.sampled_from(["9", "a", " ", "\x00", "@"]), st.integers(300, 6000))
text = st.one_of(st.text(max_size=60), huge_digits, odd_numbers, nasty, very_long)
value = st.one_of(st.none(), text, st.lists(text, max_size=5), st.tuples(text, text, text))


def _only_validation_errors(field: forms.Field, raw: Any) -> None:
    with contextlib.suppress(forms.ValidationError):
        field.clean(raw)


@pytest.mark.parametrize("cls", FIELDS)
@pytest.mark.parametrize("required", [True, False])
@PROPERTY
@given(raw=value)
def test_clean_raises_nothing_but_a_validation_error(cls: type[forms.Field], required: bool, raw: Any) -> None:
    _only_validation_errors(make_field(cls, required=required), raw)


def _posted(name: str) -> st.SearchStrategy[MultiValueDict]:
    keys = st.sampled_from([name, f"{name}-day", f"{name}-month", f"{name}-year", "other"])
    return st.dictionaries(keys, st.lists(text, min_size=1, max_size=3)).map(MultiValueDict)


@pytest.mark.parametrize("cls", FIELDS)
@PROPERTY
@given(data=_posted("f"))
def test_the_widget_reads_any_post_and_the_field_answers_with_a_validation_error_at_worst(
    cls: type[forms.Field], data: MultiValueDict
) -> None:
    field = make_field(cls, required=True)
    raw = field.widget.value_from_datadict(data, MultiValueDict(), "f")
    field.widget.value_omitted_from_data(data, MultiValueDict(), "f")
    _only_validation_errors(field, raw)


@pytest.mark.parametrize("cls", FIELDS)
@RENDERED
@given(data=_posted("f"))
def test_a_form_with_any_post_validates_and_renders(cls: type[forms.Field], data: MultiValueDict) -> None:
    form_class = type("AnyForm", (forms.Form,), {"f": make_field(cls, required=True)})
    form = form_class(data=data)
    form.is_valid()
    html = str(form["f"].as_field_group())
    assert "nhsuk-form-group" in html


@pytest.mark.parametrize("year", ["1" * 25, "9" * 19, "99999", "1" * 5000, "0999", "3000"])
def test_a_date_with_an_impossible_year_is_not_a_real_date_and_is_kept(year: str) -> None:
    form_class = type("BornForm", (forms.Form,), {"born": fields.DateField(label="Date of birth")})
    form = form_class(data={"born-day": "1", "born-month": "2", "born-year": year})
    assert form.errors["born"] == ["Date of birth must be a real date"]
    assert form["born"].value() == ["1", "2", year]


def test_the_largest_and_smallest_years_allowed_are_real_dates() -> None:
    form_class = type("BornForm", (forms.Form,), {"born": fields.DateField(label="Date of birth")})
    for year in (str(fields.MIN_YEAR), str(fields.MAX_YEAR)):
        form = form_class(data={"born-day": "1", "born-month": "2", "born-year": year})
        assert form.is_valid(), form.errors


def test_a_question_or_optional_label_is_not_read_out_in_the_message() -> None:
    form_class = type(
        "Ask",
        (forms.Form,),
        {
            "born": fields.DateField(label="What is your baby's date of birth?"),
            "seen": fields.DateField(label="Date seen (optional)", required=False),
        },
    )
    typed = {"born-day": "1", "born-month": "2", "born-year": "1" * 25, "seen-day": "1", "seen-year": "2026"}
    form = form_class(data=typed)
    assert form.errors["born"] == ["The date must be a real date"]
    assert form.errors["seen"] == ["Date seen must include a month"]
