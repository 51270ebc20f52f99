"""Query budgets for list pages (P4): the same number of queries for 1 row and for 200."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

# P4 in the security and reliability reference: at most 15 queries a page.
PAGE_BUDGET = 15


def queries_for(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def assert_flat(*, grow: Callable[[int], None], fetch: Callable[[], object]) -> int:
    """Fetch with 1 row, grow to 200, fetch again: the query count must not change and must fit
    the page budget. `grow(n)` adds rows until the page would show n of them."""
    grow(1)
    fetch()  # warm-up: the session and person are loaded the same way each time after this
    small = queries_for(fetch)
    grow(200)
    # Warm up again: growing may take over a minute on a busy machine, and the first request after
    # a minute writes the session's idle clock back (accounts.middleware.TOUCH_EVERY), a query the
    # page itself does not make. Both counts are then of a request just after another.
    fetch()
    large = queries_for(fetch)
    assert small == large, f"{small} queries for 1 row but {large} for 200"
    assert large <= PAGE_BUDGET, f"{large} queries, over the budget of {PAGE_BUDGET}"
    return large


def growing(add: Callable[[], object], count: Callable[[], int]) -> Callable[[int], None]:
    """A `grow` for assert_flat: calls `add` until `count()` reaches n."""

    def grow(n: int) -> None:
        while count() < n:
            add()

    return grow


def growing_in_bulk(add: Callable[[int], object], count: Callable[[], int]) -> Callable[[int], None]:
    """A `grow` for assert_flat that adds the missing rows in one go: `add(k)` makes k more, in a
    few bulk inserts, so a page grows to 200 rows in a fraction of the time row by row takes."""

    def grow(n: int) -> None:
        if (missing := n - count()) > 0:
            add(missing)

    return grow


def create_in_bulk(factory: Any, rows: Iterable[dict[str, Any]]) -> list[Any]:
    """One model row per dict, built by a factory_boy factory (its defaults filled in) and saved
    in one bulk insert. Pass related rows themselves (family=...), not SubFactory defaults."""
    built = [factory.build(**row) for row in rows]
    return list(factory._meta.model.objects.bulk_create(built)) if built else []
