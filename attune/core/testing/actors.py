"""Actors for tests that call actions directly, as a view, a job or an importer would."""

from typing import Any

from attune.core.actors import Actor


def acting(user: Any, *, ip: str | None = "127.0.0.1", role: str = "") -> Actor:
    """The person acting from an address (a test's stand-in for their request), in `role` when
    the test cares which role allowed it."""
    return Actor(user=user, ip_address=ip, role=role)
