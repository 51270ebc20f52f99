"""The instrument data files: every measure ships, licences are honoured, uncertain facts say so,
and a broken file is refused at load. Pure Python: no database."""

import ast
from pathlib import Path
from typing import Any

import pytest

from attune.outcomes import instruments
from attune.outcomes.instruments import (
    DATA_DIR,
    InstrumentFileError,
    all_instruments,
    get,
    load_wording,
    parse_instrument,
    with_wording,
)

CODES = ["EPDS", "PHQ9", "GAD7", "CORE10", "PBQ", "KPCS", "ADBB", "GBO", "PIRGAS", "ASQSE2"]


def test_every_required_instrument_ships_one_data_file() -> None:
    assert sorted(p.stem for p in DATA_DIR.glob("*.toml")) == sorted(CODES)
    assert sorted(i.code for i in all_instruments()) == sorted(CODES)


@pytest.mark.parametrize("code", CODES)
def test_each_instrument_cites_its_licence_and_sources(code: str) -> None:
    instrument = get(code)
    assert instrument.licence
    assert instrument.citation
    assert instrument.sources
    assert all(source.startswith(("http://", "https://")) for source in instrument.sources)


@pytest.mark.parametrize("code", ["EPDS", "KPCS", "PIRGAS", "ASQSE2"])
def test_wording_is_not_shipped_where_the_licence_forbids_or_we_cannot_copy_it_exactly(code: str) -> None:
    assert get(code).items_licensed is False


def test_epds_ships_no_item_wording_at_all() -> None:
    epds = get("EPDS")
    assert all(item.text is None for item in epds.items)
    assert all(option.label.startswith("Response ") for item in epds.items for option in item.options)


@pytest.mark.parametrize("code", ["PHQ9", "GAD7", "CORE10", "PBQ", "ADBB", "GBO"])
def test_licensed_instruments_have_text_for_every_item(code: str) -> None:
    assert get(code).items_licensed
    assert all(item.text for item in get(code).items)


@pytest.mark.parametrize("code", ["PIRGAS", "ASQSE2"])
def test_proprietary_instruments_are_entered_as_one_score(code: str) -> None:
    instrument = get(code)
    assert instrument.scores_only
    assert len(instrument.items) == 1
    assert instrument.items[0].numeric


def test_published_wording_is_unchanged() -> None:
    assert get("PHQ9").item(9).text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert [o.label for o in get("PHQ9").item(1).options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert get("GAD7").item(7).text == "Feeling afraid as if something awful might happen"
    assert get("CORE10").item(6).text == "I made plans to end my life"
    assert [o.label for o in get("CORE10").item(1).options][-1] == "Most or all of the time"
    assert get("PBQ").item(18).text == "I have done harmful things to my baby"
    assert get("PBQ").item(24).text == "I feel like hurting my baby"


def test_who_completes_and_whom_it_is_about() -> None:
    facts = {i.code: (i.completed_by, i.about, i.infant_age_months) for i in all_instruments()}
    assert facts["EPDS"] == ("carer", "carer", None)
    assert facts["ADBB"] == ("clinician", "infant", (2, 24))
    assert facts["KPCS"] == ("carer", "carer", (0, 12))
    assert facts["PIRGAS"][:2] == ("clinician", "relationship")
    assert facts["ASQSE2"] == ("carer", "infant", (1, 72))


def test_directions() -> None:
    better = {i.code for i in all_instruments() if i.direction == "higher_is_better"}
    assert better == {"KPCS", "GBO", "PIRGAS"}


def test_published_reliable_change_thresholds() -> None:
    thresholds = {i.code: i.reliable_change_threshold for i in all_instruments()}
    assert (thresholds["EPDS"], thresholds["PHQ9"], thresholds["GAD7"]) == (4, 6, 4)
    assert not any(get(c).reliable_change_uncertain for c in ("EPDS", "PHQ9", "GAD7"))


def test_uncertain_facts_are_marked_uncertain() -> None:
    assert get("CORE10").reliable_change_uncertain  # 6 points is secondary only
    assert get("GBO").reliable_change_uncertain  # 2.45 unconfirmed
    assert get("KPCS").reliable_change_threshold is None  # needs a normative SD we do not have
    assert get("KPCS").reliable_change_reliability == 0.88
    assert get("CORE10").max_missing_uncertain
    assert get("PIRGAS").cutoff_uncertain
    pirgas = get("PIRGAS").bands
    assert all(b.uncertain for b in pirgas if b.maximum <= 60)
    assert not any(b.uncertain for b in pirgas if b.minimum >= 61)
    assert all(b.uncertain for b in get("CORE10").bands)


def test_asqse2_ships_no_bands_or_cutoff() -> None:
    asq = get("ASQSE2")
    assert (asq.bands, asq.cutoff) == ((), None)


def test_risk_rules_named_in_the_brief() -> None:
    rules = {i.code: [(r.item, r.comparison, r.threshold) for r in i.risk_rules] for i in all_instruments()}
    assert rules["EPDS"] == [(10, "above", 0)]
    assert rules["PHQ9"] == [(9, "above", 0)]
    assert rules["CORE10"] == [(6, "above", 0)]
    assert rules["PBQ"] == [(18, "above", 0), (24, "above", 0)]
    assert rules["ADBB"] == [(None, "at_least", 5)]
    assert all(not rules[code] for code in ("GAD7", "KPCS", "GBO", "PIRGAS", "ASQSE2"))


def test_every_item_option_score_lies_in_the_stated_item_range() -> None:
    for instrument in all_instruments():
        lowest = sum(item.lowest_score for item in instrument.items)
        highest = sum(item.highest_score for item in instrument.items)
        assert (lowest, highest) == (instrument.minimum, instrument.maximum), instrument.code


def test_the_scoring_core_does_not_import_django() -> None:
    for module in ("instruments.py", "scoring.py"):
        tree = ast.parse((Path(instruments.__file__).parent / module).read_text())
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [name for name in names if name.split(".")[0] == "django"], module


# ---------------------------------------------------------------- schema checks at load


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "TEST",
        "name": "Test measure",
        "completed_by": "carer",
        "about": "carer",
        "items_licensed": True,
        "minimum": 0,
        "maximum": 6,
        "direction": "higher_is_worse",
        "licence": "Free",
        "citation": "Nobody (2026)",
        "sources": ["https://example.org"],
        "option_sets": {
            "three": [{"label": "No", "score": 0}, {"label": "Bit", "score": 1}, {"label": "Lot", "score": 2}]
        },
        "items": [{"number": n, "text": f"Q{n}", "options": "three"} for n in (1, 2, 3)],
    }
    data.update(changes)
    return data


def test_a_minimal_file_parses() -> None:
    instrument = parse_instrument(minimal())
    assert (instrument.code, len(instrument.items), instrument.reliable_change_threshold) == ("TEST", 3, None)


def test_a_threshold_is_computed_from_sd_and_reliability_at_load() -> None:
    instrument = parse_instrument(minimal(reliable_change={"sd": 2.0, "reliability": 0.5}))
    assert instrument.reliable_change_threshold == pytest.approx(1.96 * 2.0)
    assert (instrument.reliable_change_sd, instrument.reliable_change_reliability) == (2.0, 0.5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"maximum": 7}, "does not match the items"),
        ({"direction": "up"}, "direction must be one of"),
        ({"completed_by": "baby"}, "completed_by must be one of"),
        ({"about": "dog"}, "about must be one of"),
        ({"items": [{"number": 2, "options": "three"}]}, "numbered 1, 2, 3"),
        ({"items": [{"number": 1, "options": "four"}]}, "unknown option set"),
        (
            {"bands": [{"minimum": 0, "maximum": 3, "label": "A"}, {"minimum": 3, "maximum": 6, "label": "B"}]},
            "overlaps",
        ),
        ({"bands": [{"minimum": 0, "maximum": 9, "label": "A"}]}, "outside"),
        ({"cutoff": {"value": 9}}, "cut-off 9 lies outside"),
        ({"risk": [{"item": 4, "above": 0, "message": "m", "source": "s"}]}, "item 4, which does not exist"),
        ({"risk": [{"item": 1, "above": 0, "at_least": 1, "message": "m", "source": "s"}]}, "exactly one of"),
        ({"subscales": {"S": {"items": [1, 9]}}}, "subscale 'S'"),
        ({"missing": {"rule": "guess"}}, "missing.rule"),
        ({"missing": {"rule": "prorate", "max_missing": 3}}, "max_missing"),
        ({"reliable_change": {"threshold": 0}}, "above 0"),
        ({"reliable_change": {"sd": 2, "reliability": 1}}, "reliability must be"),
    ],
)
def test_a_broken_file_is_refused_at_load(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_instrument(minimal(**changes))


def test_a_missing_required_key_is_named() -> None:
    data = minimal()
    del data["licence"]
    with pytest.raises(InstrumentFileError, match="'licence' is required"):
        parse_instrument(data)


# ---------------------------------------------------------------- licensed wording loaded by a service

EPDS_WORDING = {n: f"Licensed item {n}" for n in range(1, 11)}


def test_with_wording_adds_text_and_keeps_the_scores() -> None:
    epds = get("EPDS")
    labels = {3: ["First", "Second", "Third", "Fourth"]}
    worded = with_wording(epds, EPDS_WORDING, labels, instructions="Licensed instructions")
    assert worded.items_licensed
    assert worded.instructions == "Licensed instructions"
    assert worded.item(3).text == "Licensed item 3"
    assert [o.label for o in worded.item(3).options] == labels[3]
    assert [o.score for o in worded.item(3).options] == [3, 2, 1, 0]
    assert [o.label for o in worded.item(4).options] == ["Response 1", "Response 2", "Response 3", "Response 4"]
    assert get("EPDS").item(3).text is None  # the shipped definition is untouched


@pytest.mark.parametrize(
    ("wording", "options", "message"),
    [
        ({**EPDS_WORDING, 11: "x"}, None, "EPDS has no item 11"),
        ({n: t for n, t in EPDS_WORDING.items() if n != 4}, None, "EPDS wording is missing item 4"),
        ({**EPDS_WORDING, 2: "  "}, None, "wording for item 2 is blank"),
        (EPDS_WORDING, {5: ["a", "b", "c"]}, "Item 5 of EPDS has 4 options but 3 labels were given"),
        (EPDS_WORDING, {12: ["a", "b", "c", "d"]}, "EPDS has no item 12 to give options to"),
        (EPDS_WORDING, {1: ["a", "", "c", "d"]}, "Item 1 of EPDS has a blank option label"),
    ],
)
def test_with_wording_names_the_problem(
    wording: dict[int, str], options: dict[int, list[str]] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        with_wording(get("EPDS"), wording, options)


def test_with_wording_refuses_option_labels_for_a_numeric_item() -> None:
    with pytest.raises(ValueError, match="Item 1 of GBO is a number"):
        with_wording(get("GBO"), {1: "How close?"}, {1: ["a"]})


def test_load_wording_reads_a_service_file(tmp_path: Path) -> None:
    lines = ['instructions = "Our licensed introduction"']
    for n in range(1, 11):
        lines += [f"[items.{n}]", f'text = "Item {n} as licensed"']
    lines += ['options = ["A", "B", "C", "D"]']  # labels for item 10
    path = tmp_path / "epds-wording.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    worded = load_wording(get("EPDS"), path)
    assert worded.instructions == "Our licensed introduction"
    assert worded.item(10).text == "Item 10 as licensed"
    assert [o.label for o in worded.item(10).options] == ["A", "B", "C", "D"]


def test_load_wording_refuses_a_file_without_items(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text('instructions = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[items.N\]"):
        load_wording(get("EPDS"), path)
