"""Competency frameworks as data: the demo framework and the loader's checks (pure)."""

from pathlib import Path

import pytest

from attune.workforce import frameworks


def test_the_demo_framework_covers_the_four_domains() -> None:
    framework = frameworks.load("demo")
    assert [d.code for d in framework.domains] == ["assessment", "intervention", "risk", "workforce"]
    assert [d.name for d in framework.domains][2:] == ["Risk and safeguarding", "Working with the wider workforce"]
    for domain in framework.domains:
        assert 3 <= len(domain.competencies) <= 4
        assert all(c.code and c.description for c in domain.competencies)
    assert framework.competency("RS2") is not None
    assert framework.domain_of("RS2") == framework.domains[2]
    assert framework.competency("XX9") is None
    assert "demo" in frameworks.available()


def test_an_unknown_or_unsafe_code_is_refused() -> None:
    with pytest.raises(frameworks.FrameworkError):
        frameworks.load("nope")
    with pytest.raises(frameworks.FrameworkError):
        frameworks.load("../frameworks/demo")


def test_a_duplicate_code_is_refused() -> None:
    data = {
        "name": "Bad",
        "domains": [
            {"code": "a", "name": "A", "competencies": [{"code": "X1", "title": "T", "description": "D"}]},
            {"code": "b", "name": "B", "competencies": [{"code": "X1", "title": "T", "description": "D"}]},
        ],
    }
    with pytest.raises(frameworks.FrameworkError, match="used twice"):
        frameworks.parse("bad", data)


@pytest.mark.parametrize(
    "data",
    [
        {"domains": [{"code": "a", "name": "A", "competencies": [{"code": "X", "title": "T", "description": "D"}]}]},
        {"name": "No domains", "domains": []},
        {"name": "Empty domain", "domains": [{"code": "a", "name": "A", "competencies": []}]},
        {
            "name": "No title",
            "domains": [{"code": "a", "name": "A", "competencies": [{"code": "X", "description": "D"}]}],
        },
    ],
)
def test_missing_parts_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(frameworks.FrameworkError):
        frameworks.parse("bad", data)


def test_a_framework_file_in_another_directory_loads(tmp_path: Path) -> None:
    (tmp_path / "small.toml").write_text(
        'name = "Small"\n[[domains]]\ncode = "a"\nname = "A"\n'
        '[[domains.competencies]]\ncode = "A1"\ntitle = "T"\ndescription = "D"\n'
    )
    framework = frameworks.load("small", tmp_path)
    assert framework.name == "Small"
    assert [c.code for c in framework.competencies] == ["A1"]
