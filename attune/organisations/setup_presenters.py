"""What the set-up pages show: table rows with links, built from models without the database."""

from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from attune.organisations.models import Organisation, Service, Site, Team

Row = list[dict[str, Any]]


def _link(url_name: str, pk: Any, text: str, *args: Any) -> dict[str, Any]:
    return {"html": format_html('<a href="{}">{}</a>', reverse(url_name, args=[*args, pk]), text)}


def organisation_rows(organisations: list[Organisation]) -> list[Row]:
    return [
        [_link("setup:organisation", o.pk, o.name), {"text": o.get_kind_display()}, {"text": o.code}]
        for o in organisations
    ]


def service_rows(services: list[Service]) -> list[Row]:
    return [
        [_link("setup:service", s.pk, s.name), {"text": s.provider.name}, {"text": s.commissioner.name}]
        for s in services
    ]


def team_relationship(team: Team) -> str:
    return f"Satellite of {team.hub.name}" if team.hub is not None else "Hub team"


def team_rows(teams: list[Team]) -> list[Row]:
    return [
        [
            _link("setup:team", t.pk, t.name),
            {"text": t.service.name},
            {"text": team_relationship(t)},
            _link("setup:sites", t.pk, "Sites and rooms"),
        ]
        for t in teams
    ]


def site_rows(sites: list[Site]) -> list[Row]:
    return [
        [
            _link("setup:site", s.pk, s.name),
            {"text": s.get_kind_display()},
            {"text": ", ".join(p for p in [s.address.replace("\n", ", "), s.postcode] if p) or "Not recorded"},
            {"text": s.opening_hours or "Not recorded"},
            _link("care:rooms", s.pk, f"Rooms ({len(s.rooms.all())})"),
        ]
        for s in sites
    ]
