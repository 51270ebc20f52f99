"""The outcome scoring engine: answers in, scores, bands, risk alerts and reliable change out.

Pure Python (DESIGN.md convention 9): no Django, no database, so it is fast, easy to test and
usable alone. Each rule it applies is data in the instrument's TOML file, sourced from
../shared/reference/domain.md section A.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from attune.outcomes.instruments import Band, Instrument, get, validate_bands

IMPROVED = "improved"
NO_RELIABLE_CHANGE = "no reliable change"
DETERIORATED = "deteriorated"

# Prorated totals (10 x 100 / 9) and scores a caller passes as floats carry rounding error;
# compare with this tolerance so a change of 5.9999999999 points counts as 6.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Result:
    total: float | None
    subscales: Mapping[str, float | None]
    band: str | None
    alerts: tuple[str, ...]
    complete: bool
    above_cutoff: bool | None
    # Extras beyond the core interface.
    band_uncertain: bool = False
    subscales_above_cutoff: Mapping[str, bool | None] = field(default_factory=lambda: MappingProxyType({}))
    item_scores: tuple[int | None, ...] = ()
    missing_items: tuple[int, ...] = ()
    prorated: bool = False


def item_scores(instrument: Instrument, answers: Sequence[int | None]) -> tuple[int | None, ...]:
    """Check each answer and turn it into its item score (None stays None).

    An option item's answer is the 0-based position of the option as printed; its score comes
    from the item's options, which is where reverse scoring lives. A numeric item's answer is
    the number itself.
    """
    code = instrument.code
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise ValueError(f"{code} answers must be a list with one answer per item")
    if len(answers) != len(instrument.items):
        raise ValueError(f"{code} has {len(instrument.items)} items but {len(answers)} answers were given")
    scores: list[int | None] = []
    for item, answer in zip(instrument.items, answers, strict=True):
        if answer is None:
            scores.append(None)
            continue
        # bool is an int in Python; a True here is a bug upstream, not an answer.
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"Item {item.number} of {code}: {answer!r} is not a whole number")
        if item.numeric:
            assert item.minimum is not None
            assert item.maximum is not None
            if not item.minimum <= answer <= item.maximum:
                raise ValueError(f"Item {item.number} of {code}: {answer} is outside {item.minimum} to {item.maximum}")
            scores.append(answer)
        else:
            count = len(item.options)
            if not 0 <= answer < count:
                raise ValueError(
                    f"Item {item.number} of {code}: {answer} is not one of the {count} options (0 to {count - 1})"
                )
            scores.append(item.score_for(answer))
    return tuple(scores)


def band_for(total: float, bands: Sequence[Band]) -> Band | None:
    """The highest band whose minimum the total reaches.

    Bands are printed as whole-number ranges (0 to 9, 10 to 12), but a prorated CORE-10 total can fall
    between them (10.5); it belongs to the band whose lower edge it has reached, as with the cut-off.
    """
    ordered = sorted(bands, key=lambda b: b.minimum)
    reached = [band for band in ordered if total >= band.minimum - _TOLERANCE]
    if not reached:
        return None
    band = reached[-1]
    # Beyond the band's last whole number (a service's bands need not cover the whole range).
    return band if total < band.maximum + 1 else None


def _crossed(value: float, cutoff: float, higher_is_worse: bool) -> bool:
    # The clinical cut-off is "at or above" for a higher-is-worse measure (EPDS 13 or more)
    # and "at or below" for a higher-is-better one (KPCS 39 or less).
    return value >= cutoff - _TOLERANCE if higher_is_worse else value <= cutoff + _TOLERANCE


def score_instrument(
    instrument: Instrument,
    answers: Sequence[int | None],
    *,
    bands: Sequence[Band] | None = None,
    cutoff: float | None = None,
    max_missing: int | None = None,
) -> Result:
    """Score answers against an Instrument object (see :func:`score`)."""
    code = instrument.code
    scores = item_scores(instrument, answers)
    missing = tuple(item.number for item, s in zip(instrument.items, scores, strict=True) if s is None)
    answered = [s for s in scores if s is not None]
    complete = not missing

    if max_missing is not None:
        if instrument.missing_rule != "prorate":
            raise ValueError(f"{code} does not prorate missing answers, so max_missing does not apply")
        if not 0 <= max_missing < len(instrument.items):
            raise ValueError(f"max_missing for {code} must be from 0 to {len(instrument.items) - 1}")
    allowed_missing = instrument.max_missing if max_missing is None else max_missing

    total: float | None
    prorated = False
    if complete:
        total = float(sum(answered))
    elif instrument.missing_rule == "prorate" and len(missing) <= allowed_missing:
        # CORE-10 "clinical score" = 10 x total / items answered (CamCOPS core10.py; domain.md A.2).
        total = len(instrument.items) * sum(answered) / len(answered)
        prorated = True
    else:
        total = None

    subscales: dict[str, float | None] = {}
    subscales_above: dict[str, bool | None] = {}
    for name, numbers in instrument.subscales.items():
        parts = [scores[n - 1] for n in numbers]
        value = None if any(p is None for p in parts) else float(sum(p for p in parts if p is not None))
        subscales[name] = value
        sub_cutoff = instrument.subscale_cutoffs.get(name)
        subscales_above[name] = (
            None
            if value is None or sub_cutoff is None
            else _crossed(value, sub_cutoff.value, instrument.higher_is_worse)
        )

    use_bands = instrument.bands if bands is None else tuple(bands)
    if bands is not None:
        validate_bands(use_bands, instrument.minimum, instrument.maximum, code)
    band = None if total is None else band_for(total, use_bands)

    use_cutoff = instrument.cutoff if cutoff is None else cutoff
    if cutoff is not None and not instrument.minimum <= cutoff <= instrument.maximum:
        raise ValueError(f"The cut-off for {code} must lie in {instrument.minimum:g} to {instrument.maximum:g}")
    above_cutoff = (
        None if total is None or use_cutoff is None else _crossed(total, use_cutoff, instrument.higher_is_worse)
    )

    return Result(
        total=total,
        subscales=MappingProxyType(subscales),
        band=None if band is None else band.label,
        alerts=_alerts(instrument, scores, total),
        complete=complete,
        above_cutoff=above_cutoff,
        band_uncertain=band is not None and band.uncertain,
        subscales_above_cutoff=MappingProxyType(subscales_above),
        item_scores=scores,
        missing_items=missing,
        prorated=prorated,
    )


def _alerts(instrument: Instrument, scores: Sequence[int | None], total: float | None) -> tuple[str, ...]:
    messages: list[str] = []
    for rule in instrument.risk_rules:
        if rule.item is not None:
            value = scores[rule.item - 1]
            if value is not None and rule.fires(value):
                messages.append(rule.message)
            continue
        # A risk on the total must never be missed because an answer is missing: with no total,
        # judge the lowest total the answers allow (answered scores plus the lowest score of
        # each missing item). If even that crosses the line, the full total would too.
        floor = (
            total
            if total is not None
            else sum(
                s if s is not None else item.lowest_score for s, item in zip(scores, instrument.items, strict=True)
            )
        )
        if rule.fires(floor):
            messages.append(rule.message)
    return tuple(messages)


def score(
    code: str,
    answers: Sequence[int | None],
    *,
    bands: Sequence[Band] | None = None,
    cutoff: float | None = None,
    max_missing: int | None = None,
) -> Result:
    """Score one completed questionnaire or rating.

    ``answers`` holds one answer per item in item order: for an option item the 0-based position
    of the option chosen as printed on the form (the engine applies reverse scoring); for a
    numeric item (PIR-GAS rating, GBO goal rating, ASQ:SE-2 total) the number itself; None for a
    missing answer. A wrong number of answers, or an answer out of range, raises ValueError
    naming the item.

    ``bands``, ``cutoff`` and ``max_missing`` override the instrument's file, for facts a service
    sets itself: ASQ:SE-2 cut-offs per age interval from its own kit, or an uncertain default
    (CORE-10 maximum missing items) it has checked against the manual.
    """
    return score_instrument(get(code), answers, bands=bands, cutoff=cutoff, max_missing=max_missing)


def reliable_change(code: str, before: float, after: float, *, threshold: float | None = None) -> str:
    """ "improved", "no reliable change" or "deteriorated" between two totals on one instrument.

    A change counts as reliable when its size is at least the threshold (|after - before| >=
    threshold): this is the NHS Talking Therapies convention ("a fall of 6 or more" on PHQ-9,
    "4 or more" on GAD-7; Manual v7.1, domain.md A.3), used here for every instrument. Thresholds
    are the published ones (EPDS 4, Matthey 2004; PHQ-9 6 and GAD-7 4, NHS Talking Therapies) or
    computed from SD and reliability by Jacobson & Truax (1991). For a computed threshold, whose
    strict rule is |RC| > 1.96, the two agree except for a change landing exactly on it.

    ``threshold`` overrides the instrument's value (a site setting, for a threshold marked
    uncertain such as the GBO's). ValueError when there is no threshold, or a score lies outside
    the instrument's range.
    """
    instrument = get(code)
    use = instrument.reliable_change_threshold if threshold is None else threshold
    if use is None:
        raise ValueError(f"{code} has no reliable-change threshold: a service must set one before change can be judged")
    if not use > 0:
        raise ValueError(f"The reliable-change threshold for {code} must be above 0")
    for label, value in (("before", before), ("after", after)):
        if not instrument.minimum <= value <= instrument.maximum:
            raise ValueError(
                f"The {label} score {value:g} is outside the {code} range "
                f"({instrument.minimum:g} to {instrument.maximum:g})"
            )
    change = after - before
    if abs(change) < use - _TOLERANCE:
        return NO_RELIABLE_CHANGE
    got_worse = change > 0 if instrument.higher_is_worse else change < 0
    return DETERIORATED if got_worse else IMPROVED
