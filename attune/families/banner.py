"""The safeguarding banner that every page about a family shows: its active flags, its open
referrals to children's social care, and its risk alerts. Every family-scoped view builds it here,
so no page can leave it out or fetch it twice."""

from dataclasses import dataclass, field

from attune.families import safeguarding_scope
from attune.families.models import Family, FamilyAlert, SafeguardingFlag
from attune.families.presenters import Banner, banner_items
from attune.families.safeguarding_models import ReferralOutcome
from attune.families.safeguarding_presenters import banner_line


@dataclass(frozen=True)
class SafeguardingBanner(Banner):
    """The banner with a line per open safeguarding referral and its current outcome."""

    referrals: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.flags or self.alerts or self.referrals)


def banner_for(
    family: Family,
    *,
    flags: list[SafeguardingFlag] | None = None,
    alerts: list[FamilyAlert] | None = None,
    keep_referrals: bool = False,
) -> SafeguardingBanner:
    """The family's banner. Flags, alerts and open referrals come in one query, or fewer parts of
    it when the page already holds them (prefetched with what else it shows). With
    `keep_referrals` the query reads closed referrals too and leaves them all on the family for
    the family page's list of referrals (safeguarding_scope.referrals_of), which then costs none."""
    rows = safeguarding_scope.banner_rows(family, flags=flags is None, alerts=alerts is None, closed=keep_referrals)
    if keep_referrals:
        setattr(family, safeguarding_scope.KEPT, rows.referrals)
    base = banner_items(rows.flags if flags is None else flags, rows.alerts if alerts is None else alerts)
    shown = [referral for referral in rows.referrals if referral.current_status != ReferralOutcome.CLOSED]  # type: ignore[attr-defined]
    return SafeguardingBanner(flags=base.flags, alerts=base.alerts, referrals=[banner_line(r) for r in shown])
