"""The arithmetic of `make load` (management command load_pages): what each page costs under load.
No Django here, and no network: the command times requests and hands the samples to these.

A closed run (`clients` threads, each sending its next request as soon as the last came back)
shows what each page costs at that concurrency; its table gives each page's p50, p95 and p99,
its errors, and its p95 as a ratio to the trivial signed-in page's in the same run (so a slower
machine or a busier moment moves both). An open run sends requests on a fixed schedule (`rate`
a second) whatever the answers do: its throughput is what was answered within the schedule, and its
backlog is how many requests were due and not yet answered, which grows without limit once the
rate is more than the server can do.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from attune.reports.stats import percentile


@dataclass(frozen=True)
class Sample:
    """One request: which page, how long it took (seconds), whether it failed."""

    page: str
    seconds: float
    error: bool = False
    late: float = 0.0  # open runs: sent this long after it was due
    answered_at: float = 0.0  # open runs: answered this long after the start of the schedule


@dataclass(frozen=True)
class PageRow:
    page: str
    requests: int
    errors: int
    p50: float | None
    p95: float | None
    p99: float | None
    ratio: float | None  # this page's p95 over the trivial page's


def summarise(samples: Iterable[Sample], pages: Sequence[str], trivial: str) -> list[PageRow]:
    """One row a page, in the order given; a page with no answered request has no percentiles.
    Failed requests count as errors and stay out of the percentiles."""
    by_page: dict[str, list[Sample]] = {page: [] for page in pages}
    for sample in samples:
        by_page.setdefault(sample.page, []).append(sample)
    rows = []
    for page, taken in by_page.items():
        times = [s.seconds for s in taken if not s.error]
        rows.append(
            PageRow(
                page=page,
                requests=len(taken),
                errors=sum(1 for s in taken if s.error),
                p50=percentile(times, 50),
                p95=percentile(times, 95),
                p99=percentile(times, 99),
                ratio=None,
            )
        )
    base = next((row.p95 for row in rows if row.page == trivial), None)
    return [replace(row, ratio=row.p95 / base if base and row.p95 is not None else None) for row in rows]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f}"


def table(title: str, rows: Sequence[PageRow], trivial: str) -> list[str]:
    """The rows as fixed-width lines, milliseconds, under a title."""
    width = max([len("Page"), *(len(row.page) for row in rows)])
    lines = [
        title,
        f"{'Page':<{width}} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'p95 ratio':>9}",
    ]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.1f}x"
        lines.append(
            f"{row.page:<{width}} {row.requests:>8} {row.errors:>6} {_ms(row.p50):>7} {_ms(row.p95):>7} "
            f"{_ms(row.p99):>7} {ratio:>9}"
        )
    lines.append(f"p95 ratio: each page's p95 over the p95 of {trivial!r} in the same run.")
    return lines


def schedule(rate: float, seconds: float) -> list[float]:
    """When each request of an open run is due, in seconds from its start: evenly spaced at
    `rate` a second, the last before `seconds`."""
    if rate <= 0 or seconds <= 0:
        return []
    count = int(rate * seconds - 1e-9) + 1
    return [i / rate for i in range(count) if i / rate < seconds]


def outstanding(due: Sequence[float], answered_at: Sequence[float], at: float) -> int:
    """The backlog at time `at` of an open run: requests due by then, less those answered by then."""
    return sum(1 for d in due if d <= at) - sum(1 for a in answered_at if a <= at)


@dataclass(frozen=True)
class Sustained:
    target_rate: float
    seconds: float  # the length of the schedule
    scheduled: int
    sent: int
    errors: int
    throughput: float  # answered without error a second, within the schedule
    backlog_half: int  # due but not yet answered, half way through the schedule
    backlog_end: int  # due but not yet answered, at the end of the schedule
    drain: float  # seconds after the end of the schedule until the last answer
    late_p95: float | None  # how late requests were sent (a busy client pool), 95th percentile
    unsent: int  # due within the schedule but never sent before it ended


def sustained(samples: Sequence[Sample], due: Sequence[float], target_rate: float, seconds: float) -> Sustained:
    """The open run's outcome. Each sample's `due` and `answered_at` are seconds from the start
    of the schedule; the backlog counts every request due and not yet answered (waiting in the
    client or queued at the server)."""
    answered_at = [s.answered_at for s in samples]
    in_time = sum(1 for s in samples if not s.error and s.answered_at <= seconds)
    return Sustained(
        target_rate=target_rate,
        seconds=seconds,
        scheduled=len(due),
        sent=len(samples),
        errors=sum(1 for s in samples if s.error),
        throughput=in_time / seconds if seconds > 0 else 0.0,
        backlog_half=outstanding(due, answered_at, seconds / 2),
        backlog_end=outstanding(due, answered_at, seconds),
        drain=max([0.0, *(a - seconds for a in answered_at)]),
        late_p95=percentile([s.late for s in samples], 95),
        unsent=len(due) - len(samples),
    )


def sustained_lines(result: Sustained) -> list[str]:
    return [
        f"Sustained: {result.target_rate:g} requests a second for {result.seconds:g} s, the pages in turn: "
        f"{result.scheduled} due, {result.sent} sent, {result.errors} errors, {result.unsent} never sent.",
        f"Achieved throughput: {result.throughput:.1f} requests a second answered within the {result.seconds:g} s.",
        f"Backlog (due, not yet answered): {result.backlog_half} half way, {result.backlog_end} at the end; "
        f"the last answer came {result.drain:.1f} s after the end; sent late by the client: p95 {_ms(result.late_p95)} ms.",
    ]
