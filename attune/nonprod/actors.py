"""Who acts in the demo: the demo loads through the same actions people use, each as the demo
person whose change it is, in the role that allows it, with "demo-scenario" in place of a
request id."""

from collections.abc import Iterable

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.organisations.models import Membership, Team

DEMO = "demo-scenario"


def demo_actor(user: User, team: Team | None = None, *, roles: Iterable[str] | None = None) -> Actor:
    """The demo acting for a person: the audit role is their membership in `team` (any team if
    None), limited to `roles` when the action needs one of them (the hub supervisor is also a
    therapist there, and triages as one)."""
    memberships = Membership.objects.filter(user=user)
    if team is not None:
        memberships = memberships.filter(team=team)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    membership = memberships.order_by("role").first()
    return Actor.system(DEMO, for_user=user, role=membership.label if membership else "")
