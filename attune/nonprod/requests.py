"""The request a demo action is given: the demo loads through the same actions people use, so
each needs who did it, in which role and from where, for its audit event."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.test import RequestFactory

from attune.accounts.models import User
from attune.organisations.models import Membership, Team


def demo_request(user: User, team: Team | None = None, *, roles: Iterable[str] | None = None) -> HttpRequest:
    """A signed-in person's request: the audit role is their membership in `team` (any team if
    None), limited to `roles` when the action needs one of them (the hub supervisor is also a
    therapist there, and triages as one)."""
    request = RequestFactory().post("/demo-scenario", REMOTE_ADDR="127.0.0.1")
    request.user = user
    memberships = Membership.objects.filter(user=user)
    if team is not None:
        memberships = memberships.filter(team=team)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    membership = memberships.order_by("role").first()
    request.audit_role = membership.label if membership else ""  # type: ignore[attr-defined]
    request.request_id = "demo-scenario"  # type: ignore[attr-defined]
    return request
