"""The only way a view reaches data: what the signed-in person may see, built from their
active memberships (ADR 0002).

Rules: someone outside a team (or organisation) gets 404 for its pages, as if they did not exist;
a member whose role does not allow the page gets 403. Both refusals are audited. Apps above this
one add their own scoped look-ups in their `scope.py`, taking a `Scope` as first argument.
"""

import uuid
from collections import defaultdict
from functools import cached_property
from operator import attrgetter
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from attune.accounts.models import User
from attune.core import audit
from attune.core.actors import ActingRequest, Actor
from attune.organisations.models import Membership, Organisation, Service, Team
from attune.organisations.roles import ROLE_CAPABILITIES, Capability, Role, roles_with

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


class Scope:
    def __init__(self, actor: Actor, memberships: list[Membership], path: str = "", user: Any = None) -> None:
        self.actor = actor  # the scope names in it the roles that granted access (acting_in_team)
        self.user = user if user is not None else actor.user
        self.memberships = memberships
        self.path = path  # the page asked for, named in the audit of a refusal

    @classmethod
    def for_request(cls, request: HttpRequest) -> "Scope":
        actor: Actor = getattr(request, "actor", None) or Actor.for_request(request)
        user = request.user
        if not user.is_authenticated:
            return cls(actor, [], request.path)
        memberships = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("team__service", "organisation")
            .order_by("starts_on", "role")
        )
        return cls(actor, memberships, request.path, user)

    # What the person holds ---------------------------------------------------------------

    @cached_property
    def team_roles(self) -> dict[uuid.UUID, frozenset[Role]]:
        roles: dict[uuid.UUID, set[Role]] = defaultdict(set)
        for m in self.memberships:
            if m.team_id:
                roles[m.team_id].add(Role(m.role))
        return {team_id: frozenset(r) for team_id, r in roles.items()}

    @cached_property
    def organisation_roles(self) -> dict[uuid.UUID, frozenset[Role]]:
        roles: dict[uuid.UUID, set[Role]] = defaultdict(set)
        for m in self.memberships:
            if m.organisation_id:
                roles[m.organisation_id].add(Role(m.role))
        return {org_id: frozenset(r) for org_id, r in roles.items()}

    @cached_property
    def capabilities(self) -> frozenset[Capability]:
        found: set[Capability] = set()
        for m in self.memberships:
            found |= ROLE_CAPABILITIES[Role(m.role)]
        return frozenset(found)

    def can(self, capability: Capability) -> bool:
        """Whether the person may use this capability anywhere (for navigation)."""
        return capability in self.capabilities

    @property
    def role_summary(self) -> str:
        """For the audit log when no single team is concerned."""
        return "; ".join(m.label for m in self.memberships)

    def team_ids(self, capability: Capability = Capability.VIEW_TEAM) -> set[uuid.UUID]:
        allowed = roles_with(capability)
        return {team_id for team_id, roles in self.team_roles.items() if roles & allowed}

    def organisation_ids(self, capability: Capability) -> set[uuid.UUID]:
        allowed = roles_with(capability)
        return {org_id for org_id, roles in self.organisation_roles.items() if roles & allowed}

    def acting_in_team(self, team: Team) -> None:
        """Record in the audit role which of the person's roles in this team gave access."""
        self._acting_as(self.team_roles.get(team.pk, frozenset()), team)

    def _acting_as(self, roles: frozenset[Role], place: Team | Organisation) -> None:
        self.actor.set_role("; ".join(f"{Role(r).label}, {place.name}" for r in sorted(roles)))

    def acting_for_organisation(self, capability: Capability) -> None:
        """Record in the audit role which organisation-level roles gave access."""
        allowed = roles_with(capability)
        self.actor.set_role(
            "; ".join(m.label for m in self.memberships if m.organisation_id and Role(m.role) in allowed)
        )

    # Refusals ----------------------------------------------------------------------------

    def _refused(self, object_type: str, object_id: Any, outcome: str) -> None:
        audit.record(
            action="access.refused",
            actor=self.actor,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome,
            detail={"path": self.path[:200]},
        )

    def not_found(self, object_type: str, object_id: Any) -> Http404:
        self._refused(object_type, object_id, audit.Outcome.NOT_FOUND)
        return Http404()

    def forbidden(self, object_type: str, object_id: Any = "") -> PermissionDenied:
        self._refused(object_type, object_id, audit.Outcome.DENIED)
        return PermissionDenied()

    def require(self, capability: Capability, object_type: str = "") -> None:
        """Function-level check: the person holds a role with this capability somewhere."""
        if not self.can(capability):
            raise self.forbidden(object_type or f"capability:{capability}")

    # One object ---------------------------------------------------------------------------

    def get(
        self,
        queryset: QuerySet[M],
        pk: Any,
        *,
        team: str | None = "team",
        see: Capability = Capability.VIEW_TEAM,
        act: Capability | None = None,
        object_type: str = "",
    ) -> M:
        """The one way a view fetches one object: `queryset` narrowed to `pk`. Someone outside the
        object's team (reached by the `team` path, e.g. "episode__team"), or without `see`
        there, gets 404 as if it did not exist; a member without `act` gets 403; both are
        audited. On success the audit role is the person's roles in that team. With
        `team=None` the queryset is already scoped (a goal of an episode already fetched):
        only whether the object is in it counts. A malformed id is simply not found."""
        label = object_type or audit.object_type_of(queryset.model)
        try:
            found = queryset.filter(pk=pk).first()
        except (ValueError, ValidationError):
            found = None
        if found is None:
            raise self.not_found(label, pk)
        if team is None:
            return found
        place: Team = attrgetter(team.replace("__", "."))(found)
        if place.pk not in self.team_ids(see):
            raise self.not_found(label, pk)
        if act is not None and place.pk not in self.team_ids(act):
            raise self.forbidden(label, pk)
        self.acting_in_team(place)
        return found

    def found(self, thing: T | None, object_type: str, object_id: Any) -> T:
        """What a view looked for among what it already holds in scope (a person on the
        episode, a decision by its name in the address): the thing, or an audited 404."""
        if thing is None:
            raise self.not_found(object_type, object_id)
        return thing

    # Teams -------------------------------------------------------------------------------

    def teams(self, capability: Capability = Capability.VIEW_TEAM) -> QuerySet[Team]:
        return Team.objects.with_context().filter(pk__in=self.team_ids(capability))

    def held_teams(self, capability: Capability = Capability.VIEW_TEAM) -> list[Team]:
        """`teams(capability)` by kind then name, from the memberships already read (no query)."""
        allowed = self.team_ids(capability)
        held = {m.team_id: m.team for m in self.memberships if m.team is not None and m.team_id in allowed}
        return sorted(held.values(), key=lambda team: (team.kind, team.name))

    def get_team(self, team_id: uuid.UUID, capability: Capability = Capability.VIEW_TEAM) -> Team:
        roles = self.team_roles.get(team_id)
        if roles is None:
            raise self.not_found("organisations.team", team_id)
        if not roles & roles_with(capability):
            raise self.forbidden("organisations.team", team_id)
        team = Team.objects.with_context().get(pk=team_id)
        self._acting_as(roles, team)
        return team

    # Organisations the person acts for -----------------------------------------------------

    def organisations(self, capability: Capability) -> QuerySet[Organisation]:
        return Organisation.objects.filter(pk__in=self.organisation_ids(capability))

    def commissioned_services(self) -> QuerySet[Service]:
        """Services a commissioner's organisation pays for: their teams and sites, never people."""
        return Service.objects.filter(commissioner_id__in=self.organisation_ids(Capability.VIEW_AGGREGATES))

    def _staff_filter(self, org_ids: set[uuid.UUID]) -> Q:
        return Q(memberships__team__service__provider_id__in=org_ids) | Q(memberships__organisation_id__in=org_ids)

    def staff(self) -> QuerySet[User]:
        """Accounts a system administrator may manage: everyone with a role in their organisation."""
        self.require(Capability.MANAGE_ACCOUNTS, "accounts.user")
        org_ids = self.organisation_ids(Capability.MANAGE_ACCOUNTS)
        return User.objects.filter(self._staff_filter(org_ids)).distinct()

    def get_staff_member(self, user_id: uuid.UUID) -> User:
        staff = self.staff()
        user = staff.filter(pk=user_id).first()
        if user is None:
            raise self.not_found("accounts.user", user_id)
        self.acting_for_organisation(Capability.MANAGE_ACCOUNTS)
        return user

    def audit_staff(self) -> QuerySet[User]:
        """People an IG lead may audit: everyone with a role in their organisation."""
        return User.objects.filter(self._staff_filter(self.organisation_ids(Capability.AUDIT))).distinct()

    def audit_actor_filter(self) -> Q:
        """Audit events an IG lead may read: those by people with a role in their organisation."""
        org_ids = self.organisation_ids(Capability.AUDIT)
        staff_ids = User.objects.filter(self._staff_filter(org_ids)).values("pk")
        return Q(actor_id__in=staff_ids)


class ScopedRequest(ActingRequest):
    """How views see a request once the middleware has run: a signed-in person, who is acting
    (for actions and the audit log) and their scope."""

    user: User
    scope: Scope
