"""The header navigation: only what the person's roles let them use."""

from dataclasses import dataclass

from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    capability: Capability | None  # None: everyone signed in


ITEMS = [
    NavItem("Home", "dashboards:home", None),
    NavItem("Teams", "organisations:team_list", Capability.VIEW_TEAM),
    NavItem("Staff accounts", "organisations:staff_list", Capability.MANAGE_ACCOUNTS),
    NavItem("Audit log", "governance:events", Capability.AUDIT),
]


def items_for(scope: Scope) -> list[NavItem]:
    return [item for item in ITEMS if item.capability is None or scope.can(item.capability)]
