"""Outcome-measure definitions, read from one TOML data file per instrument. No Django here.

Every fact in the data files (items, option scores, reverse scoring, bands, cut-offs, risk rules,
missing-item rules, reliable-change thresholds, licence) comes from
../shared/reference/domain.md section A, and each file cites its sources. Facts tagged there as
uncertain are marked ``uncertain`` in the data so the product can show them as unverified, and a
service can override them (``score(..., bands=, cutoff=, max_missing=)``,
``reliable_change(..., threshold=)``).

Item wording ships only where the licence allows it. For the EPDS the wording is not licensed for
republication (RCPsych), so its file holds response positions and scores only, and a service that
holds a licence loads its own wording with :func:`with_wording`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "instruments"

COMPLETED_BY = ("carer", "clinician", "observer")
ABOUT = ("carer", "infant", "relationship")
DIRECTIONS = ("higher_is_worse", "higher_is_better")
MISSING_RULES = ("all_items", "prorate")


@dataclass(frozen=True)
class Option:
    label: str
    score: int


@dataclass(frozen=True)
class Item:
    number: int
    text: str | None
    options: tuple[Option, ...]
    minimum: int | None = None
    maximum: int | None = None
    reverse: bool = False

    @property
    def numeric(self) -> bool:
        return not self.options

    @property
    def lowest_score(self) -> int:
        if self.options:
            return min(option.score for option in self.options)
        assert self.minimum is not None
        return self.minimum

    @property
    def highest_score(self) -> int:
        if self.options:
            return max(option.score for option in self.options)
        assert self.maximum is not None
        return self.maximum

    def score_for(self, position: int) -> int:
        """The score of the option at this 0-based printed position (reverse scoring applied)."""
        return self.options[position].score

    def position_for(self, score: int) -> int:
        """The first printed position that carries this score (the inverse of ``score_for``).

        Unique except where two options share a score (KPCS "Not applicable" scores 2, like the
        third response), when the first printed position is returned.
        """
        for position, option in enumerate(self.options):
            if option.score == score:
                return position
        raise ValueError(f"Item {self.number}: no option scores {score}")


@dataclass(frozen=True)
class Band:
    minimum: float
    maximum: float
    label: str
    uncertain: bool = False


@dataclass(frozen=True)
class RiskRule:
    """Raise ``message`` when an item's score (or the total, when ``item`` is None) crosses ``threshold``.

    ``comparison`` is "above" (score > threshold) or "at_least" (score >= threshold).
    ``local_rule`` marks a rule that is our design decision rather than a published one.
    ``high_risk`` marks a risk of self-harm or of harm to the baby: once the action taken is
    recorded, a clinical supervisor or team lead reviews it.
    """

    item: int | None
    comparison: str
    threshold: float
    message: str
    source: str
    local_rule: bool = False
    uncertain: bool = False
    high_risk: bool = False

    def fires(self, value: float) -> bool:
        return value > self.threshold if self.comparison == "above" else value >= self.threshold


@dataclass(frozen=True)
class SubscaleCutoff:
    value: float
    label: str
    uncertain: bool = False


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    completed_by: str
    about: str
    infant_age_months: tuple[int, int] | None
    period: str
    instructions: str
    items: tuple[Item, ...]
    items_licensed: bool
    scores_only: bool
    minimum: float
    maximum: float
    direction: str
    bands: tuple[Band, ...]
    cutoff: float | None
    cutoff_label: str
    cutoff_uncertain: bool
    subscales: Mapping[str, tuple[int, ...]]
    reliable_change_threshold: float | None
    reliable_change_source: str
    reliable_change_uncertain: bool
    licence: str
    citation: str
    sources: tuple[str, ...]
    # Missing answers: "all_items" (no total, and no subscale, unless all of its items are
    # answered) or "prorate" (total = items x sum / answered, with at most `max_missing` missing).
    missing_rule: str = "all_items"
    max_missing: int = 0
    max_missing_uncertain: bool = False
    missing_note: str = ""
    risk_rules: tuple[RiskRule, ...] = ()
    subscale_cutoffs: Mapping[str, SubscaleCutoff] = field(default_factory=lambda: MappingProxyType({}))
    bands_note: str = ""
    # The inputs of a computed (Jacobson-Truax) threshold, when that is where it came from.
    reliable_change_sd: float | None = None
    reliable_change_reliability: float | None = None
    notes: str = ""
    # Only given after the birth (a measure of the mother and her baby together, such as the
    # PBQ): never due, offered or sent for a baby not born yet. A measure with an infant age
    # range is postnatal by that range already.
    postnatal: bool = False

    @property
    def higher_is_worse(self) -> bool:
        return self.direction == "higher_is_worse"

    @property
    def risk_items(self) -> tuple[int, ...]:
        """The items a risk rule watches (EPDS 10, PHQ-9 9, CORE-10 6, PBQ 18 and 24), in order."""
        return tuple(sorted({rule.item for rule in self.risk_rules if rule.item is not None}))

    def risk_rules_for(self, number: int) -> tuple[RiskRule, ...]:
        return tuple(rule for rule in self.risk_rules if rule.item == number)

    def item(self, number: int) -> Item:
        return self.items[number - 1]


def jacobson_truax_threshold(sd: float, reliability: float) -> float:
    """The smallest raw change that is reliable at p < .05: 1.96 x SD x sqrt(2(1 - r)).

    Jacobson & Truax (1991), J Consult Clin Psychol 59:12-19 (domain.md A.3): SE = SD x sqrt(1 - r),
    S_diff = sqrt(2 SE^2), reliable when |change| / S_diff > 1.96.
    """
    if not sd > 0:
        raise ValueError(f"The standard deviation must be above 0 (got {sd})")
    if not 0 <= reliability < 1:
        raise ValueError(f"The reliability must be at least 0 and below 1 (got {reliability})")
    return 1.96 * sd * math.sqrt(2 * (1 - reliability))


class InstrumentFileError(ValueError):
    """A data file that breaks the schema: raised at load so a typo never reaches a score."""


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise InstrumentFileError(f"{where}: '{key}' is required")
    return data[key]


def _parse_items(data: Mapping[str, Any], where: str) -> tuple[Item, ...]:
    option_sets: dict[str, tuple[Option, ...]] = {}
    for name, options in data.get("option_sets", {}).items():
        option_sets[name] = tuple(Option(label=str(o["label"]), score=int(o["score"])) for o in options)
    items: list[Item] = []
    for index, raw in enumerate(_require(data, "items", where), start=1):
        number = int(_require(raw, "number", where))
        if number != index:
            raise InstrumentFileError(f"{where}: items must be numbered 1, 2, 3 … in order (found {number} at {index})")
        option_set = raw.get("options")
        text = raw.get("text")
        if option_set is not None:
            if option_set not in option_sets:
                raise InstrumentFileError(f"{where}: item {number} uses unknown option set '{option_set}'")
            items.append(
                Item(
                    number=number,
                    text=text,
                    options=option_sets[option_set],
                    reverse=bool(raw.get("reverse", False)),
                )
            )
        else:
            minimum, maximum = int(_require(raw, "minimum", where)), int(_require(raw, "maximum", where))
            if minimum > maximum:
                raise InstrumentFileError(f"{where}: item {number} minimum is above its maximum")
            items.append(Item(number=number, text=text, options=(), minimum=minimum, maximum=maximum))
    if not items:
        raise InstrumentFileError(f"{where}: an instrument needs at least one item")
    return tuple(items)


def _parse_bands(raw_bands: Sequence[Mapping[str, Any]]) -> tuple[Band, ...]:
    return tuple(
        Band(
            minimum=float(b["minimum"]),
            maximum=float(b["maximum"]),
            label=str(b["label"]),
            uncertain=bool(b.get("uncertain", False)),
        )
        for b in raw_bands
    )


def validate_bands(bands: Sequence[Band], minimum: float, maximum: float, where: str) -> None:
    """Bands run low to high inside the instrument's range without overlapping."""
    previous: Band | None = None
    for band in bands:
        if band.minimum > band.maximum:
            raise ValueError(f"{where}: band '{band.label}' runs from {band.minimum} down to {band.maximum}")
        if band.minimum < minimum or band.maximum > maximum:
            raise ValueError(f"{where}: band '{band.label}' lies outside {minimum:g} to {maximum:g}")
        if previous is not None and band.minimum <= previous.maximum:
            raise ValueError(f"{where}: band '{band.label}' overlaps '{previous.label}' or is out of order")
        previous = band


def _parse_risk(raw_rules: Sequence[Mapping[str, Any]], items: tuple[Item, ...], where: str) -> tuple[RiskRule, ...]:
    rules: list[RiskRule] = []
    for raw in raw_rules:
        has_above, has_at_least = "above" in raw, "at_least" in raw
        if has_above == has_at_least:
            raise InstrumentFileError(f"{where}: each risk rule needs exactly one of 'above' or 'at_least'")
        item = raw.get("item")
        if item is not None and not 1 <= int(item) <= len(items):
            raise InstrumentFileError(f"{where}: a risk rule names item {item}, which does not exist")
        rules.append(
            RiskRule(
                item=None if item is None else int(item),
                comparison="above" if has_above else "at_least",
                threshold=float(raw["above"] if has_above else raw["at_least"]),
                message=str(_require(raw, "message", where)),
                source=str(_require(raw, "source", where)),
                local_rule=bool(raw.get("local_rule", False)),
                uncertain=bool(raw.get("uncertain", False)),
                high_risk=bool(raw.get("high_risk", False)),
            )
        )
    return tuple(rules)


def parse_instrument(data: Mapping[str, Any], where: str = "instrument") -> Instrument:
    """Build and check an Instrument from the parsed TOML of one data file."""
    code = str(_require(data, "code", where))
    where = f"{where} ({code})"
    items = _parse_items(data, where)

    completed_by, about, direction = data.get("completed_by"), data.get("about"), data.get("direction")
    if completed_by not in COMPLETED_BY:
        raise InstrumentFileError(f"{where}: completed_by must be one of {', '.join(COMPLETED_BY)}")
    if about not in ABOUT:
        raise InstrumentFileError(f"{where}: about must be one of {', '.join(ABOUT)}")
    if direction not in DIRECTIONS:
        raise InstrumentFileError(f"{where}: direction must be one of {', '.join(DIRECTIONS)}")

    ages = data.get("infant_age_months")
    infant_age_months = None if ages is None else (int(ages[0]), int(ages[1]))

    minimum, maximum = float(_require(data, "minimum", where)), float(_require(data, "maximum", where))
    lowest = sum(item.lowest_score for item in items)
    highest = sum(item.highest_score for item in items)
    if (minimum, maximum) != (lowest, highest):
        raise InstrumentFileError(
            f"{where}: the range {minimum:g} to {maximum:g} does not match the items ({lowest} to {highest})"
        )

    bands = _parse_bands(data.get("bands", []))
    try:
        validate_bands(bands, minimum, maximum, where)
    except ValueError as error:
        raise InstrumentFileError(str(error)) from error

    cutoff_data = data.get("cutoff", {})
    cutoff = cutoff_data.get("value")
    if cutoff is not None and not minimum <= cutoff <= maximum:
        raise InstrumentFileError(f"{where}: the cut-off {cutoff} lies outside the range")

    subscales: dict[str, tuple[int, ...]] = {}
    subscale_cutoffs: dict[str, SubscaleCutoff] = {}
    for name, raw in data.get("subscales", {}).items():
        numbers = tuple(int(n) for n in _require(raw, "items", where))
        if not numbers or any(not 1 <= n <= len(items) for n in numbers) or len(set(numbers)) != len(numbers):
            raise InstrumentFileError(f"{where}: subscale '{name}' names items that do not exist or repeats one")
        subscales[name] = numbers
        if "cutoff" in raw:
            subscale_cutoffs[name] = SubscaleCutoff(
                value=float(raw["cutoff"]),
                label=str(raw.get("cutoff_label", "")),
                uncertain=bool(raw.get("cutoff_uncertain", False)),
            )

    missing = data.get("missing", {})
    missing_rule = missing.get("rule", "all_items")
    if missing_rule not in MISSING_RULES:
        raise InstrumentFileError(f"{where}: missing.rule must be one of {', '.join(MISSING_RULES)}")
    max_missing = int(missing.get("max_missing", 0))
    if missing_rule == "prorate" and not 0 <= max_missing < len(items):
        raise InstrumentFileError(f"{where}: missing.max_missing must be at least 0 and below the item count")

    rc = data.get("reliable_change", {})
    sd, reliability = rc.get("sd"), rc.get("reliability")
    threshold = rc.get("threshold")
    if threshold is None and sd is not None and reliability is not None:
        threshold = jacobson_truax_threshold(float(sd), float(reliability))
    if threshold is not None and not threshold > 0:
        raise InstrumentFileError(f"{where}: the reliable-change threshold must be above 0")

    return Instrument(
        code=code,
        name=str(_require(data, "name", where)),
        completed_by=str(completed_by),
        about=str(about),
        infant_age_months=infant_age_months,
        period=str(data.get("period", "")),
        instructions=str(data.get("instructions", "")),
        items=items,
        items_licensed=bool(_require(data, "items_licensed", where)),
        scores_only=bool(data.get("scores_only", False)),
        minimum=minimum,
        maximum=maximum,
        direction=str(direction),
        bands=bands,
        cutoff=None if cutoff is None else float(cutoff),
        cutoff_label=str(cutoff_data.get("label", "")),
        cutoff_uncertain=bool(cutoff_data.get("uncertain", False)),
        subscales=MappingProxyType(subscales),
        reliable_change_threshold=None if threshold is None else float(threshold),
        reliable_change_source=str(rc.get("source", "")),
        reliable_change_uncertain=bool(rc.get("uncertain", False)),
        licence=str(_require(data, "licence", where)),
        citation=str(_require(data, "citation", where)),
        sources=tuple(str(s) for s in _require(data, "sources", where)),
        missing_rule=missing_rule,
        max_missing=max_missing if missing_rule == "prorate" else 0,
        max_missing_uncertain=bool(missing.get("uncertain", False)),
        missing_note=str(missing.get("note", "")),
        risk_rules=_parse_risk(data.get("risk", []), items, where),
        subscale_cutoffs=MappingProxyType(subscale_cutoffs),
        bands_note=str(data.get("bands_note", "")),
        reliable_change_sd=None if sd is None else float(sd),
        reliable_change_reliability=None if reliability is None else float(reliability),
        notes=str(data.get("notes", "")),
        postnatal=bool(data.get("postnatal", False)),
    )


def load_file(path: Path) -> Instrument:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    instrument = parse_instrument(data, where=path.name)
    if instrument.code != path.stem:
        raise InstrumentFileError(f"{path.name}: the code {instrument.code} does not match the file name")
    return instrument


@cache
def _registry() -> Mapping[str, Instrument]:
    # Read once per process: the files ship with the code and never change while it runs.
    return MappingProxyType({i.code: i for i in (load_file(p) for p in sorted(DATA_DIR.glob("*.toml")))})


def get(code: str) -> Instrument:
    """The instrument with this code (EPDS, PHQ9, …); KeyError naming the known codes otherwise."""
    try:
        return _registry()[code]
    except KeyError:
        known = ", ".join(sorted(_registry()))
        raise KeyError(f"No outcome measure has the code {code!r}. Known codes: {known}") from None


def all_instruments() -> tuple[Instrument, ...]:
    return tuple(_registry().values())


def with_wording(
    instrument: Instrument,
    wording: Mapping[int, str],
    options: Mapping[int, Sequence[str]] | None = None,
    *,
    instructions: str | None = None,
) -> Instrument:
    """A copy carrying licensed item wording that a service loads from its own file (e.g. EPDS).

    ``wording`` maps every item number to its text; ``options`` optionally maps item numbers to
    option labels in printed order (the scores, and so reverse scoring, are kept). Raises
    ValueError naming the problem: an unknown or missing item, blank text, or a wrong option count.
    """
    code = instrument.code
    numbers = {item.number for item in instrument.items}
    unknown = sorted(set(wording) - numbers)
    if unknown:
        raise ValueError(f"{code} has no item {', '.join(map(str, unknown))} (it has items 1 to {len(numbers)})")
    absent = sorted(numbers - set(wording))
    if absent:
        raise ValueError(f"{code} wording is missing item {', '.join(map(str, absent))}")
    blank = sorted(n for n, text in wording.items() if not str(text).strip())
    if blank:
        raise ValueError(f"{code} wording for item {', '.join(map(str, blank))} is blank")
    options = options or {}
    unknown = sorted(set(options) - numbers)
    if unknown:
        raise ValueError(f"{code} has no item {', '.join(map(str, unknown))} to give options to")

    items: list[Item] = []
    for item in instrument.items:
        new_options = item.options
        if item.number in options:
            labels = list(options[item.number])
            if item.numeric:
                raise ValueError(f"Item {item.number} of {code} is a number, so it takes no option labels")
            if len(labels) != len(item.options):
                raise ValueError(
                    f"Item {item.number} of {code} has {len(item.options)} options but {len(labels)} labels were given"
                )
            if any(not str(label).strip() for label in labels):
                raise ValueError(f"Item {item.number} of {code} has a blank option label")
            new_options = tuple(
                Option(label=str(label), score=option.score) for label, option in zip(labels, item.options, strict=True)
            )
        items.append(replace(item, text=str(wording[item.number]), options=new_options))
    return replace(
        instrument,
        items=tuple(items),
        items_licensed=True,
        instructions=instrument.instructions if instructions is None else instructions,
    )


def load_wording(instrument: Instrument, path: Path) -> Instrument:
    """``with_wording`` from a service's own TOML file of licensed wording, for example::

    instructions = "…"          # optional
    [items.1]
    text = "…"
    options = ["…", "…", "…", "…"]   # optional, in printed order
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    raw_items = data.get("items")
    if not isinstance(raw_items, dict):
        raise ValueError(f"{path.name}: expected an [items.N] table for each item")
    wording: dict[int, str] = {}
    options: dict[int, Sequence[str]] = {}
    for key, raw in raw_items.items():
        if not str(key).isdigit() or not isinstance(raw, dict) or "text" not in raw:
            raise ValueError(f"{path.name}: [items.{key}] needs a whole-number item and a text")
        wording[int(key)] = str(raw["text"])
        if "options" in raw:
            options[int(key)] = [str(label) for label in raw["options"]]
    instructions = data.get("instructions")
    return with_wording(instrument, wording, options, instructions=None if instructions is None else str(instructions))
