"""Property tests (hypothesis) for every instrument: totals in range and equal to the sum of the
scored items, reverse scoring involutive, missing-item rules, risk alerts never missed, reliable
change symmetric, and licensed wording validated. Pure Python: no database."""

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.outcomes.instruments import Instrument, Item, all_instruments, get, with_wording
from attune.outcomes.scoring import DETERIORATED, IMPROVED, NO_RELIABLE_CHANGE, reliable_change, score

CODES = sorted(i.code for i in all_instruments())
PROPERTY = settings(max_examples=100, deadline=None)

Draw = Callable[..., object]


def answer_for(item: Item) -> st.SearchStrategy[int]:
    if item.numeric:
        assert item.minimum is not None
        assert item.maximum is not None
        return st.integers(item.minimum, item.maximum)
    return st.integers(0, len(item.options) - 1)


def complete_answers(instrument: Instrument) -> st.SearchStrategy[list[int]]:
    return st.tuples(*(answer_for(item) for item in instrument.items)).map(list)


def answers_with_gaps(instrument: Instrument) -> st.SearchStrategy[list[int | None]]:
    return st.tuples(*(st.one_of(st.none(), answer_for(item)) for item in instrument.items)).map(list)


def scores_of(instrument: Instrument, answers: list[int] | list[int | None]) -> list[int | None]:
    return [
        None if a is None else (a if item.numeric else item.score_for(a))
        for item, a in zip(instrument.items, answers, strict=True)
    ]


@pytest.mark.parametrize("code", CODES)
@PROPERTY
@given(data=st.data())
def test_complete_totals_are_in_range_and_the_sum_of_item_scores(code: str, data: st.DataObject) -> None:
    instrument = get(code)
    answers = data.draw(complete_answers(instrument))
    result = score(code, answers)
    item_scores = scores_of(instrument, answers)
    assert result.complete
    assert not result.prorated
    assert result.missing_items == ()
    assert result.total is not None
    assert instrument.minimum <= result.total <= instrument.maximum
    assert result.total == sum(s for s in item_scores if s is not None)
    assert list(result.item_scores) == item_scores
    for name, numbers in instrument.subscales.items():
        assert result.subscales[name] == sum(item_scores[n - 1] or 0 for n in numbers)
    if instrument.bands:
        assert result.band is not None
        band = next(b for b in instrument.bands if b.label == result.band)
        assert band.minimum <= result.total <= band.maximum
    else:
        assert result.band is None
    if instrument.cutoff is None:
        assert result.above_cutoff is None
    elif instrument.higher_is_worse:
        assert result.above_cutoff is (result.total >= instrument.cutoff)
    else:
        assert result.above_cutoff is (result.total <= instrument.cutoff)


@pytest.mark.parametrize("code", CODES)
def test_reverse_scoring_is_involutive(code: str) -> None:
    """Position -> score -> position -> score returns the same score, and the same position
    wherever scores are distinct. Reverse-scored items run in the opposite direction to the
    others (EPDS 3-2-1-0 against 0-1-2-3; PBQ positive items Always = 0 against Always = 5)."""
    directions: dict[bool, set[bool]] = {True: set(), False: set()}
    for item in get(code).items:
        if item.numeric:
            continue
        scores = [option.score for option in item.options]
        for position, option in enumerate(item.options):
            back = item.position_for(option.score)
            assert item.score_for(back) == option.score
            if scores.count(option.score) == 1:
                assert back == position
        # KPCS "Not applicable" sits after the ordered responses; compare the ordered ones only.
        ordered = scores[:4] if code == "KPCS" else scores
        assert len(set(ordered)) == len(ordered)
        assert ordered in (sorted(ordered), sorted(ordered, reverse=True))
        directions[item.reverse].add(ordered == sorted(ordered))
    assert all(len(d) <= 1 for d in directions.values())
    if directions[True] and directions[False]:
        assert directions[True] != directions[False]


@pytest.mark.parametrize("code", CODES)
@PROPERTY
@given(data=st.data())
def test_missing_answers_never_raise_and_follow_the_rule(code: str, data: st.DataObject) -> None:
    instrument = get(code)
    answers = data.draw(answers_with_gaps(instrument))
    result = score(code, answers)
    item_scores = scores_of(instrument, answers)
    missing = [n for n, s in enumerate(item_scores, start=1) if s is None]
    answered = [s for s in item_scores if s is not None]

    assert result.complete is (not missing)
    assert list(result.missing_items) == missing
    if instrument.missing_rule == "prorate":
        assert (result.total is None) is (len(missing) > instrument.max_missing)
        if result.total is not None:
            assert result.total == pytest.approx(len(instrument.items) * sum(answered) / len(answered))
            assert instrument.minimum <= result.total <= instrument.maximum
            assert result.prorated is bool(missing)
    else:
        assert (result.total is None) is bool(missing)
    if result.total is None:
        assert (result.band, result.above_cutoff) == (None, None)
    for name, numbers in instrument.subscales.items():
        assert (result.subscales[name] is None) is any(n in missing for n in numbers)


@pytest.mark.parametrize("code", [c for c in CODES if get(c).risk_rules])
@PROPERTY
@given(data=st.data())
def test_risk_alerts_fire_exactly_when_their_rule_says(code: str, data: st.DataObject) -> None:
    instrument = get(code)
    answers = data.draw(answers_with_gaps(instrument))
    result = score(code, answers)
    item_scores = scores_of(instrument, answers)
    for rule in instrument.risk_rules:
        if rule.item is None:
            continue
        value = item_scores[rule.item - 1]
        assert (rule.message in result.alerts) is (value is not None and value > rule.threshold)


@pytest.mark.parametrize("code", [c for c in CODES if any(r.item is None for r in get(c).risk_rules)])
@PROPERTY
@given(data=st.data())
def test_a_total_alert_with_missing_answers_is_never_withdrawn_by_completing_them(
    code: str, data: st.DataObject
) -> None:
    """Answers missing must never hide a risk: an alert raised on a partial form still stands
    however the gaps are filled, and a complete form alerts exactly at the threshold."""
    instrument = get(code)
    partial = data.draw(answers_with_gaps(instrument))
    filled = [
        a if a is not None else data.draw(answer_for(item)) for item, a in zip(instrument.items, partial, strict=True)
    ]
    partial_alerts = set(score(code, partial).alerts)
    full = score(code, filled)
    assert partial_alerts <= set(full.alerts)
    for rule in instrument.risk_rules:
        if rule.item is None:
            assert full.total is not None
            assert (rule.message in full.alerts) is rule.fires(full.total)


@pytest.mark.parametrize("code", CODES)
@PROPERTY
@given(data=st.data())
def test_an_out_of_range_answer_names_its_item(code: str, data: st.DataObject) -> None:
    instrument = get(code)
    answers: list[int | None] = list(data.draw(complete_answers(instrument)))
    number = data.draw(st.integers(1, len(instrument.items)))
    item = instrument.item(number)
    if item.numeric:
        assert item.minimum is not None
        assert item.maximum is not None
        bad = data.draw(st.one_of(st.integers(max_value=item.minimum - 1), st.integers(min_value=item.maximum + 1)))
    else:
        bad = data.draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=len(item.options))))
    answers[number - 1] = bad
    with pytest.raises(ValueError, match=rf"^Item {number} of {code}: {bad} is "):
        score(code, answers)


@pytest.mark.parametrize("code", CODES)
@PROPERTY
@given(extra=st.integers(1, 3), short=st.booleans())
def test_the_wrong_number_of_answers_is_refused(code: str, extra: int, short: bool) -> None:
    count = len(get(code).items)
    given_count = max(0, count - extra) if short else count + extra
    with pytest.raises(ValueError, match=f"^{code} has {count} items but {given_count} answers were given$"):
        score(code, [None] * given_count)


@pytest.mark.parametrize("code", [c for c in CODES if get(c).reliable_change_threshold is not None])
@PROPERTY
@given(data=st.data())
def test_reliable_change_is_symmetric_and_honours_threshold_and_direction(code: str, data: st.DataObject) -> None:
    instrument = get(code)
    values = st.floats(instrument.minimum, instrument.maximum, allow_nan=False)
    before, after = data.draw(values), data.draw(values)
    forward, backward = reliable_change(code, before, after), reliable_change(code, after, before)
    threshold = instrument.reliable_change_threshold
    assert threshold is not None
    opposite = {IMPROVED: DETERIORATED, DETERIORATED: IMPROVED, NO_RELIABLE_CHANGE: NO_RELIABLE_CHANGE}
    assert backward == opposite[forward]
    if abs(after - before) < threshold - 1e-6:
        assert forward == NO_RELIABLE_CHANGE
    elif abs(after - before) >= threshold + 1e-6:
        went_up = after > before
        assert forward == (DETERIORATED if went_up == instrument.higher_is_worse else IMPROVED)


@pytest.mark.parametrize("code", CODES)
@PROPERTY
@given(data=st.data())
def test_with_wording_keeps_scores_and_validates(code: str, data: st.DataObject) -> None:
    instrument = get(code)
    stem = data.draw(
        st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=30).filter(str.strip)
    )
    wording = {item.number: f"{stem} {item.number}" for item in instrument.items}
    labels = {
        item.number: [f"{stem} {item.number}.{p}" for p in range(len(item.options))]
        for item in instrument.items
        if not item.numeric
    }
    worded = with_wording(instrument, wording, labels)
    assert [i.text for i in worded.items] == [wording[i.number] for i in instrument.items]
    assert [[o.score for o in i.options] for i in worded.items] == [
        [o.score for o in i.options] for i in instrument.items
    ]

    answers = data.draw(complete_answers(instrument))
    assert score(code, answers).total == sum(s or 0 for s in scores_of(worded, answers))

    dropped = data.draw(st.sampled_from(sorted(wording)))
    with pytest.raises(ValueError, match=f"missing item {dropped}"):
        with_wording(instrument, {n: t for n, t in wording.items() if n != dropped})
    if labels:
        number = data.draw(st.sampled_from(sorted(labels)))
        wrong = labels[number] + ["one too many"]
        with pytest.raises(ValueError, match=f"Item {number} of {code} has"):
            with_wording(instrument, wording, {number: wrong})
