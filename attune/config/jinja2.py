"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, select_autoescape

from attune.core import drawn_once, formatting, tables


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    # The NHS.UK macros read nested parameters that may be absent (params.hint.text), which
    # needs ChainableUndefined; see the nhsuk-frontend-jinja README.
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    # HTML everywhere; plain text for outbox messages (notifications/messages/*.txt).
    options["autoescape"] = select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - autoescape is set above, by file type
    # The table macro (core/jinja2/nhsuk/components/tables/macro.jinja) draws its rows in Python.
    env.globals.update(
        {"static": static, "url": url, "table_html": tables.table_html, "table_region_label": tables.region_label}
    )
    # The layout's header and footer are drawn once per distinct set of parameters.
    env.globals.update({"macro_once": drawn_once.macro_once, "csrf_slot": drawn_once.SLOT})
    env.filters.update(
        {
            "date_long": formatting.date_long,
            "datetime_long": formatting.datetime_long,
            "nhs_number": formatting.nhs_number,
        }
    )
    return env
