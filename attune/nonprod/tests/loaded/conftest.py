"""The whole demo, loaded once for every test in this folder.

`manage.py load_demo` takes seconds, and these tests only read what it made, so it runs once here,
twice in a row: the first run's printout and a snapshot of every row after each run are kept
for the tests of loading itself (`test_loading.py`). Everything happens inside one transaction
rolled back after the folder's last test, and each test runs in a savepoint inside it
(pytest-django's own), so what one test changes is undone before the next.

Under pytest-xdist one worker runs all of them, one after another (ONE_WORKER_EACH in the root
conftest.py), so the demo is loaded once per run.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from attune.nonprod.tests.demo import LoadedDemo, everything, load_demo

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="package", autouse=True)
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[LoadedDemo]:
    with django_db_blocker.unblock(), transaction.atomic():
        printed = load_demo()
        first = everything()
        load_demo()
        yield LoadedDemo(printed=printed, first=first, second=everything())
        transaction.set_rollback(True)
