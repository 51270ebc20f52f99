"""The header navigation: only what the person's roles let them use."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from attune.organisations.models import TeamKind
from attune.organisations.roles import Capability, Role, roles_with
from attune.organisations.scope import Scope


def leads_a_hub(scope: Scope) -> bool:
    """Leads a hub team (the memberships are loaded with their teams: no query). A hub's lead
    records and checks the funding agreements of the hub and its satellites."""
    leading = roles_with(Capability.LEAD_TEAM)
    return any(
        Role(m.role) in leading and m.team is not None and m.team.kind == TeamKind.HUB for m in scope.memberships
    )


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    capability: Capability | None  # None: everyone signed in
    # Pages under another item's address that belong to this section (a team's inbox is a
    # Referrals page though its address starts /teams/).
    also: tuple[str, ...] = field(default=())
    # A further test beyond the capability (None: the capability is enough).
    only_if: Callable[[Scope], bool] | None = None

    def claims(self, path: str) -> bool:
        return any(re.match(pattern, path) for pattern in self.also)


ITEMS = [
    NavItem("Home", "dashboards:home", None),
    NavItem(
        "Referrals",
        "referrals:teams",
        Capability.WORK_WITH_FAMILIES,
        also=(r"^/teams/[^/]+/referrals$", r"^/families/"),
    ),
    NavItem(
        "Waiting list",
        "care:waiting_teams",
        Capability.LEAD_TEAM,
        also=(r"^/teams/[^/]+/waiting-list", r"^/teams/[^/]+/caseloads"),
    ),
    NavItem("Caseload", "care:my_caseload", Capability.WORK_WITH_FAMILIES, also=(r"^/episodes/",)),
    NavItem(
        "Diary",
        "care:my_diary",
        Capability.WORK_WITH_FAMILIES,
        also=(r"^/appointments/", r"^/teams/[^/]+/diary", r"^/teams/[^/]+/sites/diary"),
    ),
    NavItem("Supervision", "supervision:sessions", Capability.WORK_WITH_FAMILIES, also=(r"^/teams/[^/]+/supervision",)),
    NavItem("Training", "workforce:trainees", Capability.WORK_WITH_FAMILIES),
    # A hub's team lead records the funding agreements, so has them in the header (before Reports,
    # so the funding pages are its section); anyone else reaches them from Reports.
    NavItem("Funding", "commissioning:agreements", Capability.LEAD_TEAM, also=(r"^/funding",), only_if=leads_a_hub),
    NavItem("Reports", "reports:index", Capability.VIEW_AGGREGATES, also=(r"^/funding",)),
    NavItem(
        "Teams", "organisations:team_list", Capability.VIEW_TEAM, also=(r"^/teams/[^/]+/(posts|activities|costs)",)
    ),
    NavItem("Staff accounts", "organisations:staff_list", Capability.MANAGE_ACCOUNTS),
    NavItem("Set-up", "setup:index", Capability.SET_UP),
    NavItem("Audit log", "governance:events", Capability.AUDIT),
]


def items_for(scope: Scope) -> list[NavItem]:
    return [
        item
        for item in ITEMS
        if (item.capability is None or scope.can(item.capability)) and (item.only_if is None or item.only_if(scope))
    ]


def active_item(items: list[NavItem], hrefs: dict[NavItem, str], path: str) -> NavItem | None:
    """The section a page belongs to: an item that claims it, else the item whose address is
    the page's or the longest one the page sits under."""
    for item in items:
        if item.claims(path):
            return item
    under = [
        item for item in items if path == hrefs[item] or (hrefs[item] != "/" and path.startswith(hrefs[item] + "/"))
    ]
    return max(under, key=lambda item: len(hrefs[item]), default=None)
