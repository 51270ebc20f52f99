"""The scoring engine at the edges: cut-offs, bands, reverse scoring, risk alerts, missing answers,
bad input and reliable change, instrument by instrument. Pure Python: no database."""

import math

import pytest

from attune.outcomes.instruments import Band, get, jacobson_truax_threshold
from attune.outcomes.scoring import DETERIORATED, IMPROVED, NO_RELIABLE_CHANGE, reliable_change, score


def answers_for_total(code: str, total: int, *, spare: tuple[int, ...] | None = None) -> list[int | None]:
    """Answers (printed positions) whose item scores add up to ``total``.

    Items named in ``spare`` (by default the instrument's risk items) are filled last, so a
    modest total raises no item risk alert.
    """
    instrument = get(code)
    if spare is None:
        spare = tuple(rule.item for rule in instrument.risk_rules if rule.item is not None)
    order = [item for item in instrument.items if item.number not in spare] + [
        item for item in instrument.items if item.number in spare
    ]
    answers: list[int | None] = [None] * len(instrument.items)
    remaining = total - sum(item.lowest_score for item in instrument.items)
    for item in order:
        extra = min(item.highest_score - item.lowest_score, remaining)
        value = item.lowest_score + extra
        answers[item.number - 1] = value if item.numeric else item.position_for(value)
        remaining -= extra
    assert remaining == 0, f"{code} cannot reach {total}"
    return answers


def with_item(code: str, number: int, item_score: int, total_elsewhere: int = 0) -> list[int | None]:
    """Answers where item ``number`` scores ``item_score`` and the others add up to ``total_elsewhere``."""
    instrument = get(code)
    answers = answers_for_total(code, int(instrument.minimum) + total_elsewhere, spare=(number,))
    item = instrument.item(number)
    assert answers[number - 1] == item.position_for(item.lowest_score)
    answers[number - 1] = item.position_for(item_score)
    return answers


# ---------------------------------------------------------------- EPDS


@pytest.mark.parametrize(
    ("total", "band", "above"),
    [
        (0, "Below the threshold for possible depression", False),
        (9, "Below the threshold for possible depression", False),
        (10, "Possible depression", False),
        (12, "Possible depression", False),
        (13, "Likely depression", True),
        (30, "Likely depression", True),
    ],
)
def test_epds_bands_and_cutoff_of_13(total: int, band: str, above: bool) -> None:
    result = score("EPDS", answers_for_total("EPDS", total, spare=()))
    assert (result.total, result.band, result.above_cutoff, result.complete) == (total, band, above, True)


def test_epds_service_may_use_the_more_sensitive_cutoff_of_10() -> None:
    assert score("EPDS", answers_for_total("EPDS", 10), cutoff=10).above_cutoff is True
    assert score("EPDS", answers_for_total("EPDS", 9), cutoff=10).above_cutoff is False


def test_epds_reverse_scored_item_3_first_position_scores_3() -> None:
    answers: list[int | None] = [0] * 10
    result = score("EPDS", answers)
    # Items 1, 2, 4 score 0 at position 0; items 3, 5-10 score 3.
    assert result.item_scores == (0, 0, 3, 0, 3, 3, 3, 3, 3, 3)
    assert result.total == 21


@pytest.mark.parametrize("number", [3, 5, 6, 7, 8, 9, 10])
def test_epds_reverse_items_score_3_2_1_0(number: int) -> None:
    item = get("EPDS").item(number)
    assert item.reverse
    assert [item.score_for(p) for p in range(4)] == [3, 2, 1, 0]


@pytest.mark.parametrize("number", [1, 2, 4])
def test_epds_forward_items_score_0_1_2_3(number: int) -> None:
    item = get("EPDS").item(number)
    assert not item.reverse
    assert [item.score_for(p) for p in range(4)] == [0, 1, 2, 3]


def test_epds_anxiety_subscale_is_items_3_4_5_without_cutoff() -> None:
    answers = answers_for_total("EPDS", 0)
    answers[3] = 2  # item 4 position 2 scores 2
    result = score("EPDS", answers)
    assert result.subscales == {"Anxiety (EPDS-3A)": 2}
    assert result.subscales_above_cutoff == {"Anxiety (EPDS-3A)": None}


@pytest.mark.parametrize(("position", "fires"), [(0, True), (1, True), (2, True), (3, False)])
def test_epds_item_10_alert_fires_on_any_score_above_0(position: int, fires: bool) -> None:
    answers = answers_for_total("EPDS", 0)
    answers[9] = position  # reverse scored: position 3 scores 0
    alerts = score("EPDS", answers).alerts
    assert alerts == (("EPDS item 10 (thoughts of self-harm) scored above 0: assess risk today.",) if fires else ())


def test_epds_item_10_alert_fires_even_with_other_answers_missing() -> None:
    answers: list[int | None] = [None] * 9 + [0]
    result = score("EPDS", answers)
    assert result.total is None
    assert len(result.alerts) == 1


def test_epds_any_missing_item_means_no_total() -> None:
    answers = answers_for_total("EPDS", 20)
    answers[4] = None
    result = score("EPDS", answers)
    assert (result.total, result.band, result.above_cutoff, result.complete) == (None, None, None, False)
    assert result.missing_items == (5,)
    assert result.subscales == {"Anxiety (EPDS-3A)": None}


# ---------------------------------------------------------------- PHQ-9


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "None to minimal"),
        (4, "None to minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_bands(total: int, band: str) -> None:
    assert score("PHQ9", answers_for_total("PHQ9", total, spare=())).band == band


@pytest.mark.parametrize(("total", "above"), [(9, False), (10, True)])
def test_phq9_caseness_at_10(total: int, above: bool) -> None:
    assert score("PHQ9", answers_for_total("PHQ9", total)).above_cutoff is above


@pytest.mark.parametrize(("item_score", "fires"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item_9_alert(item_score: int, fires: bool) -> None:
    alerts = score("PHQ9", with_item("PHQ9", 9, item_score)).alerts
    assert bool(alerts) is fires
    if fires:
        assert alerts[0].startswith("PHQ-9 item 9")


# ---------------------------------------------------------------- GAD-7


@pytest.mark.parametrize(
    ("total", "band", "above"),
    [
        (4, "Minimal", False),
        (5, "Mild", False),
        (7, "Mild", False),
        (8, "Mild", True),
        (9, "Mild", True),
        (10, "Moderate", True),
        (14, "Moderate", True),
        (15, "Severe", True),
        (21, "Severe", True),
    ],
)
def test_gad7_bands_and_caseness_at_8(total: int, band: str, above: bool) -> None:
    result = score("GAD7", answers_for_total("GAD7", total))
    assert (result.band, result.above_cutoff) == (band, above)


def test_gad7_has_no_risk_item() -> None:
    assert score("GAD7", answers_for_total("GAD7", 21)).alerts == ()


# ---------------------------------------------------------------- CORE-10


@pytest.mark.parametrize(
    ("total", "band", "above"),
    [
        (5, "Healthy", False),
        (6, "Low level", False),
        (10, "Low level", False),
        (11, "Mild", True),
        (14, "Mild", True),
        (15, "Moderate", True),
        (19, "Moderate", True),
        (20, "Moderate to severe", True),
        (24, "Moderate to severe", True),
        (25, "Severe", True),
        (40, "Severe", True),
    ],
)
def test_core10_bands_and_cutoff_of_11(total: int, band: str, above: bool) -> None:
    result = score("CORE10", answers_for_total("CORE10", total, spare=()))
    assert (result.total, result.band, result.above_cutoff) == (total, band, above)
    assert result.band_uncertain  # Barkham's bands are from secondary sources only


@pytest.mark.parametrize("number", [2, 3])
def test_core10_items_2_and_3_are_reverse_scored(number: int) -> None:
    item = get("CORE10").item(number)
    assert item.options[0].label == "Not at all"
    assert [item.score_for(p) for p in range(5)] == [4, 3, 2, 1, 0]


def test_core10_other_items_score_not_at_all_as_0() -> None:
    for item in get("CORE10").items:
        if item.number not in (2, 3):
            assert [item.score_for(p) for p in range(5)] == [0, 1, 2, 3, 4]


def test_core10_prorates_one_missing_item() -> None:
    answers = answers_for_total("CORE10", 9)
    answers[answers.index(next(a for a in answers if a is not None))] = None
    result = score("CORE10", answers)
    answered = [s for s in result.item_scores if s is not None]
    assert result.prorated
    assert not result.complete
    assert result.total == pytest.approx(10 * sum(answered) / 9)


def positions(code: str, item_scores: list[int | None]) -> list[int | None]:
    """The printed positions that give these item scores (None stays missing)."""
    items = get(code).items
    return [None if s is None else item.position_for(s) for item, s in zip(items, item_scores, strict=True)]


def test_core10_prorated_score_of_exactly_10_is_below_the_cutoff() -> None:
    result = score("CORE10", positions("CORE10", [1, 1, 1, 1, 1, 0, 1, 1, 2, None]))
    assert result.total == pytest.approx(10.0)
    assert (result.band, result.above_cutoff) == ("Low level", False)


def test_core10_prorated_score_between_bands_takes_the_band_it_has_reached() -> None:
    # 9 answered adding to 10 -> 11.1: above the cut-off, in "Mild".
    result = score("CORE10", positions("CORE10", [2, 1, 1, 1, 1, 0, 1, 1, 2, None]))
    assert result.total == pytest.approx(100 / 9)
    assert (result.band, result.above_cutoff) == ("Mild", True)
    # 9 answered adding to 13 -> 14.4: between Mild (11-14) and Moderate (15-19), so Mild.
    result = score("CORE10", positions("CORE10", [3, 1, 1, 1, 1, 0, 2, 2, 2, None]))
    assert result.total == pytest.approx(130 / 9)
    assert result.band == "Mild"


def test_core10_two_missing_items_means_no_total_by_default() -> None:
    answers = answers_for_total("CORE10", 20)
    answers[0] = answers[1] = None
    result = score("CORE10", answers)
    assert result.total is None
    assert not result.prorated


def test_core10_maximum_missing_is_configurable() -> None:
    answers = answers_for_total("CORE10", 16)
    answers[0] = answers[1] = None
    result = score("CORE10", answers, max_missing=2)
    answered = [s for s in result.item_scores if s is not None]
    assert result.total == pytest.approx(10 * sum(answered) / 8)
    answers = answers_for_total("CORE10", 16)
    answers[0] = None
    assert score("CORE10", answers, max_missing=0).total is None


def test_core10_default_maximum_missing_is_marked_uncertain() -> None:
    instrument = get("CORE10")
    assert (instrument.missing_rule, instrument.max_missing, instrument.max_missing_uncertain) == ("prorate", 1, True)


def test_max_missing_is_refused_for_an_instrument_that_does_not_prorate() -> None:
    with pytest.raises(ValueError, match="EPDS does not prorate"):
        score("EPDS", answers_for_total("EPDS", 3), max_missing=1)


@pytest.mark.parametrize(("item_score", "fires"), [(0, False), (1, True), (4, True)])
def test_core10_item_6_alert(item_score: int, fires: bool) -> None:
    alerts = score("CORE10", with_item("CORE10", 6, item_score, total_elsewhere=8)).alerts
    assert alerts == (
        ("CORE-10 item 6 (made plans to end my life) scored above 0: assess risk today.",) if fires else ()
    )


# ---------------------------------------------------------------- PBQ

PBQ_SUBSCALE_EDGES = [
    ("Impaired bonding", 11, 12),
    ("Rejection and anger", 12, 13),
    ("Infant-focused anxiety", 9, 10),
    ("Risk of abuse", 1, 2),
]


def pbq_with_subscale(name: str, value: int) -> list[int | None]:
    """All items at 0 except the named subscale's, which add up to ``value``."""
    instrument = get("PBQ")
    answers: list[int | None] = [item.position_for(0) for item in instrument.items]
    remaining = value
    for number in instrument.subscales[name]:
        item = instrument.item(number)
        part = min(5, remaining)
        answers[number - 1] = item.position_for(part)
        remaining -= part
    assert remaining == 0
    return answers


@pytest.mark.parametrize(("name", "below", "at"), PBQ_SUBSCALE_EDGES)
def test_pbq_subscale_cutoffs(name: str, below: int, at: int) -> None:
    low = score("PBQ", pbq_with_subscale(name, below))
    high = score("PBQ", pbq_with_subscale(name, at))
    assert (low.subscales[name], low.subscales_above_cutoff[name]) == (below, False)
    assert (high.subscales[name], high.subscales_above_cutoff[name]) == (at, True)
    assert high.total == at


def test_pbq_positive_items_score_always_as_0_and_others_always_as_5() -> None:
    instrument = get("PBQ")
    for item in instrument.items:
        assert item.options[0].label == "Always"
        expected = 0 if item.number in (1, 4, 8, 9, 11, 16, 22, 25) else 5
        assert item.score_for(0) == expected
        assert item.reverse is (expected == 0)


def test_pbq_has_no_total_cutoff_or_bands() -> None:
    result = score("PBQ", [0] * 25)
    assert result.total is not None
    assert (result.band, result.above_cutoff) == (None, None)


def test_pbq_missing_item_blanks_only_its_own_subscale_and_the_total() -> None:
    answers = pbq_with_subscale("Impaired bonding", 12)
    answers[19] = None  # item 20: infant-focused anxiety
    result = score("PBQ", answers)
    assert result.total is None
    assert result.subscales["Infant-focused anxiety"] is None
    assert result.subscales_above_cutoff["Infant-focused anxiety"] is None
    assert result.subscales["Impaired bonding"] == 12
    assert result.subscales_above_cutoff["Impaired bonding"] is True


@pytest.mark.parametrize("number", [18, 24])
@pytest.mark.parametrize(("item_score", "fires"), [(0, False), (1, True), (5, True)])
def test_pbq_items_18_and_24_alert_on_any_score_above_0(number: int, item_score: int, fires: bool) -> None:
    answers = [item.position_for(0) for item in get("PBQ").items]
    answers[number - 1] = get("PBQ").item(number).position_for(item_score)
    alerts = score("PBQ", answers).alerts
    assert len(alerts) == (1 if fires else 0)
    if fires:
        assert alerts[0].startswith(f"PBQ item {number} ")


def test_pbq_risk_rules_are_marked_as_our_design_rule() -> None:
    rules = get("PBQ").risk_rules
    assert [r.item for r in rules] == [18, 24]
    assert all(r.local_rule and r.uncertain for r in rules)


# ---------------------------------------------------------------- KPCS


@pytest.mark.parametrize(
    ("total", "band", "above"),
    [
        (0, "Low parenting confidence", True),
        (39, "Low parenting confidence", True),
        (40, "Not in the low-confidence range", False),
        (45, "Not in the low-confidence range", False),
    ],
)
def test_kpcs_cutoff_is_39_or_less(total: int, band: str, above: bool) -> None:
    result = score("KPCS", answers_for_total("KPCS", total))
    assert (result.total, result.band, result.above_cutoff) == (total, band, above)


@pytest.mark.parametrize("number", [1, 9])
def test_kpcs_not_applicable_on_items_1_and_9_scores_2(number: int) -> None:
    item = get("KPCS").item(number)
    assert item.options[-1] == type(item.options[-1])(label="Not applicable", score=2)
    answers = answers_for_total("KPCS", 0)
    answers[number - 1] = 4
    assert score("KPCS", answers).total == 2


def test_kpcs_not_applicable_is_not_offered_on_other_items() -> None:
    answers = answers_for_total("KPCS", 0)
    answers[1] = 4
    with pytest.raises(ValueError, match=r"^Item 2 of KPCS: 4 is not one of the 4 options \(0 to 3\)$"):
        score("KPCS", answers)


def test_kpcs_first_option_always_scores_0() -> None:
    assert all(item.score_for(0) == 0 for item in get("KPCS").items)


# ---------------------------------------------------------------- ADBB


@pytest.mark.parametrize(("total", "above"), [(0, False), (4, False), (5, True), (32, True)])
def test_adbb_withdrawal_at_5_and_its_alert(total: int, above: bool) -> None:
    result = score("ADBB", answers_for_total("ADBB", total))
    assert result.above_cutoff is above
    expected = ("ADBB total of 5 or more: the baby shows signs of social withdrawal — review clinically.",)
    assert result.alerts == (expected if above else ())
    assert result.band == ("Signs of social withdrawal" if above else "Below the withdrawal cut-off")


def test_adbb_alert_is_not_missed_when_an_item_is_missing() -> None:
    answers: list[int | None] = [2, 3, None, 0, 0, 0, 0, 0]
    result = score("ADBB", answers)
    assert result.total is None
    assert len(result.alerts) == 1


def test_adbb_partial_total_below_5_raises_no_alert() -> None:
    answers: list[int | None] = [2, 2, None, 0, 0, 0, 0, 0]
    assert score("ADBB", answers).alerts == ()


def test_adbb_items_are_the_eight_observed_behaviours() -> None:
    assert [item.text for item in get("ADBB").items] == [
        "Facial expression",
        "Eye contact",
        "Activity",
        "Self-stimulating gestures",
        "Vocalisation",
        "Briskness of response to stimulation",
        "Relationship",
        "Attractiveness",
    ]


# ---------------------------------------------------------------- GBO


@pytest.mark.parametrize("rating", [0, 5, 10])
def test_gbo_scores_one_goal_rating(rating: int) -> None:
    result = score("GBO", [rating])
    assert (result.total, result.band, result.above_cutoff, result.alerts) == (rating, None, None, ())


def test_gbo_rating_above_10_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^Item 1 of GBO: 11 is outside 0 to 10$"):
        score("GBO", [11])


# ---------------------------------------------------------------- PIR-GAS


@pytest.mark.parametrize(
    ("rating", "band", "uncertain"),
    [
        (1, "Documented maltreatment", True),
        (10, "Documented maltreatment", True),
        (11, "Grossly impaired", True),
        (40, "Disordered", True),
        (41, "Disturbed", True),
        (60, "Distressed", True),
        (61, "Significantly perturbed", False),
        (70, "Significantly perturbed", False),
        (71, "Perturbed", False),
        (80, "Perturbed", False),
        (81, "Adapted", False),
        (90, "Adapted", False),
        (91, "Well adapted", False),
        (100, "Well adapted", False),
    ],
)
def test_pirgas_band_edges(rating: int, band: str, uncertain: bool) -> None:
    result = score("PIRGAS", [rating])
    assert (result.total, result.band, result.band_uncertain) == (rating, band, uncertain)


@pytest.mark.parametrize(("rating", "above"), [(40, True), (41, False)])
def test_pirgas_disordered_cutoff_is_at_or_below(rating: int, above: bool) -> None:
    assert score("PIRGAS", [rating]).above_cutoff is above
    assert get("PIRGAS").cutoff_uncertain


@pytest.mark.parametrize("rating", [0, 101])
def test_pirgas_rating_outside_1_to_100_is_refused(rating: int) -> None:
    with pytest.raises(ValueError, match=rf"^Item 1 of PIRGAS: {rating} is outside 1 to 100$"):
        score("PIRGAS", [rating])


# ---------------------------------------------------------------- ASQ:SE-2


def test_asqse2_has_no_bands_until_the_service_loads_them() -> None:
    result = score("ASQSE2", [85])
    assert (result.total, result.band, result.above_cutoff) == (85, None, None)


def test_asqse2_with_service_bands_and_cutoff() -> None:
    # Made-up interval bands: the real ones come from each service's licensed kit.
    bands = [Band(0, 49, "Below the cut-off"), Band(50, 64, "Monitoring zone"), Band(65, 600, "Above the cut-off")]
    assert score("ASQSE2", [64], bands=bands, cutoff=65).band == "Monitoring zone"
    assert score("ASQSE2", [64], bands=bands, cutoff=65).above_cutoff is False
    assert score("ASQSE2", [65], bands=bands, cutoff=65).band == "Above the cut-off"
    assert score("ASQSE2", [65], bands=bands, cutoff=65).above_cutoff is True


def test_service_bands_that_overlap_are_refused() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        score("ASQSE2", [10], bands=[Band(0, 50, "A"), Band(40, 600, "B")])


def test_service_cutoff_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match="cut-off for ASQSE2"):
        score("ASQSE2", [10], cutoff=700)


def test_a_total_beyond_the_service_bands_has_no_band() -> None:
    assert score("ASQSE2", [300], bands=[Band(0, 49, "Low"), Band(50, 99, "High")]).band is None


# ---------------------------------------------------------------- bad input


def test_wrong_number_of_answers_names_the_instrument_and_counts() -> None:
    with pytest.raises(ValueError, match=r"^EPDS has 10 items but 9 answers were given$"):
        score("EPDS", [0] * 9)


def test_option_out_of_range_names_the_item() -> None:
    answers: list[int | None] = [0] * 10
    answers[2] = 4
    with pytest.raises(ValueError, match=r"^Item 3 of EPDS: 4 is not one of the 4 options \(0 to 3\)$"):
        score("EPDS", answers)


def test_negative_position_names_the_item() -> None:
    answers: list[int | None] = [0] * 9
    answers[8] = -1
    with pytest.raises(ValueError, match=r"^Item 9 of PHQ9: -1 is not one of the 4 options \(0 to 3\)$"):
        score("PHQ9", answers)


@pytest.mark.parametrize("bad", [True, 1.0, "1"])
def test_an_answer_that_is_not_a_whole_number_names_the_item(bad: object) -> None:
    answers: list[object] = [0] * 7
    answers[1] = bad
    with pytest.raises(ValueError, match=r"^Item 2 of GAD7: .* is not a whole number$"):
        score("GAD7", answers)  # type: ignore[arg-type]


def test_unknown_instrument_code_is_a_key_error_listing_known_codes() -> None:
    with pytest.raises(KeyError, match=r"No outcome measure has the code 'HADS'\. Known codes: ADBB, ASQSE2"):
        score("HADS", [0])


def test_a_string_is_not_a_list_of_answers() -> None:
    with pytest.raises(ValueError, match="one answer per item"):
        score("GBO", "5")  # type: ignore[arg-type]


def test_no_answers_at_all_is_incomplete_and_unscored() -> None:
    result = score("PHQ9", [None] * 9)
    assert (result.total, result.band, result.alerts, result.complete, result.above_cutoff) == (
        None,
        None,
        (),
        False,
        None,
    )


# ---------------------------------------------------------------- reliable change


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (15, 11, IMPROVED),  # exactly the threshold of 4 counts
        (15, 12, NO_RELIABLE_CHANGE),
        (15, 15, NO_RELIABLE_CHANGE),
        (11, 15, DETERIORATED),
        (12, 15, NO_RELIABLE_CHANGE),
        (30, 0, IMPROVED),
    ],
)
def test_epds_reliable_change_of_4_points_higher_is_worse(before: float, after: float, expected: str) -> None:
    assert reliable_change("EPDS", before, after) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"), [(16, 10, IMPROVED), (16, 11, NO_RELIABLE_CHANGE), (10, 16, DETERIORATED)]
)
def test_phq9_reliable_change_of_6_points(before: float, after: float, expected: str) -> None:
    assert reliable_change("PHQ9", before, after) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"), [(12, 8, IMPROVED), (12, 9, NO_RELIABLE_CHANGE), (8, 12, DETERIORATED)]
)
def test_gad7_reliable_change_of_4_points(before: float, after: float, expected: str) -> None:
    assert reliable_change("GAD7", before, after) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (3, 6, IMPROVED),
        (3, 5, NO_RELIABLE_CHANGE),
        (6, 3, DETERIORATED),
        (2, 4.45, IMPROVED),  # exactly 2.45
        (4.45, 2, DETERIORATED),
    ],
)
def test_gbo_reliable_change_higher_is_better(before: float, after: float, expected: str) -> None:
    assert reliable_change("GBO", before, after) == expected


def test_gbo_threshold_is_uncertain_and_a_site_may_set_its_own() -> None:
    assert get("GBO").reliable_change_uncertain
    assert reliable_change("GBO", 3, 5, threshold=2) == IMPROVED


@pytest.mark.parametrize(
    ("before", "after", "expected"), [(30, 40, IMPROVED), (40, 30, DETERIORATED), (35, 39, NO_RELIABLE_CHANGE)]
)
def test_kpcs_reliable_change_higher_is_better_with_a_site_threshold(
    before: float, after: float, expected: str
) -> None:
    assert reliable_change("KPCS", before, after, threshold=5) == expected


@pytest.mark.parametrize("code", ["KPCS", "PBQ", "ADBB", "PIRGAS", "ASQSE2"])
def test_reliable_change_without_a_threshold_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match=f"^{code} has no reliable-change threshold"):
        reliable_change(code, 10, 20)


def test_reliable_change_refuses_scores_outside_the_range() -> None:
    with pytest.raises(ValueError, match="after score 31 is outside the EPDS range"):
        reliable_change("EPDS", 10, 31)


def test_reliable_change_on_prorated_core10_scores() -> None:
    assert reliable_change("CORE10", 100 / 9, 100 / 9 + 6) == DETERIORATED
    assert reliable_change("CORE10", 20, 14.000000001) == IMPROVED


def test_jacobson_truax_threshold() -> None:
    # 1.96 x 7.7 x sqrt(2 x (1 - .90)) for CORE-10 primary-care norms (domain.md A.2).
    assert jacobson_truax_threshold(7.7, 0.90) == pytest.approx(1.96 * 7.7 * math.sqrt(0.2))
    assert jacobson_truax_threshold(7.7, 0.90) == pytest.approx(6.749, abs=0.001)


@pytest.mark.parametrize(("sd", "reliability"), [(5, 1.0), (5, 1.2), (5, -0.1), (0, 0.8), (-1, 0.8)])
def test_jacobson_truax_refuses_impossible_inputs(sd: float, reliability: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        jacobson_truax_threshold(sd, reliability)
