"""The layout's header and footer are drawn once per distinct set of parameters
(core/drawn_once.py): the same markup as the nhsuk macro, the CSRF token of each page in its
slot, escaping kept, and a bounded cache."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.template import engines
from django.test import Client
from jinja2 import Environment
from markupsafe import Markup

from attune.accounts.models import User
from attune.core import drawn_once
from attune.core.drawn_once import SLOT, macro_once

HEADER = ("nhsuk/components/header/macro.jinja", "header")


@pytest.fixture
def env() -> Environment:
    return engines["jinja2"].env  # type: ignore[attr-defined]


def direct(env: Environment, params: Any) -> str:
    return str(getattr(env.get_template(HEADER[0]).module, HEADER[1])(params))


def signed_in_header(name: str, current: str) -> dict[str, Any]:
    form = Markup("<form>{}</form>").format(SLOT)
    return {
        "service": {"text": "Attune", "href": "/"},
        "search": {"action": "/search", "name": "q", "visuallyHiddenLabel": "Find a family"},
        "account": {"items": [{"href": "/account", "text": name, "icon": True}, {"html": form}]},
        "navigation": {
            "items": [
                {"href": href, "text": text, "current": href == current, "active": href == current}
                for href, text in (("/", "Home"), ("/caseload", "Caseload"), ("/diary", "Diary"))
            ]
        },
    }


def test_the_header_is_the_macros_own_markup_with_each_pages_token_in_its_slot(env: Environment) -> None:
    params = signed_in_header("Priya Shah", "/caseload")
    first = macro_once(env, *HEADER, params, {SLOT: Markup('<input name="csrf" value="one">')})
    second = macro_once(env, *HEADER, params, {SLOT: Markup('<input name="csrf" value="two">')})

    assert str(first) == direct(env, params).replace(SLOT, '<input name="csrf" value="one">')
    assert 'value="two"' in second
    assert 'value="one"' not in second
    assert SLOT not in first
    assert 'aria-current="page"' in first


def test_each_section_and_person_gets_its_own_header(env: Environment) -> None:
    on_caseload = macro_once(env, *HEADER, signed_in_header("Priya Shah", "/caseload"))
    in_diary = macro_once(env, *HEADER, signed_in_header("Priya Shah", "/diary"))
    someone_else = macro_once(env, *HEADER, signed_in_header("Sam Jones", "/diary"))

    assert re.search(r'href="/caseload" aria-current="page"', on_caseload)
    assert re.search(r'href="/diary" aria-current="page"', in_diary)
    assert "Sam Jones" in someone_else
    assert "Priya Shah" not in someone_else


def test_text_is_escaped_and_markup_is_not_even_when_they_read_the_same(env: Environment) -> None:
    as_text = macro_once(env, *HEADER, {"service": {"text": "<b>Attune</b>", "href": "/"}})
    as_markup = macro_once(env, *HEADER, {"service": {"text": Markup("<b>Attune</b>"), "href": "/"}})

    assert "&lt;b&gt;Attune&lt;/b&gt;" in as_text
    assert "<b>Attune</b>" in as_markup


def test_a_slot_value_that_is_not_markup_is_escaped(env: Environment) -> None:
    drawn = macro_once(env, *HEADER, signed_in_header("Priya Shah", "/"), {SLOT: '"><script>'})

    assert "<script>" not in drawn
    assert "&#34;&gt;&lt;script&gt;" in drawn


def test_parameters_the_cache_cannot_key_are_drawn_every_time(env: Environment) -> None:
    class Named:
        def __str__(self) -> str:
            return "Priya Shah"

    params = signed_in_header("x", "/")
    params["account"]["items"][0]["text"] = Named()
    before = len(drawn_once._drawn)

    drawn = macro_once(env, *HEADER, params)

    assert "Priya Shah" in drawn
    assert len(drawn_once._drawn) == before


def test_the_cache_holds_at_most_its_size(env: Environment) -> None:
    for n in range(drawn_once.SIZE + 20):
        macro_once(env, *HEADER, {"service": {"text": f"Service {n}", "href": "/"}})

    assert len(drawn_once._drawn) == drawn_once.SIZE
    # The newest are kept, the oldest dropped.
    assert macro_once(env, *HEADER, {"service": {"text": f"Service {drawn_once.SIZE + 19}", "href": "/"}})


@pytest.mark.django_db
def test_every_page_carries_a_fresh_token_that_signs_out(
    signed_in: Callable[[User], Client], practitioner: User
) -> None:
    client = signed_in(practitioner)
    client.handler.enforce_csrf_checks = True
    tokens = []
    for _ in range(2):
        page = client.get("/account").content.decode()
        form = re.search(r'<form class="nhsuk-header__account-form".*?</form>', page, re.S)
        assert form is not None
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
        assert found is not None
        tokens.append(found.group(1))
    assert tokens[0] != tokens[1]
    assert SLOT not in page

    response = client.post("/sign-out", {"csrfmiddlewaretoken": tokens[1]})

    assert response.status_code == 302
    assert client.get("/account").status_code == 302
