"""Actions on API tokens: issue one for another system, revoke it, and note when it was last used.

A token is `attune_<prefix>_<secret>`: the prefix (8 characters) is kept in the clear so a token
found in a log can be recognised; the secret is 32 random bytes. Attune keeps only the sha256 of
the whole token. A slow password hash (argon2, as for staff passwords) protects secrets people
choose, which are few enough to guess; 256 random bits cannot be guessed however fast the hash,
and a slow hash would cost every API call tens of milliseconds and a look-up by prefix first.
django-rest-knox keeps its tokens as a hash in the same way; the `attune_` start, like GitHub's
`ghp_`, lets secret scanners and people recognise a token that has leaked.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from attune.core import audit, clocks
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.interop.api_models import ApiClient
from attune.organisations.models import Organisation, Team

STARTS_WITH = "attune_"
PREFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PREFIX_LENGTH = 8
SECRET_BYTES = 32
# How long a token lasts unless the administrator chooses, and the longest they may choose: a
# token that never ends outlives the person who knows where it is kept.
DEFAULT_DAYS = 365
LONGEST_MONTHS = 24
# `last_used_at` is written back at most this often, so a busy system costs no write per call.
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenError(Exception):
    """A token the rules do not allow; the message is fit to show."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str]:
    """(the token, its recognisable prefix)."""
    prefix = STARTS_WITH + "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    return f"{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


@dataclass(frozen=True)
class Issued:
    client: ApiClient
    token: str  # shown once, never kept


def latest_expiry(today: dt.date) -> dt.date:
    return clocks.add_months(today, LONGEST_MONTHS)


def expiry_problem(expires_on: dt.date, today: dt.date) -> str:
    if expires_on <= today:
        return "The last day must be in the future"
    if expires_on > latest_expiry(today):
        return f"The last day must be no more than 2 years from today ({date_long(latest_expiry(today))})"
    return ""


@transaction.atomic
def issue_api_token(
    *, actor: Actor, name: str, organisation: Organisation, teams: list[Team], expires_on: dt.date
) -> Issued:
    name = " ".join(name.split())
    if not name:
        raise TokenError("Enter the name of the system", "name")
    if not teams:
        raise TokenError("Select the teams this system may act for", "teams")
    if any(team.service.provider_id != organisation.pk for team in teams):
        raise TokenError(f"Select only teams of {organisation.name}", "teams")
    problem = expiry_problem(expires_on, timezone.localdate())
    if problem:
        raise TokenError(problem, "expires_on")
    while True:
        token, prefix = new_token()
        if not ApiClient.objects.filter(prefix=prefix).exists():
            break
    client = ApiClient.objects.create(
        name=name,
        organisation=organisation,
        prefix=prefix,
        token_hash=hash_token(token),
        issued_by=actor.person,
        issued_at=timezone.now(),
        expires_on=expires_on,
    )
    client.teams.set(teams)
    audit.record(
        action="api.token_issued",
        actor=actor,
        obj=client,
        detail={
            "name": name,
            "prefix": prefix,
            "teams": sorted(str(team.pk) for team in teams),
            "expires_on": expires_on.isoformat(),
        },
    )
    return Issued(client, token)


@transaction.atomic
def revoke_api_token(*, actor: Actor, client: ApiClient, reason: str = "") -> ApiClient:
    """The token stops working at once; the record of it, and of every call it made, is kept."""
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        raise TokenError(f"This token was already revoked on {date_long(timezone.localdate(locked.revoked_at))}")
    now = timezone.now()
    ApiClient.objects.filter(pk=client.pk).update(
        revoked_at=now, revoked_by=actor.person, revoked_reason=reason.strip()[:500], updated_at=now
    )
    client.revoked_at, client.revoked_by, client.revoked_reason = now, actor.person, reason.strip()[:500]
    audit.record(
        action="api.token_revoked",
        actor=actor,
        obj=client,
        detail={"name": client.name, "prefix": client.prefix, "reason": client.revoked_reason},
    )
    return client


def find_by_token(token: str) -> ApiClient | None:
    """The client a presented token belongs to, usable or not (the caller says which), with the
    ids of its teams read in the same look-up."""
    if not token.startswith(STARTS_WITH) or len(token) > 200:
        return None
    return ApiClient.objects.prefetch_related("teams").filter(token_hash=hash_token(token)).first()


def note_use(client: ApiClient, now: dt.datetime) -> None:
    """`last_used_at`, written back at most once a minute."""
    if client.last_used_at is None or now - client.last_used_at >= TOUCH_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


def client_detail(client: ApiClient) -> dict[str, Any]:
    return {"client": str(client.pk), "name": client.name, "prefix": client.prefix}
