"""Who is calling the API: `Authorization: Bearer <token>`, checked against the kept hashes.

Every refusal says which of the three things went wrong (no token, a token Attune does not know,
or one that expired or was revoked, with the date), so the person looking after the other system
knows whether to fix their configuration or ask for a new token. The API has no session, so the
site's sign-in and two-factor rules do not apply to it; the token is its own authentication, and
CSRF, which protects cookies, does not arise.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.network import client_ip
from attune.interop import api_services
from attune.interop.api_models import ApiClient

ASK = "ask your system administrator for a new one"
SEND_ONE = "Send a token in the Authorization header, as in: Authorization: Bearer attune_..."
UNKNOWN = f"This token is not recognised. Check that all of it was copied, or {ASK}"


class TokenRefused(Exception):
    """A 401 with a message fit to show to whoever looks after the calling system."""


class RefusedTooOften(Exception):
    """A 429 for an address that has sent more refused tokens this minute than
    ATTUNE_API_REFUSED_PER_MINUTE: only the first of these is audited, so a flood of bad tokens
    cannot fill the audit log (each refusal up to the limit is audited as usual)."""

    def __init__(self, wait: int, *, audited: bool) -> None:
        super().__init__(f"Too many calls with a token that is refused, from this address. Try again in {wait} seconds")
        self.wait = wait
        self.audited = audited


def _count_refusal(request: HttpRequest) -> None:
    """Count a refused call against its address, in fixed one-minute windows in the configured
    cache; past the limit, RefusedTooOften instead of the refusal itself."""
    now = int(timezone.now().timestamp())
    key = f"attune_api_refused_{client_ip(request) or 'unknown'}_{now // 60}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # gone from the cache in between: this is the first of a new count
        cache.set(key, count := 1, timeout=120)
    limit = int(settings.ATTUNE_API_REFUSED_PER_MINUTE)
    if count > limit:
        raise RefusedTooOften(60 - now % 60, audited=count == limit + 1)


@dataclass
class ApiCaller:
    """The calling system, once its token is accepted: `request.auth` in every endpoint."""

    client: ApiClient
    team_ids: frozenset[uuid.UUID]
    actor: Actor

    def __str__(self) -> str:
        # The rate limit's key (ninja hashes it): one count per token, not per address.
        return f"api-client:{self.client.pk}"


def actor_for(request: HttpRequest, client: ApiClient | None) -> Actor:
    """How the audit log names the caller: the system's name, for the teams it acts for. There
    is no person: the system acts for its team, on the authority of whoever issued its token."""
    # Built here rather than from the session: a browser signed in to Attune that calls the API
    # is still only the token.
    return Actor(
        label=f"API: {client.name} ({client.prefix})" if client is not None else "API: no valid token",
        role="API client" if client is not None else "",
        request_id=str(getattr(request, "request_id", "")),
        ip_address=client_ip(request),
    )


def _refusal(client: ApiClient, today: Any) -> str:
    if client.revoked_at is not None:
        return f"This token was revoked on {date_long(client.revoked_at)}; {ASK}"
    if client.has_expired(today):
        return f"This token expired on {date_long(client.expires_on)}; {ASK}"
    return ""


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiCaller:
        try:
            header = request.headers.get(self.header, "")
            scheme, _, token = header.strip().partition(" ")
            if not header or scheme.lower() != "bearer" or not token.strip():
                raise TokenRefused(SEND_ONE)
            return self.authenticate(request, token.strip())
        except TokenRefused:
            _count_refusal(request)
            raise

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller:
        client = api_services.find_by_token(token)
        if client is None:
            raise TokenRefused(UNKNOWN)
        request.api_client = client  # type: ignore[attr-defined]  # named in the audit of a refusal
        refused = _refusal(client, timezone.localdate())
        if refused:
            raise TokenRefused(refused)
        api_services.note_use(client, timezone.now())
        return ApiCaller(client, frozenset(team.pk for team in client.teams.all()), actor_for(request, client))


class PerToken(SimpleRateThrottle):
    """ATTUNE_API_RATE (120 a minute unless set) per token, counted in the configured cache: set
    CACHE_URL to a shared cache when several processes serve Attune, or each counts alone."""

    scope = "api-token"

    def __init__(self) -> None:
        super().__init__(rate=rate())

    def get_cache_key(self, request: HttpRequest) -> str | None:
        caller = getattr(request, "auth", None)
        if caller is None:
            return None
        return f"attune_api_rate_{caller.client.pk}"

    def allow_request(self, request: HttpRequest) -> bool:
        # Read each time, so a changed setting takes effect without rebuilding the API.
        self.rate = rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def wait(self) -> float | None:
        # Until the oldest call in the window leaves it: when one more call will be allowed.
        if not self.history or self.duration is None:
            return float(self.duration or 1)
        return max(1.0, self.duration - (self.now - self.history[-1]))


def rate() -> str:
    return str(settings.ATTUNE_API_RATE)
