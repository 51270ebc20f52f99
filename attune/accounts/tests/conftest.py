from collections.abc import Callable

import pytest
from django.test import Client

from attune.accounts.models import User
from attune.accounts.tests.factories import TOTPDeviceFactory, UserFactory
from attune.organisations.tests.world import sign_in_client


@pytest.fixture
def another_client() -> Callable[[User], Client]:
    """A second browser, signed in as someone (or the same person on another device)."""
    return lambda user: sign_in_client(Client(), user)


@pytest.fixture
def person(db: None) -> User:
    """Somebody with a password and a confirmed authenticator app, about to sign in."""
    user = UserFactory(full_name="Pip Person")
    TOTPDeviceFactory(user=user)
    return user
