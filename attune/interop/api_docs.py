"""The API's documentation page, drawn by Attune from the OpenAPI document: each endpoint, what
it takes and what it answers, and the code lists, as NHS.UK tables. Swagger UI (which ninja ships)
runs under the site's content security policy, but fails WCAG checks that no style can mend
(buttons nested in buttons, colours too faint), so the page is ours; the machine-readable
document stays at openapi.json for the supplier's tools."""

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from attune.core.rows import TableRow

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[TableRow]
    body: str  # the body schema's name, or ""
    body_fields: list[TableRow]
    answers: list[TableRow]


@dataclass(frozen=True)
class CodeList:
    anchor: str
    name: str
    values: str


@dataclass(frozen=True)
class Docs:
    title: str
    description: str
    operations: list[Operation]
    codes: list[CodeList] = field(default_factory=list)


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


class _Reader:
    def __init__(self, document: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
        self.codes_used: dict[str, list[str]] = {}

    def resolve(self, schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(name, schema) through a $ref or a one-item allOf (how pydantic writes a default)."""
        if "$ref" in schema:
            name = _name(schema["$ref"])
            return name, self.schemas.get(name, {})
        if len(schema.get("allOf", [])) == 1:
            return self.resolve(schema["allOf"][0])
        return "", schema

    def type_of(self, schema: dict[str, Any]) -> str:
        options = schema.get("anyOf")
        if options:
            kinds = [self.type_of(option) for option in options if option.get("type") != "null"]
            nullable = any(option.get("type") == "null" for option in options)
            return " or ".join(kinds) + (" or null" if nullable else "")
        name, found = self.resolve(schema)
        if "enum" in found:
            self.codes_used[name or "values"] = [str(value) for value in found["enum"]]
            return f"code from {name}" if name else "one of " + ", ".join(map(str, found["enum"]))
        if name:
            return f"object ({name})"
        kind = found.get("type", "any")
        if kind == "array":
            return f"list of {self.type_of(found.get('items', {}))}"
        formats = {"date": "date, YYYY-MM-DD", "date-time": "date and time, ISO 8601", "uuid": "id (UUID)"}
        if kind == "string" and found.get("format") in formats:
            return formats[found["format"]]
        limits = []
        if "maxLength" in found:
            limits.append(f"at most {found['maxLength']} characters")
        return f"{'text' if kind == 'string' else kind}{' (' + ', '.join(limits) + ')' if limits else ''}"

    def fields(self, schema: dict[str, Any], prefix: str = "") -> list[TableRow]:
        _, found = self.resolve(schema)
        required = set(found.get("required", []))
        rows: list[TableRow] = []
        for name, prop in found.get("properties", {}).items():
            path = f"{prefix}{name}"
            inner_name, inner = self.resolve(prop)
            items = inner.get("items", {}) if inner.get("type") == "array" else None
            rows.append(
                [
                    {"html": f"<code>{escape(path)}</code>"},
                    {"text": self.type_of(prop)},
                    {"text": "Required" if name in required else "Optional"},
                    {"text": prop.get("description", "") or inner.get("description", "")},
                ]
            )
            if inner_name and "properties" in inner:
                rows += self.fields(inner, f"{path}.")
            elif items is not None:
                item_name, item = self.resolve(items)
                if item_name and "properties" in item:
                    rows += self.fields(item, f"{path}[].")
        return rows


def _answers(reader: _Reader, responses: dict[str, Any]) -> list[TableRow]:
    rows: list[TableRow] = []
    for status, answer in sorted(responses.items()):
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        rows.append(
            [
                {"text": status},
                {"text": answer.get("description", "")},
                {"text": reader.type_of(schema) if schema else "nothing"},
            ]
        )
    return rows


def _parameters(reader: _Reader, parameters: list[dict[str, Any]]) -> list[TableRow]:
    return [
        [
            {"html": f"<code>{escape(parameter['name'])}</code>"},
            {"text": "in the path" if parameter.get("in") == "path" else "in the query string"},
            {"text": reader.type_of(parameter.get("schema", {}))},
            {"text": "Required" if parameter.get("required") else "Optional"},
            {"text": parameter.get("description", "")},
        ]
        for parameter in parameters
    ]


def docs(document: dict[str, Any]) -> Docs:
    reader = _Reader(document)
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method in METHODS:
            operation = methods.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            body_name, body_schema = reader.resolve(body) if body else ("", {})
            operations.append(
                Operation(
                    anchor=re.sub(r"[^a-z0-9]+", "-", f"{method} {path}".lower()).strip("-"),
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=_parameters(reader, operation.get("parameters", [])),
                    body=body_name or (body_schema.get("description", "A JSON object") if body else ""),
                    body_fields=reader.fields(body) if body_name else [],
                    answers=_answers(reader, operation.get("responses", {})),
                )
            )
    info = document.get("info", {})
    codes = [
        CodeList(anchor=f"codes-{name.lower()}", name=name, values=", ".join(values))
        for name, values in sorted(reader.codes_used.items())
    ]
    return Docs(info.get("title", "API"), info.get("description", ""), operations, codes)
