"""Scoped look-ups for family records: a family is seen by people who work with families in the
team responsible for it (ADR 0002). Later apps widen this (a supervisor who discussed the family
in supervision) through their own rules, never by bypassing these."""

import uuid

from attune.families.models import Family, FamilyMerge, FamilyQuerySet, SafeguardingFlag
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def families(scope: Scope) -> FamilyQuerySet:
    return Family.objects.filter(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def get_family(scope: Scope, family_id: uuid.UUID) -> Family:
    """The family (merged records too: the view sends the reader on to the kept one)."""
    family = Family.objects.select_related("team", "local_authority").filter(pk=family_id).first()
    if family is None or family.team_id not in scope.team_ids(Capability.VIEW_TEAM):
        raise scope.not_found("families.family", family_id)
    if family.team_id not in scope.team_ids(Capability.WORK_WITH_FAMILIES):
        raise scope.forbidden("families.family", family_id)
    scope.acting_in_team(family.team)
    return family


def get_flag(scope: Scope, family: Family, flag_id: uuid.UUID) -> SafeguardingFlag:
    flag = family.safeguarding_flags.filter(pk=flag_id).first()
    if flag is None:
        raise scope.not_found("families.safeguardingflag", flag_id)
    return flag


def get_merge(scope: Scope, family: Family, merge_id: uuid.UUID) -> FamilyMerge:
    merge = FamilyMerge.objects.select_related("kept", "merged").filter(pk=merge_id, kept=family).first()
    if merge is None:
        raise scope.not_found("families.familymerge", merge_id)
    return merge
