"""Scoped look-ups for family records: a family is seen by people who work with families in the
team responsible for it (ADR 0002). Later apps widen this (a supervisor who discussed the family
in supervision) through their own rules, never by bypassing these."""

import uuid
from collections.abc import Callable

from attune.families import safeguarding_scope
from attune.families.models import Family, FamilyAlert, FamilyMerge, FamilyQuerySet, Infant, SafeguardingFlag
from attune.families.presenters import RecordSection
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def families(scope: Scope) -> FamilyQuerySet:
    return Family.objects.filter(team_id__in=scope.team_ids(Capability.WORK_WITH_FAMILIES))


def get_family(scope: Scope, family_id: uuid.UUID) -> Family:
    """The family (merged records too: the view sends the reader on to the kept one)."""
    return scope.get(
        Family.objects.select_related("team", "local_authority"), family_id, act=Capability.WORK_WITH_FAMILIES
    )


def may_audit(scope: Scope, family: Family) -> bool:
    """Whether the reader may also see who has seen this family: an IG lead of the organisation
    that owns it (as its audit subject says), who also works with families in its team."""
    if not scope.can(Capability.AUDIT):
        return False
    return family.team.service.provider_id in scope.organisation_ids(Capability.AUDIT)


def get_flag(scope: Scope, family: Family, flag_id: uuid.UUID) -> SafeguardingFlag:
    return scope.get(family.safeguarding_flags.all(), flag_id, team=None)


def get_merge(scope: Scope, family: Family, merge_id: uuid.UUID) -> FamilyMerge:
    return scope.get(FamilyMerge.objects.select_related("kept", "merged").filter(kept=family), merge_id, team=None)


# Added for the family pages -------------------------------------------------------------------


def get_infant(scope: Scope, family: Family, infant_id: uuid.UUID) -> Infant:
    return scope.get(family.infants.all(), infant_id, team=None)


def flags_of(family: Family) -> list[SafeguardingFlag]:
    """Every flag on the family, active and removed, oldest first, with who raised and removed it."""
    return list(family.safeguarding_flags.select_related("raised_by", "removed_by").order_by("created_at"))


def active_flags_of(family: Family) -> list[SafeguardingFlag]:
    return list(family.safeguarding_flags.active().select_related("raised_by").order_by("created_at"))


def active_alerts_of(family: Family) -> list[FamilyAlert]:
    """Risk alerts on the family not yet closed by recording the action taken (the banner)."""
    return list(FamilyAlert.objects.active().filter(family=family).order_by("created_at"))


def banner_of(family: Family) -> tuple[list[SafeguardingFlag], list[FamilyAlert]]:
    """The family's active safeguarding flags and active risk alerts, for the banner, in ONE
    query (safeguarding_scope.banner_rows, which reads the open referrals in it too)."""
    rows = safeguarding_scope.banner_rows(family)
    return rows.flags, rows.alerts


def merges_into(family: Family) -> list[FamilyMerge]:
    """Records merged into this family (undone ones too), newest first."""
    return list(family.merges_in.select_related("merged", "merged_by", "undone_by").order_by("-created_at"))


def merged_away(family: Family) -> FamilyMerge | None:
    """The merge that folded this record into another, if it stands."""
    return family.merges_out.filter(undone_at__isnull=True).select_related("merged_by").order_by("-created_at").first()


# The family page lists records that later apps keep about the family (referrals, episodes)
# without this app importing them: each registers a source here, as apps register audit subjects.
RelatedSource = Callable[[Scope, Family], RecordSection]
_related: dict[str, RelatedSource] = {}


def register_related(name: str, source: RelatedSource) -> None:
    _related[name] = source


def related_sections(scope: Scope, family: Family) -> list[RecordSection]:
    return [source(scope, family) for _, source in sorted(_related.items())]
