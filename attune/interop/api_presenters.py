"""What the API token pages show: each token's state as a tag, the list's rows and a token's
summary, built from the models without touching the database (the scope prefetched the teams)."""

import datetime as dt

from django.urls import reverse
from django.utils.html import format_html

from attune.core.formatting import date_long, datetime_long
from attune.core.rows import SummaryRow, TableRow
from attune.families.presenters import tag_html
from attune.interop.api_models import ApiClient


def state(client: ApiClient, today: dt.date) -> tuple[str, str]:
    """(words, tag colour)."""
    if client.revoked_at is not None:
        return "Revoked", "red"
    if client.has_expired(today):
        return "Expired", "grey"
    return "Active", "green"


def state_tag(client: ApiClient, today: dt.date) -> str:
    return tag_html(*state(client, today))


def team_names(client: ApiClient) -> str:
    return ", ".join(sorted(team.name for team in client.teams.all()))


def last_used(client: ApiClient) -> str:
    return datetime_long(client.last_used_at) if client.last_used_at else "Never"


def client_url(client: ApiClient) -> str:
    return reverse("interop:api_token", args=[client.pk])


def list_rows(clients: list[ApiClient], today: dt.date) -> list[TableRow]:
    return [
        [
            {
                "html": format_html(
                    '<a href="{}">{}</a><br><span class="nhsuk-body-s">{}</span>',
                    client_url(client),
                    client.name,
                    client.prefix,
                )
            },
            {"text": team_names(client)},
            {"text": date_long(client.expires_on)},
            {"text": last_used(client)},
            {"html": state_tag(client, today)},
        ]
        for client in clients
    ]


def summary_rows(client: ApiClient, today: dt.date) -> list[SummaryRow]:
    rows: list[SummaryRow] = [
        {"key": {"text": "Status"}, "value": {"html": state_tag(client, today)}},
        {"key": {"text": "Starts with"}, "value": {"text": client.prefix}},
        {"key": {"text": "Teams it may act for"}, "value": {"text": team_names(client)}},
        {
            "key": {"text": "Issued"},
            "value": {"text": f"{datetime_long(client.issued_at)} by {client.issued_by.full_name}"},
        },
        {"key": {"text": "Last day it works"}, "value": {"text": date_long(client.expires_on)}},
        {"key": {"text": "Last used"}, "value": {"text": last_used(client)}},
    ]
    if client.revoked_at is not None and client.revoked_by is not None:
        revoked = f"{datetime_long(client.revoked_at)} by {client.revoked_by.full_name}"
        if client.revoked_reason:
            revoked += f": {client.revoked_reason}"
        rows.append({"key": {"text": "Revoked"}, "value": {"text": revoked}})
    return rows
