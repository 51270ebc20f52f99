"""NHS.UK tables drawn in plain Python: the same markup, byte for byte, as nhsuk-frontend-jinja's
table template (nhsuk/components/tables/template.jinja, version 0.10), from the same parameters.

The template draws each cell through two macro calls and each attribute through another, which
at region scale was most of the time of the longest pages (a waiting list of 170 rows made 1,368
cell calls and 5,505 attribute calls). This module walks the same parameters once. Attune's
override of the table macro (core/jinja2/nhsuk/components/tables/macro.jinja) calls `table_html`
and falls back to the template for the features it does not draw (`None`): sortable columns,
the nhsuk scroll wrapper, a card or panel round the table, a caption with its own caption, and
array attributes. Attune uses none of them today. core/tests/test_tables.py renders generated
parameters both ways and requires the same output, so an upgrade of nhsuk-frontend-jinja that
changes the markup fails there first.

Whitespace, escaping and the order of attributes follow the template exactly, quirks included:
a cell's "header" key is ignored, a responsive table drops colspan, a text of 0 draws nothing,
a cell that is neither text nor a mapping is skipped.
"""

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Undefined
from jinja2.filters import do_indent, do_striptags
from markupsafe import Markup, escape

ALIGNS = ("left", "centre", "right")
ALIGN_CLASSES = tuple(f"nhsuk-u-text-align-{align}" for align in ALIGNS)
CAPTION_CLASS = "nhsuk-table__caption"
CAPTION_PREFIX = f"{CAPTION_CLASS}--"
CAPTION_SIZES = ("s", "m", "l", "xl")
CAPTION_SIZE_CLASSES = tuple(f"{CAPTION_PREFIX}{size}" for size in ("xxs", "xs", "s", "m", "l", "xl"))
UNDRAWN = ("card", "panel", "scroll", "sortAnnouncementText", "ascendingText", "descendingText")


class _Undrawn(Exception):
    """A feature of the template this module does not draw: the caller uses the template."""


def _is_mapping(value: Any) -> bool:
    """Jinja's `is mapping`, quicker for the dicts presenters give (an ABC check is slow)."""
    return type(value) is dict or isinstance(value, Mapping)


def _get(mapping: Any, key: str) -> Any:
    """`mapping.key` as the template reads it: None when absent or undefined."""
    value = mapping.get(key) if _is_mapping(mapping) else None
    return None if isinstance(value, Undefined) else value


def _has(mapping: Any, key: str) -> bool:
    """Whether `mapping.key` is defined (Jinja's `default` filter keeps a None that is given)."""
    return _is_mapping(mapping) and key in mapping and not isinstance(mapping[key], Undefined)


def _escaped(value: Any) -> bool:
    return hasattr(value, "__html__")


def _text(value: Any) -> str:
    """`{{ value }}` with autoescape on."""
    return str(escape(value))


def _joined_escaped(base: str, classes: Any) -> str:
    """`base ~ " " ~ classes`, escaped as nhsukAttributes escapes it (markup classes kept as they are)."""
    if not classes:
        return _text(base)
    if isinstance(classes, str):
        return str(escape(base) + Markup(" ") + classes)
    return _text(f"{base} {classes}")


def _attribute(name: Any, escaped: str) -> str:
    if '"' in escaped:
        return f" {_text(name)}='{escaped}'"
    return f' {_text(name)}="{escaped}"'


def attributes_html(attributes: Any) -> str:
    """The nhsukAttributes macro: a string as it is, a mapping as ` name="value"` pairs; an
    option mapping {"value": ..., "optional": true} leaves out an empty value and draws `name`
    alone for true."""
    if isinstance(attributes, str):
        return str(attributes)  # as it is, markup or not (and plain: adding markup to it would escape it)
    if not isinstance(attributes, Mapping):
        return ""
    html = []
    for name, item in attributes.items():
        if isinstance(item, Mapping):
            value, optional, kind = item.get("value"), item.get("optional") is True, item.get("type")
        else:
            value, optional, kind = item, False, "string"
        if value is None or isinstance(value, Undefined):
            value, escaped = None, ""
        elif _escaped(value):
            # The template reads `value.val` of markup, which is undefined: always drawn.
            escaped, value = str(value.__html__()), Undefined()
        elif kind == "array" and isinstance(value, Iterable):
            raise _Undrawn("array attribute")
        else:
            escaped = _text(value)
        if optional and value is True:
            html.append(f" {_text(name)}")
        elif (optional and value is not None and value is not False) or not optional:
            html.append(_attribute(name, str(value).lower() if isinstance(value, bool) else escaped))
    return "".join(html)


def _optional(name: str, value: Any) -> str:
    """One attribute given as {"value": value, "optional": true}."""
    if value is None or value is False or isinstance(value, Undefined):
        return ""
    if value is True:
        return f" {name}"
    return _attribute(name, str(value.__html__()) if _escaped(value) else _text(value))


def _value(text: Any, html: Any, hidden: Any) -> str:
    """The template's _tableValue macro: the html (trusted) or the text (escaped), then any
    visually hidden text."""
    out = ""
    if html or text:
        if hidden:
            hidden = Markup(" ") + hidden if _escaped(hidden) else f" {hidden}"
        out = str(Markup(html)) if html else _text(text)  # noqa: S704 - `html` is trusted, as `| safe` in the template
    if hidden:
        out += f'<span class="nhsuk-u-visually-hidden">{_text(hidden)}</span>'
    return out


# The characters str.splitlines breaks on: a text without any is one line, which do_indent gives back as it is.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _indent(text: str, width: int, first: bool = False) -> str:
    """Jinja's indent filter, without its split and join for the usual text of one line."""
    if _LINE_BREAKS.search(text):
        return do_indent(text, width, first)
    return " " * width + text if first else text


def _opening(
    element: str,
    classes: Any,
    format: Any,
    align: Any,
    width: Any,
    scope: Any,
    role: Any,
    colspan: Any,
    rowspan: Any,
    attributes: str,
) -> str:
    """A cell's opening tag. Every cell of a column usually has the same one, so it is kept
    (`_opening_kept`) when its parts can be a key."""
    base = "nhsuk-table__header" if element == "th" else "nhsuk-table__cell"
    names = base
    if format == "numeric" and (not classes or f"{base}--numeric" not in classes):
        names += f" {base}--numeric"
    if align and align in ALIGNS and (not classes or not any(name in classes for name in ALIGN_CLASSES)):
        names += f" nhsuk-u-text-align-{align}"
    if width and (not classes or f"nhsuk-u-width-{width}" not in classes):
        names += f" nhsuk-u-width-{width}"
    return (
        f"<{element}"
        + _attribute("class", _joined_escaped(names, classes))
        + _optional("scope", scope)
        + _optional("role", role)
        + _optional("colspan", colspan)
        + _optional("rowspan", rowspan)
        + attributes
        + ">\n"
    )


# typed: 0, False and 0.0 are equal keys but draw differently (colspan="0" or nothing).
_opening_kept = lru_cache(maxsize=1024, typed=True)(_opening)
_KEYABLE = (str, int, float, bool, type(None))


def _heading_label(heading: Mapping[str, Any]) -> str:
    """The responsive heading a body cell repeats from its column's head."""
    return _value(_get(heading, "text"), _get(heading, "html"), _get(heading, "visuallyHiddenText")).strip()


def _cell(
    cell: Mapping[str, Any],
    *,
    element: str,
    format: Any,
    align: Any,
    scope: Any,
    role: Any,
    colspan: Any,
    attributes: str,
    heading: str | None,
) -> str:
    """The template's _tableCell macro for one th or td, indented as the row places it, with
    its newline. `heading`: the column's responsive heading, drawn (None: no heading)."""
    parts: tuple[Any, ...] = (element, _get(cell, "classes"), format, align, _get(cell, "width"), scope, role)
    parts += (colspan, _get(cell, "rowspan"), attributes)
    # Markup is a str but escapes differently: only plain values are a key.
    keyable = all(type(part) in _KEYABLE for part in parts)
    opening = _opening_kept(*parts) if keyable else _opening(*parts)
    html = _get(cell, "html")
    inner = _value(_get(cell, "text"), html, _get(cell, "visuallyHiddenText")).strip()
    href = _get(cell, "href")
    if href:
        inner = f'<a class="nhsuk-link" href="{_text(href)}">{inner}</a>'
    inner = _indent(inner, 2)
    if heading is not None:
        body = f'  <span class="nhsuk-table__heading" aria-hidden="true">{_indent(heading, 2)} </span>'
        body += f"<span>{inner}</span>\n" if html else f"{inner}\n"
    else:
        body = f"  {inner}\n"
    return _indent(f"{opening}{body}</{element}>".strip(), 6, True) + "\n"


def _column(head: Any, index: int) -> Mapping[str, Any]:
    """The head of a body cell's column, as a mapping (`head[loop.index0]` in the template)."""
    try:
        item = head[index]
    except (LookupError, TypeError):
        item = None
    if _is_mapping(item):
        return item
    return {"text": item if isinstance(item, str) else None, "html": item if _escaped(item) else None}


def _caption_html(caption: Mapping[str, Any], hidden: Any) -> str:
    """The nhsukHeading macro as the table calls it: a caption element, sized."""
    size, classes = _get(caption, "size"), _get(caption, "classes")
    names = CAPTION_CLASS
    if size and size in CAPTION_SIZES and (not classes or not any(name in classes for name in CAPTION_SIZE_CLASSES)):
        names = f"{CAPTION_CLASS} {CAPTION_PREFIX}{size}"
    html, text = _get(caption, "html"), _get(caption, "text")
    inner = (str(Markup(html)) if html else _text(text) if text else "").strip()  # noqa: S704 - as in _value
    heading = (
        "<caption"
        + _attribute("class", _joined_escaped(names, classes))
        + _optional("id", _get(caption, "id"))
        + attributes_html(_get(caption, "attributes"))
        + ">\n"
        + do_indent(inner, 2, True)
    )
    if hidden:
        heading += f'<span class="nhsuk-u-visually-hidden"> {_text(hidden)}</span>'
    return heading + "\n</caption>"


def _bracketed(hidden: Any) -> Any:
    """`"(" ~ hidden ~ ")"`: markup stays markup."""
    if not hidden:
        return None
    return Markup("(") + hidden + Markup(")") if _escaped(hidden) else f"({hidden})"


def _table_classes(params: Mapping[str, Any]) -> tuple[str, Any]:
    classes = _get(params, "classes")
    names = "nhsuk-table"
    if _get(params, "variant") == "reverse" and (
        not classes or ("nhsuk-table--reverse" not in classes and "nhsuk-table-responsive--reverse" not in classes)
    ):
        names += " nhsuk-table--reverse"
    for key, name in (("compact", "nhsuk-table--compact"), ("responsive", "nhsuk-table--responsive")):
        if _get(params, key) and (not classes or name not in classes):
            names += f" {name}"
    if _get(params, "border") is False and not (classes and "nhsuk-table--no-border" in classes):
        names += " nhsuk-table--no-border"
    elif _get(params, "lastRowBorder") is False and not (classes and "nhsuk-table--no-last-row-border" in classes):
        names += " nhsuk-table--no-last-row-border"
    if _get(params, "striped") and (not classes or "nhsuk-table--striped" not in classes):
        names += " nhsuk-table--striped"
    return names, classes or _get(params, "tableClasses")


def _draw(params: Mapping[str, Any]) -> str:
    if any(_get(params, key) for key in UNDRAWN):
        raise _Undrawn("a table feature drawn by the template")
    head = _get(params, "head")
    head = head if head else []
    if any(_is_mapping(item) and _get(item, "sort") for item in head):
        raise _Undrawn("sortable columns")
    responsive, first_is_header = bool(_get(params, "responsive")), _get(params, "firstCellIsHeader")

    given = params.get("caption")
    if isinstance(given, Mapping):
        if _get(given, "caption"):
            raise _Undrawn("a caption's caption")
        caption: Mapping[str, Any] = given
        hidden = _get(given, "visuallyHiddenText")
    else:
        caption = {
            "text": given if isinstance(given, str) else None,
            "html": given if _escaped(given) and not isinstance(given, Undefined) else None,
            "size": _get(params, "captionSize"),
            "classes": _get(params, "captionClasses"),
        }
        hidden = None

    names, classes = _table_classes(params)
    out = [
        "<table",
        _attribute("class", _joined_escaped(names, classes)),
        _optional("id", _get(params, "id")),
        _optional("role", "table" if responsive else None),
        attributes_html(_get(params, "attributes")),
        ">\n",
    ]
    if _get(caption, "text") or _get(caption, "html"):
        out.append("  " + do_indent(_caption_html(caption, _bracketed(hidden)), 2) + "\n")
    row_role = ' role="row"' if responsive else ""
    if head:
        group_role = ' role="rowgroup"' if responsive else ""
        out.append(f'  <thead class="nhsuk-table__head"{group_role}>\n')
        out.append(f'    <tr class="nhsuk-table__row"{row_role}>\n')
        for item in head:
            if not (isinstance(item, str) or _is_mapping(item)):
                continue
            header = item if _is_mapping(item) else {"text": item, "html": item if _escaped(item) else None}
            out.append(
                _cell(
                    header,
                    element="th",
                    format=_get(header, "format"),
                    align=_get(header, "align"),
                    scope="col",
                    role="columnheader" if responsive else None,
                    colspan=None if responsive else _get(header, "colspan"),
                    attributes=attributes_html(_get(header, "attributes")),
                    heading=None,
                )
            )
        out.append("    </tr>\n  </thead>\n")
    out.append('  <tbody class="nhsuk-table__body">\n')
    labels: dict[int, str] = {}  # each column's responsive heading, drawn once
    for row in _get(params, "rows") or []:
        try:
            cells = iter(row)
        except TypeError:
            continue
        out.append(f'    <tr class="nhsuk-table__row"{row_role}>\n')
        for index, item in enumerate(cells):
            if not (isinstance(item, str) or _is_mapping(item)):
                continue
            header = _column(head, index)
            data = item if _is_mapping(item) else {"text": item, "html": item if _escaped(item) else None}
            form = _get(data, "format") if _has(data, "format") else _get(header, "format")
            if _has(data, "align"):
                align = _get(data, "align")
            else:
                numeric_head = _get(data, "format") == "string" and _get(header, "format") == "numeric"
                align = "right" if numeric_head else _get(header, "align")
            is_header = bool(index == 0 and first_is_header)
            sort_value = _get(data, "sortValue")
            out.append(
                _cell(
                    data,
                    element="th" if is_header else "td",
                    format=form,
                    align=align,
                    scope="row" if is_header else None,
                    role=("rowheader" if is_header else "cell") if responsive else None,
                    colspan=None if responsive else _get(data, "colspan"),
                    attributes=_optional("data-sort-value", sort_value or None)
                    + attributes_html(_get(data, "attributes")),
                    heading=(labels.get(index) or labels.setdefault(index, _heading_label(header)))
                    if responsive and header
                    else None,
                )
            )
        out.append("    </tr>\n")
    out.append("  </tbody>\n</table>")
    return "".join(out).strip() + "\n"


def table_html(params: Mapping[str, Any] | None) -> Markup | None:
    """The table the nhsuk template draws for these parameters, or None when they use a feature
    only the template draws (the macro then includes the template)."""
    try:
        # Every text in it was escaped on the way in; html was given as trusted (see _value).
        return Markup(_draw(params if isinstance(params, Mapping) else {}))  # noqa: S704
    except _Undrawn:
        return None


def region_label(params: Mapping[str, Any] | None) -> str:
    """The name of the scroll region round a table: its caption's text, else "Table" (as the
    override macro named it: `caption.text | default(caption.html) | default("Table", true) |
    striptags | trim`)."""
    caption = params.get("caption") if isinstance(params, Mapping) else None
    if isinstance(caption, Mapping):
        label = (
            caption["text"] if "text" in caption and not isinstance(caption["text"], Undefined) else caption.get("html")
        )
    else:
        label = caption
    if not label or isinstance(label, Undefined):
        label = "Table"
    return str(do_striptags(label)).strip()
