"""Attune's clinical safety case in data: the hazard log (docs/clinical-safety/hazard-log.toml)
read into typed hazards, and the DCB0129 risk matrix that rates them.

Pure Python (no Django), so the hazard log can be checked by a test, shown on the public
"Clinical safety" page and read by the trust's clinical safety officer from the same file.
The matrix and the meaning of each rating are those of NHS Digital's DCB0129/DCB0160
guidance (https://digital.nhs.uk/data-and-information/information-standards/information-standards-and-data-collections-including-extractions/publications-and-notifications/standards-and-collections/dcb0129-clinical-risk-management-its-application-in-the-manufacture-of-health-it-systems;
../shared/reference/domain.md C.5).
"""

import ast
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEVERITIES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
LIKELIHOODS = ("Very low", "Low", "Medium", "High", "Very high")

# Rows: likelihood (very low .. very high); columns: severity (minor .. catastrophic).
_MATRIX = (
    (1, 1, 2, 2, 3),
    (1, 2, 2, 3, 4),
    (2, 2, 3, 3, 4),
    (2, 3, 3, 4, 5),
    (3, 4, 4, 5, 5),
)

RATING_MEANINGS = {
    1: "Acceptable: no further action needed",
    2: "Acceptable where the cost of further reduction outweighs the benefit",
    3: "Undesirable: acceptable only when further reduction is impractical",
    4: "Unacceptable: mandatory removal or reduction",
    5: "Unacceptable: mandatory removal or reduction",
}

# A release may carry risks rated at most this after their controls.
HIGHEST_ACCEPTABLE_RESIDUAL = 3

CONTROL_KINDS = ("software", "process", "deployment", "training")

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.toml"


class HazardLogError(ValueError):
    """The hazard log is not well formed; the message names the hazard and the field."""


def rating(severity: str, likelihood: str) -> int:
    """The DCB0129 risk rating (1 to 5) of a severity and a likelihood."""
    if severity not in SEVERITIES:
        raise HazardLogError(f"Unknown severity {severity!r}: use one of {', '.join(SEVERITIES)}")
    if likelihood not in LIKELIHOODS:
        raise HazardLogError(f"Unknown likelihood {likelihood!r}: use one of {', '.join(LIKELIHOODS)}")
    return _MATRIX[LIKELIHOODS.index(likelihood)][SEVERITIES.index(severity)]


@dataclass(frozen=True)
class Control:
    kind: str
    description: str
    # pytest node ids ("path/to/test_file.py::test_name" or "...::TestClass::test_name") that
    # prove a software control works.
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Risk:
    severity: str
    likelihood: str

    @property
    def rating(self) -> int:
        return rating(self.severity, self.likelihood)

    @property
    def meaning(self) -> str:
        return RATING_MEANINGS[self.rating]


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    description: str
    causes: tuple[str, ...]
    effects: str
    initial: Risk
    controls: tuple[Control, ...]
    residual: Risk
    status: str
    # What the deploying organisation must do under DCB0160, if anything.
    deployer: str

    @property
    def software_controls(self) -> tuple[Control, ...]:
        return tuple(control for control in self.controls if control.kind == "software")


def _text(raw: dict[str, object], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HazardLogError(f"{where}: {key} is missing or empty")
    return value.strip()


def _risk(raw: dict[str, object], key: str, where: str) -> Risk:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise HazardLogError(f"{where}: {key} needs a severity and a likelihood")
    risk = Risk(
        severity=_text(value, "severity", f"{where} {key}"), likelihood=_text(value, "likelihood", f"{where} {key}")
    )
    try:
        risk.rating  # noqa: B018 (checks the words)
    except HazardLogError as error:
        raise HazardLogError(f"{where} {key}: {error}") from error
    return risk


def _control(raw: object, where: str) -> Control:
    if not isinstance(raw, dict):
        raise HazardLogError(f"{where}: a control must be a table")
    kind = _text(raw, "kind", where)
    if kind not in CONTROL_KINDS:
        raise HazardLogError(f"{where}: kind {kind!r} is not one of {', '.join(CONTROL_KINDS)}")
    tests = raw.get("tests", [])
    if not isinstance(tests, list) or not all(isinstance(test, str) for test in tests):
        raise HazardLogError(f"{where}: tests must be a list of test names")
    if kind == "software" and not tests:
        raise HazardLogError(f"{where}: a software control names the tests that prove it")
    return Control(kind=kind, description=_text(raw, "description", where), tests=tuple(tests))


def parse(document: dict[str, object]) -> tuple[Hazard, ...]:
    """Hazards from the parsed TOML document, checked for form (not for the tests' existence)."""
    raws = document.get("hazard")
    if not isinstance(raws, list) or not raws:
        raise HazardLogError("The hazard log has no [[hazard]] entries")
    hazards = []
    seen: set[str] = set()
    for number, raw in enumerate(raws, start=1):
        if not isinstance(raw, dict):
            raise HazardLogError(f"Hazard {number} is not a table")
        hazard_id = _text(raw, "id", f"Hazard {number}")
        if hazard_id in seen:
            raise HazardLogError(f"{hazard_id} appears twice")
        seen.add(hazard_id)
        causes = raw.get("causes")
        if not isinstance(causes, list) or not causes or not all(isinstance(c, str) and c for c in causes):
            raise HazardLogError(f"{hazard_id}: causes must list at least one cause")
        controls = raw.get("controls")
        if not isinstance(controls, list) or not controls:
            raise HazardLogError(f"{hazard_id}: controls must list at least one control")
        hazards.append(
            Hazard(
                id=hazard_id,
                title=_text(raw, "title", hazard_id),
                description=_text(raw, "description", hazard_id),
                causes=tuple(causes),
                effects=_text(raw, "effects", hazard_id),
                initial=_risk(raw, "initial", hazard_id),
                controls=tuple(_control(c, f"{hazard_id} control {i}") for i, c in enumerate(controls, start=1)),
                residual=_risk(raw, "residual", hazard_id),
                status=_text(raw, "status", hazard_id),
                deployer=str(raw.get("deployer", "")).strip(),
            )
        )
    return tuple(hazards)


@cache
def hazard_log(path: Path = HAZARD_LOG) -> tuple[Hazard, ...]:
    with path.open("rb") as file:
        return parse(tomllib.load(file))


def named_test_exists(node_id: str, root: Path = ROOT) -> bool:
    """Whether a pytest node id names a test function that is in the source (parametrised
    tests are named without their brackets)."""
    path, _, name = node_id.partition("::")
    file = root / path
    if not name or not file.is_file():
        return False
    parts = name.split("::")
    body: list[ast.stmt] = ast.parse(file.read_text(encoding="utf-8")).body
    for part in parts[:-1]:
        classes = [node for node in body if isinstance(node, ast.ClassDef) and node.name == part]
        if not classes:
            return False
        body = classes[0].body
    return any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == parts[-1] for node in body)


def missing_tests(hazards: tuple[Hazard, ...], root: Path = ROOT) -> list[str]:
    """Every "hazard: test" whose test does not exist."""
    return [
        f"{hazard.id}: {test}"
        for hazard in hazards
        for control in hazard.controls
        for test in control.tests
        if not named_test_exists(test, root)
    ]
