from collections.abc import Iterator
from typing import Any

import pytest

from attune.notifications.tests.fake_notify import FakeNotify, serving


@pytest.fixture
def fake_notify(settings: Any) -> Iterator[FakeNotify]:
    """A fake GOV.UK Notify on 127.0.0.1, with Attune's Notify settings pointing at it."""
    with serving(settings) as notify:
        yield notify
