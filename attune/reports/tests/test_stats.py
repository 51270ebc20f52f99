"""Medians and percentiles (pure: no database)."""

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attune.reports.stats import median, percentile


def test_nothing_has_no_median_or_percentile() -> None:
    assert median([]) is None
    assert percentile([], 90) is None


def test_one_value_is_every_percentile() -> None:
    assert median([7]) == 7
    assert percentile([7], 0) == percentile([7], 90) == percentile([7], 100) == 7


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert median([4, 1, 3, 2]) == 2.5
    assert median([5, 1, 3]) == 3


def test_the_90th_percentile_of_1_to_10_is_9_1() -> None:
    # Linear interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC).
    assert percentile(range(1, 11), 90) == pytest.approx(9.1)
    assert percentile(range(1, 11), 0) == 1
    assert percentile(range(1, 11), 100) == 10
    assert percentile([10, 20], 25) == 12.5


def test_percentiles_agree_with_the_standard_library_inclusive_method() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    assert [percentile(values, p) for p in (25, 50, 75)] == pytest.approx(quartiles)


def test_a_percentile_outside_0_to_100_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        percentile([1, 2], 101)


numbers = st.lists(st.integers(0, 400) | st.floats(0, 1000, allow_nan=False), min_size=1, max_size=40)
ps = st.floats(0, 100, allow_nan=False)


@given(values=numbers, p=ps)
def test_a_percentile_lies_between_the_smallest_and_largest(values: list[float], p: float) -> None:
    result = percentile(values, p)
    assert result is not None
    assert min(values) <= result <= max(values)


@given(values=numbers, p=ps, q=ps)
def test_percentiles_never_fall_as_p_rises(values: list[float], p: float, q: float) -> None:
    low, high = sorted((p, q))
    assert percentile(values, low) <= percentile(values, high)  # type: ignore[operator]


@given(values=numbers)
def test_the_median_matches_the_standard_library(values: list[float]) -> None:
    assert median(values) == pytest.approx(statistics.median(values))
