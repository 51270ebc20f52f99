"""Medians and percentiles for reports (waits, lengths of episode). No Django here.

Percentiles interpolate linearly between the closest ranks: the value at rank 1 + (n - 1) * p
of the sorted values. This is Hyndman and Fan's definition 7, numpy's default ("linear") and
what `statistics.quantiles(method="inclusive")` returns at its cut points, and what Excel's
PERCENTILE.INC gives, so a commissioner who checks a figure in a spreadsheet gets the same
answer. It never goes outside the values seen (the "exclusive" method can), and the 90th
percentile of 1 to 10 is 9.1. `statistics.quantiles` itself only gives evenly spaced cut points,
so the interpolation is written out here.
https://docs.python.org/3/library/statistics.html#statistics.quantiles
"""

from collections.abc import Iterable


def median(values: Iterable[float]) -> float | None:
    """The middle value (the mean of the middle two for an even count); None for no values."""
    return percentile(values, 50)


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (p from 0 to 100) by linear interpolation; None for no values."""
    if not 0 <= p <= 100:
        raise ValueError("A percentile is from 0 to 100")
    ordered = sorted(float(value) for value in values)
    if not ordered:
        return None
    # p / 100 first, as PostgreSQL's percentile_cont multiplies (n - 1) by the fraction: the same
    # float, so the reports' SQL path and this one agree to the last digit.
    position = (len(ordered) - 1) * (p / 100)
    below = int(position)
    if below + 1 >= len(ordered):
        return ordered[-1]
    a, b = ordered[below], ordered[below + 1]
    # a + (b - a) * f rather than a * (1 - f) + b * f: exact when a == b, so a percentile of
    # equal values is that value; the clamp keeps float rounding from stepping past b.
    return min(max(a + (b - a) * (position - below), a), b)
