"""Signed-in clients for the bench and the load run: a session as a real sign-in with both
factors leaves it (as attune/organisations/tests/world.py sign_in_client does for tests), so no
setting waives two-factor for measurement."""

import time

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.accounts import sessions as account_sessions
from attune.accounts.models import User, UserSession

HOST = "127.0.0.1"


def signed_in(user: User) -> Client:
    """A client signed in as the person, with a confirmed authenticator device and the session
    times a sign-in sets; the session row is recorded as the person's, as a sign-in records it."""
    device = TOTPDevice.objects.filter(user=user, name="bench").first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    now = int(time.time())
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[account_sessions.AUTH_AT] = now
    session[account_sessions.SEEN_AT] = now
    session.save()
    assert session.session_key is not None
    UserSession.objects.create(user=user, session_key=session.session_key, last_seen_at=timezone.now())
    return client
