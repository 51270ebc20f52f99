"""State changes to organisations and memberships, each audited in the same transaction."""

from datetime import date

from django.db import transaction

from attune.accounts.models import User
from attune.core import audit
from attune.core.actors import Actor
from attune.organisations.models import Membership, Organisation, Team
from attune.organisations.roles import ORGANISATION_ROLES, TEAM_ROLES, Role


class MembershipError(Exception):
    """A role that does not fit where it is given; the message is fit to show."""


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: Role,
    team: Team | None = None,
    organisation: Organisation | None = None,
    starts_on: date,
    actor: Actor,
) -> Membership:
    if role in TEAM_ROLES and (team is None or organisation is not None):
        raise MembershipError(f"A {role.label.lower()} role is held in a team")
    if role in ORGANISATION_ROLES and (organisation is None or team is not None):
        raise MembershipError(f"A {role.label.lower()} role is held in an organisation")
    membership = Membership.objects.create(
        user=user, role=role, team=team, organisation=organisation, starts_on=starts_on
    )
    audit.record(
        action="membership.granted",
        actor=actor,
        obj=user,
        detail={"role": role.value, "place": membership.place.name},
    )
    return membership
