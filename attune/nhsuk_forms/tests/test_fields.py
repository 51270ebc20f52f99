"""Fields render as NHS.UK components and keep what the user typed."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from attune.nhsuk_forms import fields


class ExampleForm(forms.Form):
    name = fields.CharField(
        label="Full name", hint="As on their GP record", error_messages={"required": "Enter a name"}
    )
    email = fields.EmailField(label="Email address")
    secret = fields.PasswordField(label="Password")
    code = fields.CodeField(label="Security code")
    colour = fields.ChoiceField(label="Favourite colour", choices=[("red", "Red"), ("blue", "Blue")])
    tags = fields.MultipleChoiceField(label="Tags", choices=[("a", "A"), ("b", "B")], required=False)
    note = fields.TextareaField(label="Note", required=False)
    pick = fields.SelectField(label="Pick", choices=[("1", "One"), ("2", "Two")], required=False)


def test_errors_render_with_the_component_and_values_are_kept() -> None:
    form = ExampleForm(data={"name": "", "email": "not-an-email", "secret": "hunter2", "colour": "blue", "tags": ["b"]})
    assert not form.is_valid()
    name = form["name"].as_field_group()
    assert "nhsuk-form-group--error" in name
    assert "Enter a name" in name
    assert "As on their GP record" in name
    email = form["email"].as_field_group()
    assert 'value="not-an-email"' in email
    assert "Enter an email address in the correct format, like name@example.com" in email
    assert "hunter2" not in form["secret"].as_field_group()  # passwords are never echoed
    assert 'value="blue" checked' in form["colour"].as_field_group()
    assert 'value="b" checked' in form["tags"].as_field_group()


def test_code_field_forgives_spaces_and_dashes() -> None:
    form = ExampleForm(data={"name": "x", "email": "a@b.org", "secret": "s", "code": "123 456", "colour": "red"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "123456"


def test_error_summary_links_to_each_field() -> None:
    from django.template.loader import get_template

    template = get_template("nhsuk_forms/macros.jinja")
    module = template.template.make_module({})  # type: ignore[attr-defined]
    form = ExampleForm(data={})
    html = str(module.error_summary(form))
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert 'href="#id_colour"' in html


class DateForm(forms.Form):
    born = fields.DateField(label="Date of birth", error_messages={"required": "Enter the baby's date of birth"})


def test_date_field_reads_three_boxes() -> None:
    form = DateForm(data={"born-day": "3", "born-month": "11", "born-year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"].isoformat() == "2026-11-03"


def test_date_field_says_what_is_missing_and_keeps_what_was_typed() -> None:
    form = DateForm(data={"born-day": "3", "born-month": "", "born-year": "2026"})
    assert form.errors["born"] == ["Date of birth must include a month"]
    html = form["born"].as_field_group()
    assert 'name="born-day"' in html
    assert 'value="3"' in html
    assert 'value="2026"' in html
    assert "nhsuk-input--error" in html


def test_date_field_refuses_an_unreal_date() -> None:
    form = DateForm(data={"born-day": "31", "born-month": "2", "born-year": "2026"})
    assert form.errors["born"] == ["Date of birth must be a real date"]
    form = DateForm(data={"born-day": "1", "born-month": "2", "born-year": "26"})
    assert form.errors["born"] == ["Date of birth must be a real date"]


def test_date_field_required_message_and_summary_link() -> None:
    form = DateForm(data={})
    assert form.errors["born"] == ["Enter the baby's date of birth"]
    assert form["born"].id_for_label == "id_born-day"


class RecordDateForm(forms.Form):
    held_on = fields.DateField(label="Date of supervision", not_future=True)
    said = fields.DateField(
        label="Date said", not_future=True, error_messages={"future": "The day it was said must have come"}
    )


def _parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_a_not_future_date_may_be_today_but_not_tomorrow() -> None:
    today = timezone.localdate()
    ok = RecordDateForm({**_parts("held_on", today), **_parts("said", today)})
    assert ok.is_valid(), ok.errors
    late = RecordDateForm(
        {**_parts("held_on", today + dt.timedelta(days=1)), **_parts("said", today + dt.timedelta(days=1))}
    )
    assert not late.is_valid()
    assert late.errors["held_on"] == ["Date of supervision must be today or in the past"]
    assert late.errors["said"] == ["The day it was said must have come"]
    # What was typed stays in the boxes.
    tomorrow = today + dt.timedelta(days=1)
    assert late["held_on"].value() == [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]


def test_radios_show_a_hint_under_a_choice_given_one_and_only_on_this_form() -> None:
    form = ExampleForm()
    field: Any = form.fields["colour"]
    field.item_hints = {"red": "Like a post box"}
    radios = form["colour"].as_field_group()
    assert re.search(r'<div class="nhsuk-hint nhsuk-radios__hint" id="[^"]+">\s*Like a post box\s*</div>', radios)
    assert radios.count("nhsuk-radios__hint") == 1
    # Another form's field is its own copy: no hint there
    assert "Like a post box" not in ExampleForm()["colour"].as_field_group()
