"""Roles people hold and what each lets them do. Pure data: the scope applies it."""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Parent-infant therapist"
    TRAINEE = "trainee", "Trainee parent-infant therapist"
    SUPERVISOR = "supervisor", "Clinical supervisor"
    TEAM_LEAD = "team_lead", "Team lead"
    COORDINATOR = "coordinator", "Coordinator"
    COMMISSIONER = "commissioner", "Commissioner"
    IG_LEAD = "ig_lead", "Information governance lead"
    SYSTEM_ADMIN = "system_admin", "System administrator"


# Held in a team (a hub or satellite team) or in an organisation (an ICB, trust or council).
TEAM_ROLES = frozenset({Role.PRACTITIONER, Role.TRAINEE, Role.SUPERVISOR, Role.TEAM_LEAD, Role.COORDINATOR})
ORGANISATION_ROLES = frozenset({Role.COMMISSIONER, Role.IG_LEAD, Role.SYSTEM_ADMIN})


class Capability(StrEnum):
    VIEW_TEAM = "view_team"  # the team's page: members, sites
    WORK_WITH_FAMILIES = "work_with_families"  # family records, referrals, caseloads
    LEAD_TEAM = "lead_team"  # waiting list, allocation, capacity
    SUPERVISE = "supervise"  # supervision, countersigning
    VIEW_AGGREGATES = "view_aggregates"  # suppressed reports, never a person
    AUDIT = "audit"  # who accessed what
    MANAGE_ACCOUNTS = "manage_accounts"  # disable accounts, end sessions, reset two-factor
    SET_UP = "set_up"  # organisations, services, teams, sites and rooms of their organisation


ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PRACTITIONER: frozenset({Capability.VIEW_TEAM, Capability.WORK_WITH_FAMILIES}),
    Role.TRAINEE: frozenset({Capability.VIEW_TEAM, Capability.WORK_WITH_FAMILIES}),
    Role.SUPERVISOR: frozenset({Capability.VIEW_TEAM, Capability.WORK_WITH_FAMILIES, Capability.SUPERVISE}),
    Role.TEAM_LEAD: frozenset(
        {Capability.VIEW_TEAM, Capability.WORK_WITH_FAMILIES, Capability.LEAD_TEAM, Capability.VIEW_AGGREGATES}
    ),
    Role.COORDINATOR: frozenset({Capability.VIEW_TEAM, Capability.WORK_WITH_FAMILIES}),
    # Commissioners see aggregates only: no capability reaches a page about a person.
    Role.COMMISSIONER: frozenset({Capability.VIEW_AGGREGATES}),
    Role.IG_LEAD: frozenset({Capability.AUDIT}),
    Role.SYSTEM_ADMIN: frozenset({Capability.MANAGE_ACCOUNTS, Capability.SET_UP}),
}


def roles_with(capability: Capability) -> frozenset[Role]:
    return frozenset(role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities)
