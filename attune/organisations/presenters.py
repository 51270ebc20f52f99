"""What the organisation pages show, built from models without touching the database."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.accounts.models import User
from attune.core.formatting import date_long
from attune.organisations.models import Membership, Site, Team, TeamKind


@dataclass(frozen=True)
class TeamSummary:
    team: Team

    @property
    def kind_tag(self) -> dict[str, str]:
        colour = "blue" if self.team.kind == TeamKind.HUB else "purple"
        return {"text": self.team.get_kind_display(), "classes": f"nhsuk-tag--{colour}"}

    @property
    def relationship(self) -> str:
        if self.team.hub is not None:
            return f"Satellite of {self.team.hub.name}, which supervises it"
        return "Hub team"

    def summary_rows(self) -> list[dict[str, Any]]:
        rows = [
            {"key": {"text": "Service"}, "value": {"text": self.team.service.name}},
            {"key": {"text": "Provider"}, "value": {"text": self.team.service.provider.name}},
            {"key": {"text": "Commissioner"}, "value": {"text": self.team.service.commissioner.name}},
            {"key": {"text": "Type"}, "value": {"text": self.relationship}},
        ]
        if self.team.local_authority is not None:
            rows.append({"key": {"text": "Area served"}, "value": {"text": self.team.local_authority.name}})
        return rows


def member_rows(memberships: list[Membership]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": m.user.full_name},
            {"text": m.get_role_display()},
            {"text": date_long(m.starts_on)},
            {"text": date_long(m.ends_on) if m.ends_on else "No end date"},
        ]
        for m in memberships
    ]


def site_rows(sites: list[Site]) -> list[list[dict[str, str]]]:
    return [
        [{"text": s.name}, {"text": s.get_kind_display()}, {"text": ", ".join(p for p in [s.address, s.postcode] if p)}]
        for s in sites
    ]


def account_status_tag(user: User, locked: bool = False) -> dict[str, str]:
    if not user.is_active:
        return {"text": "Disabled", "classes": "nhsuk-tag--grey"}
    if locked:
        return {"text": "Locked out", "classes": "nhsuk-tag--red"}
    return {"text": "Active", "classes": "nhsuk-tag--green"}


def staff_rows(staff: list[User]) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for user in staff:
        tag = account_status_tag(user)
        rows.append(
            [
                {
                    "html": format_html(
                        '<a href="{}">{}</a>', reverse("organisations:staff_detail", args=[user.pk]), user.full_name
                    )
                },
                {"text": user.email},
                {"html": format_html('<strong class="nhsuk-tag {}">{}</strong>', tag["classes"], tag["text"])},
            ]
        )
    return rows
