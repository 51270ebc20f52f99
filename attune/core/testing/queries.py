"""Query budgets for list pages (P4): the same number of queries for 1 row and for 200."""

from collections.abc import Callable

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
