"""Loading the demo once for a class of tests that only read it."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction


def loaded_once(load: Callable[[], object]) -> Any:
    """A class-scoped fixture that runs `load` once and rolls it back after the class's last test:
    loading takes seconds, and these tests only read it. Each test runs in a savepoint inside
    (pytest-django's own transaction), so whatever one test changes is undone before the next.
    Use it as `demo_once = loaded_once(_load)` and mark the class `usefixtures("demo_once")`."""

    @pytest.fixture(scope="class")
    def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
        with django_db_blocker.unblock(), transaction.atomic():
            load()
            yield
            transaction.set_rollback(True)

    return demo_once
