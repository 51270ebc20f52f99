"""The clinical safety case's hazard log (docs/clinical-safety/hazard-log.toml) is well formed,
rates risks by the DCB0129 matrix, and claims no control without tests that exist."""

from pathlib import Path

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from attune.core import safety

# The hazards the safety case must always cover, by words of their titles.
REQUIRED = [
    "risk alert is missed",
    "wrong score",
    "wrong person",
    "merged",
    "unsafe route",
    "lone worker",
    "countersigned by the wrong person",
    "wrong team",
    "data lost",
    "waiting clocks",
    "small number",
]


def test_every_control_names_tests_that_exist() -> None:
    assert safety.missing_tests(safety.hazard_log()) == []


def test_every_software_control_names_at_least_one_test() -> None:
    for hazard in safety.hazard_log():
        for control in hazard.software_controls:
            assert control.tests, f"{hazard.id}: {control.description}"


def test_the_hazards_a_parent_infant_service_must_consider_are_logged() -> None:
    titles = " / ".join(hazard.title.lower() for hazard in safety.hazard_log())
    assert [words for words in REQUIRED if words not in titles] == []


def test_controls_never_raise_a_risk_and_leave_none_unacceptable() -> None:
    for hazard in safety.hazard_log():
        assert hazard.residual.rating <= hazard.initial.rating, hazard.id
        assert hazard.residual.rating <= safety.HIGHEST_ACCEPTABLE_RESIDUAL, hazard.id


def test_a_named_test_that_does_not_exist_is_caught(tmp_path: Path) -> None:
    (tmp_path / "test_here.py").write_text(
        "def test_real():\n    pass\n\nclass TestGroup:\n    def test_inner(self):\n        pass\n"
    )
    assert safety.named_test_exists("test_here.py::test_real", tmp_path)
    assert safety.named_test_exists("test_here.py::TestGroup::test_inner", tmp_path)
    assert not safety.named_test_exists("test_here.py::test_gone", tmp_path)
    assert not safety.named_test_exists("test_here.py::TestGroup::test_real", tmp_path)
    assert not safety.named_test_exists("test_elsewhere.py::test_real", tmp_path)
    assert not safety.named_test_exists("test_here.py", tmp_path)


def _log(**changes: object) -> dict[str, object]:
    hazard: dict[str, object] = {
        "id": "H99",
        "title": "A hazard",
        "description": "What could go wrong",
        "causes": ["Why"],
        "effects": "The harm",
        "initial": {"severity": "Major", "likelihood": "Medium"},
        "residual": {"severity": "Major", "likelihood": "Low"},
        "status": "Open",
        "controls": [{"kind": "software", "description": "A control", "tests": ["a.py::test_a"]}],
    }
    hazard.update(changes)
    return {"hazard": [hazard]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "H99: title is missing"),
        ({"causes": []}, "H99: causes must list"),
        ({"controls": []}, "H99: controls must list"),
        ({"initial": {"severity": "Bad", "likelihood": "Low"}}, "H99 initial: Unknown severity 'Bad'"),
        ({"residual": {"severity": "Major", "likelihood": "Often"}}, "H99 residual: Unknown likelihood 'Often'"),
        ({"controls": [{"kind": "software", "description": "A control", "tests": []}]}, "names the tests"),
        ({"controls": [{"kind": "magic", "description": "A control"}]}, "kind 'magic' is not one of"),
    ],
)
def test_a_broken_hazard_is_refused_naming_it(changes: dict[str, object], message: str) -> None:
    with pytest.raises(safety.HazardLogError, match=message):
        safety.parse(_log(**changes))


def test_a_process_control_needs_no_tests() -> None:
    (hazard,) = safety.parse(_log(controls=[{"kind": "process", "description": "A policy"}]))
    assert hazard.controls[0].tests == ()


@pytest.mark.parametrize(
    ("severity", "likelihood", "expected"),
    [
        ("Minor", "Very low", 1),
        ("Catastrophic", "Very low", 3),
        ("Major", "Low", 3),
        ("Considerable", "Medium", 3),
        ("Significant", "High", 3),
        ("Minor", "Very high", 3),
        ("Catastrophic", "Very high", 5),
    ],
)
def test_the_dcb0129_matrix(severity: str, likelihood: str, expected: int) -> None:
    assert safety.rating(severity, likelihood) == expected


@given(st.sampled_from(safety.SEVERITIES), st.sampled_from(safety.LIKELIHOODS))
def test_a_worse_severity_or_likelihood_never_lowers_the_rating(severity: str, likelihood: str) -> None:
    rating = safety.rating(severity, likelihood)
    for worse in safety.SEVERITIES[safety.SEVERITIES.index(severity) :]:
        assert safety.rating(worse, likelihood) >= rating
    for likelier in safety.LIKELIHOODS[safety.LIKELIHOODS.index(likelihood) :]:
        assert safety.rating(severity, likelier) >= rating


def test_the_clinical_safety_page_is_public_and_lists_every_hazard(client: Client, db: None) -> None:
    response = client.get("/clinical-safety")
    assert response.status_code == 200
    page = response.content.decode()
    for hazard in safety.hazard_log():
        assert hazard.id in page
        assert hazard.title.replace('"', "&#34;") in page or hazard.title in page
    assert "DCB0129" in page


def test_every_page_links_to_the_clinical_safety_page_in_its_footer(client: Client, db: None) -> None:
    page = client.get("/accessibility").content.decode()
    assert 'href="/clinical-safety"' in page
    assert "Clinical safety" in page


def test_the_safety_case_reports_table_agrees_with_the_hazard_log() -> None:
    report = (safety.ROOT / "docs" / "clinical-safety" / "safety-case-report.md").read_text(encoding="utf-8")
    for hazard in safety.hazard_log():
        row = f"| {hazard.id} | {hazard.title} | {hazard.initial.rating} | {hazard.residual.rating} |"
        assert row in report, row
