"""The test world and signing in a test client, shared by every app's tests and the root
conftest (import from here: a module named `conftest` is ambiguous once tests/system has one)."""

import time
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from attune.accounts import sessions as account_sessions
from attune.accounts.models import User, UserSession
from attune.accounts.tests.factories import TOTPDeviceFactory
from attune.organisations.models import Organisation, Team


@dataclass
class World:
    icb: Organisation
    trust: Organisation
    other_trust: Organisation
    hub: Team
    satellite: Team
    other_team: Team
    hub_area: Organisation
    satellite_area: Organisation


def sign_in_client(client: Client, user: User) -> Client:
    """A client whose session is exactly what a real sign-in with both factors leaves behind."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    now = int(time.time())
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[account_sessions.AUTH_AT] = now
    session[account_sessions.SEEN_AT] = now
    session.save()
    UserSession.objects.create(user=user, session_key=session.session_key, last_seen_at=timezone.now())
    return client
