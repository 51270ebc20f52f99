"""Fields render as NHS.UK components and keep what the user typed."""

from django import forms

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
