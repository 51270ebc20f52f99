"""State changes to organisations and memberships, each audited in the same transaction."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from attune.accounts import services as account_services
from attune.accounts.models import LinkPurpose, User, normalise_email
from attune.core import audit
from attune.core.actors import Actor
from attune.core.formatting import date_long
from attune.core.validators import is_valid_postcode, normalise_postcode
from attune.organisations.models import (
    Catchment,
    Membership,
    Organisation,
    OrganisationKind,
    Service,
    Site,
    SiteKind,
    Team,
    TeamKind,
)
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
    _refuse_own_roles(actor, user)
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


# People: invitations, roles, moves and leavers (issue 15, S3) --------------------------------
# A system administrator acts only in the organisation they administer, and never on their own
# roles: every rule below is checked here, in the action, so no page, job or importer skips it.


@dataclass(frozen=True)
class RoleGrant:
    """One role to give: in a team (team roles) or an organisation (organisation roles)."""

    role: Role
    starts_on: date
    team: Team | None = None
    organisation: Organisation | None = None
    ends_on: date | None = None


def administered_organisation_ids(actor: Actor) -> set[uuid.UUID]:
    """Organisations the actor is a system administrator of today."""
    if actor.user is None:
        return set()
    return set(
        Membership.objects.active()
        .filter(user=actor.user, role=Role.SYSTEM_ADMIN, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )


def _refuse_own_roles(actor: Actor, user: User) -> None:
    if actor.user is not None and actor.user.pk == user.pk:
        raise MembershipError("You cannot change your own roles. Ask another system administrator")


def _check_grant(actor: Actor, grant: RoleGrant) -> None:
    organisations = administered_organisation_ids(actor)
    if grant.team is not None and grant.team.service.provider_id not in organisations:
        raise MembershipError(f"{grant.team.name} is not a team of your organisation")
    if grant.organisation is not None and grant.organisation.pk not in organisations:
        raise MembershipError(f"You cannot give roles in {grant.organisation.name}")
    if grant.ends_on is not None and grant.ends_on < grant.starts_on:
        raise MembershipError("The end date must be the same as or after the start date")


def _give(actor: Actor, user: User, grant: RoleGrant) -> Membership:
    membership = grant_role(
        user=user,
        role=grant.role,
        team=grant.team,
        organisation=grant.organisation,
        starts_on=grant.starts_on,
        actor=actor,
    )
    if grant.ends_on is not None:
        membership.ends_on = grant.ends_on
        membership.save(update_fields=["ends_on", "updated_at"])
    return membership


@transaction.atomic
def invite_person(*, actor: Actor, full_name: str, email: str, roles: list[RoleGrant], site_url: str) -> User:
    """A new account with no usable password, its roles, and a set-up link emailed to it."""
    if not roles:
        raise MembershipError("Select at least one role")
    existing = User.objects.filter(email__iexact=normalise_email(email)).first()
    if existing is not None:
        raise MembershipError(
            f"{normalise_email(email)} already has an account: {existing.full_name}. Open their page to give them a role"
        )
    for grant in roles:
        _check_grant(actor, grant)
    user = User.objects.create_user(email, full_name.strip(), None)
    for grant in roles:
        _give(actor, user, grant)
    audit.record(action="person.invited", actor=actor, obj=user, detail={"roles": len(roles)})
    account_services.send_account_link(actor=actor, user=user, purpose=LinkPurpose.SET_UP, site_url=site_url)
    return user


def has_set_up(user: User) -> bool:
    return user.has_usable_password()


@transaction.atomic
def resend_invitation(*, actor: Actor, user: User, site_url: str) -> None:
    """A new set-up link; the one sent before stops working."""
    _refuse_own_roles(actor, user)
    if has_set_up(user):
        raise MembershipError(f"{user.full_name} has already set up their account")
    if not user.is_active:
        raise MembershipError(f"{user.full_name}'s account is disabled. Enable it first")
    audit.record(action="person.invitation_resent", actor=actor, obj=user)
    account_services.send_account_link(actor=actor, user=user, purpose=LinkPurpose.SET_UP, site_url=site_url)


@transaction.atomic
def give_role(*, actor: Actor, user: User, grant: RoleGrant) -> Membership:
    """Another role for someone who already has an account."""
    _refuse_own_roles(actor, user)
    _check_grant(actor, grant)
    return _give(actor, user, grant)


def _check_membership(actor: Actor, membership: Membership) -> None:
    _refuse_own_roles(actor, membership.user)
    organisations = administered_organisation_ids(actor)
    place_org = membership.organisation_id if membership.team is None else membership.team.service.provider_id
    if place_org not in organisations:
        raise MembershipError("This role is not in your organisation")


@transaction.atomic
def end_role(*, actor: Actor, membership: Membership, ends_on: date, reason: str) -> Membership:
    """The role stops after `ends_on` (it is still held on that day)."""
    membership = (
        Membership.objects.select_for_update(of=("self",)).select_related("user", "team__service").get(pk=membership.pk)
    )
    _check_membership(actor, membership)
    if not reason.strip():
        raise MembershipError("Enter why the role is ending")
    if ends_on < membership.starts_on:
        raise MembershipError(
            f"The end date must be on or after the day the role started, {date_long(membership.starts_on)}"
        )
    if membership.ends_on is not None and membership.ends_on < ends_on:
        raise MembershipError(f"This role already ended on {date_long(membership.ends_on)}")
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on", "updated_at"])
    audit.record(
        action="membership.ended",
        actor=actor,
        obj=membership.user,
        detail={
            "role": membership.role,
            "place": membership.place.name,
            "ends_on": ends_on.isoformat(),
            "reason": reason.strip()[:500],
        },
    )
    return membership


@transaction.atomic
def move_to_team(*, actor: Actor, membership: Membership, to_team: Team, moves_on: date, reason: str) -> Membership:
    """The same role in another team from `moves_on`: the old one ends the day before."""
    membership = (
        Membership.objects.select_for_update(of=("self",)).select_related("user", "team__service").get(pk=membership.pk)
    )
    _check_membership(actor, membership)
    if membership.team is None:
        raise MembershipError("Only a role in a team can move to another team")
    if to_team.pk == membership.team_id:
        raise MembershipError(f"They are already in {to_team.name}. Choose another team")
    if moves_on <= membership.starts_on:
        raise MembershipError(
            f"The move date must be after the day the role started, {date_long(membership.starts_on)}"
        )
    _check_grant(
        actor, RoleGrant(role=Role(membership.role), team=to_team, starts_on=moves_on, ends_on=membership.ends_on)
    )
    old_end = membership.ends_on
    end_role(actor=actor, membership=membership, ends_on=moves_on - timedelta(days=1), reason=reason)
    moved = _give(
        actor, membership.user, RoleGrant(role=Role(membership.role), team=to_team, starts_on=moves_on, ends_on=old_end)
    )
    audit.record(
        action="membership.moved",
        actor=actor,
        obj=membership.user,
        detail={"role": membership.role, "from": membership.place.name, "to": to_team.name, "on": moves_on.isoformat()},
    )
    return moved


@transaction.atomic
def record_leaving(*, actor: Actor, user: User, leaving_on: date, reason: str) -> None:
    """Every role ends on `leaving_on` and the account is disabled on that day: now, if the day
    has come, else by the daily `manage.py disable_leavers` job on the day. (accounts sits below
    organisations, so sign-in cannot ask about roles; the scope, built from the roles held on
    the day, already gives nothing once every role has ended.)"""
    _refuse_own_roles(actor, user)
    if not reason.strip():
        raise MembershipError("Enter why they are leaving")
    memberships = list(
        Membership.objects.select_for_update(of=("self",)).filter(user=user).select_related("team__service")
    )
    organisations = administered_organisation_ids(actor)
    for m in memberships:
        place_org = m.organisation_id if m.team is None else m.team.service.provider_id
        if place_org not in organisations:
            raise MembershipError(f"{user.full_name} has a role outside your organisation ({m.label})")
        if m.starts_on > leaving_on:
            raise MembershipError(f"{m.label} starts after {date_long(leaving_on)}. End that role first")
    for m in memberships:
        if m.ends_on is None or m.ends_on > leaving_on:
            m.ends_on = leaving_on
            m.save(update_fields=["ends_on", "updated_at"])
    audit.record(
        action="person.leaving_recorded",
        actor=actor,
        obj=user,
        detail={"leaving_on": leaving_on.isoformat(), "reason": reason.strip()[:500]},
    )
    if leaving_on <= timezone.localdate() and user.is_active:
        account_services.disable_account(
            actor=actor, user=user, reason=f"Left on {date_long(leaving_on)}: {reason.strip()}"
        )


def leavers_to_disable(today: date) -> list[User]:
    """Active accounts whose every role ends on or before `today` (a leaving date has come)."""
    still_held = Membership.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today)).values("user_id")
    return list(User.objects.filter(is_active=True, memberships__isnull=False).exclude(pk__in=still_held).distinct())


def disable_leavers(*, actor: Actor, today: date) -> list[User]:
    """The daily job: disable the accounts of people whose last role has ended."""
    disabled = []
    for user in leavers_to_disable(today):
        last_day = max(m.ends_on for m in user.memberships.all() if m.ends_on is not None)
        account_services.disable_account(
            actor=actor, user=user, reason=f"Left on {date_long(last_day)}: no role after that day"
        )
        disabled.append(user)
    return disabled


# Setting a service up: organisations, services, teams and sites ----------------------------


class SetUpError(Exception):
    """A rule of the set-up broken; the message is fit to show, beside `field` when it names one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, list[str]]:
    """Set `values` on `obj`; the fields that changed, as [old, new] for the audit log."""
    changed: dict[str, list[str]] = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changed[name] = [_shown(old), _shown(new)]
            setattr(obj, name, new)
    return changed


def _shown(value: Any) -> str:
    if isinstance(value, models.Model):
        return f"{value} ({value.pk})"
    return "" if value is None else str(value)


def _check_code_free(code: str, organisation: Organisation | None = None) -> None:
    others = Organisation.objects.filter(code=code)
    if organisation is not None:
        others = others.exclude(pk=organisation.pk)
    taken = others.first()
    if taken is not None:
        raise SetUpError(f"{taken.name} already has the code {code}", field="code")


@transaction.atomic
def create_organisation(*, actor: Actor, name: str, kind: OrganisationKind, code: str) -> Organisation:
    _check_code_free(code)
    organisation = Organisation.objects.create(name=name, kind=kind, code=code)
    audit.record(
        action="organisation.created",
        actor=actor,
        obj=organisation,
        detail={"name": name, "kind": kind.value, "code": code},
    )
    return organisation


@transaction.atomic
def update_organisation(*, actor: Actor, organisation: Organisation, name: str, code: str) -> Organisation:
    _check_code_free(code, organisation)
    changed = _changes(organisation, {"name": name, "code": code})
    if changed:
        organisation.save()
        audit.record(action="organisation.updated", actor=actor, obj=organisation, detail={"changes": changed})
    return organisation


def _check_service(provider: Organisation, commissioner: Organisation) -> None:
    if provider.kind != OrganisationKind.NHS_TRUST:
        raise SetUpError("The provider must be an NHS trust", field="provider")
    if commissioner.kind == OrganisationKind.NHS_TRUST:
        raise SetUpError("Select an integrated care board or a council as the commissioner", field="commissioner")


@transaction.atomic
def create_service(*, actor: Actor, name: str, provider: Organisation, commissioner: Organisation) -> Service:
    _check_service(provider, commissioner)
    service = Service.objects.create(name=name, provider=provider, commissioner=commissioner)
    audit.record(
        action="service.created",
        actor=actor,
        obj=service,
        detail={"name": name, "provider": provider.name, "commissioner": commissioner.name},
    )
    return service


@transaction.atomic
def update_service(*, actor: Actor, service: Service, name: str, commissioner: Organisation) -> Service:
    _check_service(service.provider, commissioner)
    changed = _changes(service, {"name": name, "commissioner": commissioner})
    if changed:
        service.save()
        audit.record(action="service.updated", actor=actor, obj=service, detail={"changes": changed})
    return service


def _check_team(
    *, service: Service, name: str, kind: TeamKind, hub: Team | None, team: Team | None = None
) -> Team | None:
    """The team's rules: a name no other team in the service has; a satellite supervised by a
    hub of the same service; a hub supervised by nobody. Returns the hub to keep."""
    namesakes = Team.objects.filter(service=service, name__iexact=name)
    if team is not None:
        namesakes = namesakes.exclude(pk=team.pk)
    if namesakes.exists():
        raise SetUpError(f"{service.name} already has a team called {name}: choose another name", field="name")
    if kind == TeamKind.HUB:
        return None
    if hub is None:
        raise SetUpError("Select the hub team that supervises this satellite team", field="hub")
    if hub.kind != TeamKind.HUB or hub.service_id != service.pk or (team is not None and hub.pk == team.pk):
        raise SetUpError(f"Select a hub team of {service.name} to supervise this satellite team", field="hub")
    return hub


def _check_council(local_authority: Organisation | None) -> None:
    if local_authority is not None and local_authority.kind != OrganisationKind.LOCAL_AUTHORITY:
        raise SetUpError("Select a council as the area the team serves", field="local_authority")


@transaction.atomic
def create_team(
    *,
    actor: Actor,
    service: Service,
    name: str,
    kind: TeamKind,
    hub: Team | None = None,
    local_authority: Organisation | None = None,
) -> Team:
    """A hub or satellite team of the service; `local_authority` is the council area it serves
    (its catchment until a team lead sets one in the team's settings)."""
    hub = _check_team(service=service, name=name, kind=kind, hub=hub)
    _check_council(local_authority)
    team = Team.objects.create(service=service, name=name, kind=kind, hub=hub, local_authority=local_authority)
    audit.record(
        action="team.created",
        actor=actor,
        obj=team,
        detail={
            "name": name,
            "service": service.name,
            "kind": kind.value,
            "hub": hub.name if hub else "",
            "local_authority": local_authority.name if local_authority else "",
        },
    )
    return team


@transaction.atomic
def update_team(
    *, actor: Actor, team: Team, name: str, kind: TeamKind, hub: Team | None, local_authority: Organisation | None
) -> Team:
    """Every detail of the team is given (a council left out would be taken away)."""
    if kind == TeamKind.SATELLITE and team.satellites.exists():
        names = ", ".join(team.satellites.values_list("name", flat=True))
        raise SetUpError(f"{team.name} supervises {names}: it must stay a hub team", field="kind")
    hub = _check_team(service=team.service, name=name, kind=kind, hub=hub, team=team)
    _check_council(local_authority)
    changed = _changes(team, {"name": name, "kind": kind.value, "hub": hub, "local_authority": local_authority})
    if changed:
        team.save()
        audit.record(action="team.updated", actor=actor, obj=team, detail={"changes": changed})
    return team


def _site_values(kind: SiteKind, name: str, address: str, postcode: str, opening_hours: str) -> dict[str, str]:
    if postcode and not is_valid_postcode(postcode):
        raise SetUpError("Enter a real postcode, like BB1 7DJ", field="postcode")
    return {
        "kind": kind.value,
        "name": name,
        "address": address,
        "postcode": normalise_postcode(postcode) if postcode else "",
        "opening_hours": opening_hours,
    }


@transaction.atomic
def create_site(
    *,
    actor: Actor,
    team: Team,
    kind: SiteKind,
    name: str,
    address: str = "",
    postcode: str = "",
    opening_hours: str = "",
) -> Site:
    values = _site_values(kind, name, address, postcode, opening_hours)
    site = Site.objects.create(team=team, **values)
    audit.record(action="site.created", actor=actor, obj=site, detail={"team": team.name, **values})
    return site


@transaction.atomic
def update_site(
    *, actor: Actor, site: Site, kind: SiteKind, name: str, address: str, postcode: str, opening_hours: str
) -> Site:
    changed = _changes(site, _site_values(kind, name, address, postcode, opening_hours))
    if changed:
        site.save()
        audit.record(action="site.updated", actor=actor, obj=site, detail={"changes": changed})
    return site


# Catchment: which council area a postcode district or sector is in (issue 15, S4) -------------
# Called by referrals' change_catchment, which checks the shapes and the overlaps first.


@transaction.atomic
def place_postcodes(*, actor: Actor, prefixes: list[str], local_authority: Organisation) -> None:
    """Puts postcode districts ("FY1") or sectors ("BB1 7") in a council area, moving any that
    were in another."""
    found = {c.prefix: c for c in Catchment.objects.select_for_update().filter(prefix__in=prefixes)}
    old = {prefix: found[prefix].local_authority.name if prefix in found else None for prefix in prefixes}
    for prefix in prefixes:
        Catchment.objects.update_or_create(prefix=prefix, defaults={"local_authority": local_authority})
    audit.record(
        action="catchment.placed",
        actor=actor,
        obj=local_authority,
        detail={"old": old, "new": dict.fromkeys(prefixes, local_authority.name)},
    )


@transaction.atomic
def remove_postcodes(*, actor: Actor, prefixes: list[str]) -> None:
    """Takes postcode districts or sectors out of the catchment table: no team's area holds them."""
    found = list(Catchment.objects.select_for_update().filter(prefix__in=prefixes).select_related("local_authority"))
    old = {c.prefix: c.local_authority.name for c in found}
    Catchment.objects.filter(pk__in=[c.pk for c in found]).delete()
    audit.record(
        action="catchment.removed",
        actor=actor,
        object_type="organisations.catchment",
        detail={"old": old, "new": dict.fromkeys(old)},
    )


class AlreadySetUp(SetUpError):
    """Attune has a system administrator already: the first run is over."""


def first_administrator() -> User | None:
    """The system administrator who set Attune up (or any active one), if there is one."""
    membership = (
        Membership.objects.active()
        .filter(role=Role.SYSTEM_ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("starts_on", "created_at")
        .first()
    )
    return membership.user if membership is not None else None


@transaction.atomic
def set_up_first_administrator(
    *, actor: Actor, organisation_name: str, ods_code: str, admin_name: str, admin_email: str
) -> tuple[Organisation, User, str]:
    """The first run (manage.py setup_service): the provider trust, its first system
    administrator (no usable password: they choose one through the set-up link) and that
    link's token. Refused once any system administrator exists."""
    existing = first_administrator()
    if existing is not None:
        raise AlreadySetUp(
            f"Attune is already set up: ask {existing.full_name} ({existing.email}), a system administrator, "
            "to add organisations, teams and people on the Set-up and Staff accounts pages"
        )
    email = normalise_email(admin_email)
    if User.objects.filter(email=email).exists():
        raise SetUpError(f"There is already an account for {email}", field="admin_email")
    organisation = Organisation.objects.filter(code=ods_code).first()
    if organisation is None:
        organisation = create_organisation(
            actor=actor, name=organisation_name, kind=OrganisationKind.NHS_TRUST, code=ods_code
        )
    elif organisation.kind != OrganisationKind.NHS_TRUST:
        raise SetUpError(f"{organisation.name} has the code {ods_code} and is not an NHS trust", field="ods_code")
    user = User.objects.create_user(email, admin_name)  # no password: chosen through the link
    grant_role(
        user=user, role=Role.SYSTEM_ADMIN, organisation=organisation, starts_on=timezone.localdate(), actor=actor
    )
    token = account_services.issue_account_link(actor=actor, user=user, purpose=LinkPurpose.SET_UP)
    audit.record(
        action="setup.first_administrator",
        actor=actor,
        obj=user,
        detail={"organisation": organisation.name, "code": organisation.code},
    )
    return organisation, user, token
