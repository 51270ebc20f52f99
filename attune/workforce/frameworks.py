"""Competency frameworks, configured as data: one TOML file per framework in `frameworks/`, named
by its code. Pure: reading and checking a framework touches no database."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
DEMO = "demo"


class FrameworkError(ValueError):
    """A framework file is missing or malformed."""


@dataclass(frozen=True)
class Competency:
    code: str
    title: str
    description: str
    domain_code: str


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    domains: tuple[Domain, ...]

    @property
    def competencies(self) -> tuple[Competency, ...]:
        return tuple(c for d in self.domains for c in d.competencies)

    def competency(self, code: str) -> Competency | None:
        return next((c for c in self.competencies if c.code == code), None)

    def domain_of(self, code: str) -> Domain | None:
        return next((d for d in self.domains if any(c.code == code for c in d.competencies)), None)


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{where}: '{key}' must be some text")
    return value.strip()


def parse(code: str, data: dict[str, Any]) -> Framework:
    """Check a framework's data: every domain and competency has a code and text, codes are
    unique, each domain has at least one competency."""
    name = _text(data, "name", code)
    raw_domains = data.get("domains")
    if not isinstance(raw_domains, list) or not raw_domains:
        raise FrameworkError(f"{code}: a framework needs at least one domain")
    seen: set[str] = set()
    domains: list[Domain] = []
    for index, raw in enumerate(raw_domains, start=1):
        where = f"{code}, domain {index}"
        domain_code = _text(raw, "code", where)
        raw_competencies = raw.get("competencies")
        if not isinstance(raw_competencies, list) or not raw_competencies:
            raise FrameworkError(f"{where}: a domain needs at least one competency")
        competencies: list[Competency] = []
        for c_index, item in enumerate(raw_competencies, start=1):
            c_where = f"{where}, competency {c_index}"
            competency = Competency(
                code=_text(item, "code", c_where),
                title=_text(item, "title", c_where),
                description=_text(item, "description", c_where),
                domain_code=domain_code,
            )
            if competency.code in seen:
                raise FrameworkError(f"{c_where}: code {competency.code} is used twice")
            seen.add(competency.code)
            competencies.append(competency)
        domains.append(Domain(code=domain_code, name=_text(raw, "name", where), competencies=tuple(competencies)))
    return Framework(code=code, name=name, domains=tuple(domains))


def available(directory: Path = FRAMEWORKS_DIR) -> list[str]:
    """Codes of the frameworks shipped, for choosing one on a plan."""
    return sorted(path.stem for path in directory.glob("*.toml"))


@cache
def load(code: str, directory: Path = FRAMEWORKS_DIR) -> Framework:
    path = directory / f"{code}.toml"
    if not code.replace("_", "").replace("-", "").isalnum() or not path.is_file():
        raise FrameworkError(f"No competency framework called {code!r}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise FrameworkError(f"{code}: {error}") from None
    return parse(code, data)
