"""The API's limits count in the cache (per token, and refused calls per address): each test
starts with none counted, whatever ran before it in this process."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def nothing_counted() -> None:
    cache.clear()
