"""The safeguarding banner that every page about a family shows: its active flags and risk
alerts. Every family-scoped view builds it here, so no page can leave it out or fetch it twice."""

from attune.families import scope as family_scope
from attune.families.models import Family, FamilyAlert, SafeguardingFlag
from attune.families.presenters import Banner, banner_items


def banner_for(
    family: Family, *, flags: list[SafeguardingFlag] | None = None, alerts: list[FamilyAlert] | None = None
) -> Banner:
    """The family's banner. Flags and alerts come in one query, or fewer when the page already
    holds them (prefetched with what else it shows)."""
    if flags is None and alerts is None:
        return banner_items(*family_scope.banner_of(family))
    if flags is None:
        flags = family_scope.active_flags_of(family)
    if alerts is None:
        alerts = family_scope.active_alerts_of(family)
    return banner_items(flags, alerts)
