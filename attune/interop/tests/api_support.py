"""What the API tests share: a token for a system, and a referral body that passes every rule."""

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.actors import Actor
from attune.interop import api_services
from attune.interop.api_models import ApiClient
from attune.organisations.models import Team


def issue(
    admin: User, teams: list[Team], *, name: str = "Health visiting record", days: int = 30
) -> tuple[ApiClient, str]:
    issued = api_services.issue_api_token(
        actor=Actor.system("test", for_user=admin),
        name=name,
        organisation=teams[0].service.provider,
        teams=teams,
        expires_on=timezone.localdate() + dt.timedelta(days=days),
    )
    return issued.client, issued.token


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def call(client: Client, method: str, path: str, token: str | None, body: Any = None, **extra: Any) -> Any:
    headers = bearer(token) if token else {}
    if method == "get":
        return client.get(path, **headers, **extra)
    return client.post(path, body, content_type="application/json", **headers, **extra)


def referral_body(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body: dict[str, Any] = {
        "referrer": {
            "name": "Jo Bloggs",
            "role": "A2",
            "organisation": "Seaside health visiting",
            "email": "jo.bloggs@example.nhs.uk",
            "phone": "",
        },
        "baby": {
            "given_name": "Ava",
            "family_name": "Hughes",
            "date_of_birth": (today - dt.timedelta(days=120)).isoformat(),
            "nhs_number": "943 476 5919",
        },
        "carers": [
            {
                "given_name": "Jade",
                "family_name": "Hughes",
                "relationship": "mother",
                "parental_responsibility": "yes",
                "phone": "07700 900123",
                "phone_is_safe": True,
                "contact_preference": "sms",
            }
        ],
        "address": {"line_1": "1 Promenade", "town": "Seaside", "postcode": "FY1 1AA"},
        "reason": "Mum feels low and finds it hard to feel close to her baby.",
        "stresses": ["parental_mental_health", "bonding"],
        "safeguarding": [],
        "family_agreed": True,
    }
    body.update(changes)
    return body
