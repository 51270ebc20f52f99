"""A signed-out request for a staff page is sent to sign in (302) with a `next` that brings the
person back to that page once both factors pass; a `next` pointing off the site is ignored.
Public pages (the referral form, the parent's questionnaire link, the health check, sign-in
itself, accessibility) answer without sign-in."""

import re
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from attune.accounts.models import User
from attune.accounts.tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from attune.accounts.tests.helpers import SECURITY_CODE, code_for, enter_code, enter_password
from attune.care.tests.factories import open_episode
from attune.organisations.tests.world import World

# Views that need no sign-in, by URL name. A new public page is added here on purpose.
# The API answers other systems with its own bearer tokens, 401 without one, never a sign-in page
# (interop/tests/test_api_calls.py, ADR 0022).
PUBLIC_NAMESPACES = ("refer:", "interop:api:")
PUBLIC = {
    "outcomes:parent_thanks",
    "outcomes:parent_start",
    "outcomes:parent_check",
    "outcomes:parent_questionnaire",
    "outcomes:parent_consent",
    "healthz",
    "core:accessibility",
    "core:clinical_safety",
    "accounts:sign_in",
    "accounts:security_code",
    "accounts:set_up_two_factor",
    "accounts:forgot_password",
    "accounts:reset_link_sent",
    "accounts:set_up",
    "accounts:reset",
}
SAMPLE = {"uuid": str(uuid.UUID(int=1)), "int": "1", "slug": "x", "str": "x", "path": "x"}


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, route, inner)
        else:
            yield f"{namespace}{entry.name or ''}", route


def _url(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


def _is_public(name: str) -> bool:
    return name in PUBLIC or name.startswith(PUBLIC_NAMESPACES)


STAFF_PAGES = [(name, _url(route)) for name, route in _routes(get_resolver().url_patterns) if not _is_public(name)]


def test_the_list_of_staff_pages_is_not_empty() -> None:
    assert len(STAFF_PAGES) > 50
    assert ("families:family", f"/families/{SAMPLE['uuid']}") in STAFF_PAGES


@pytest.mark.parametrize(("name", "url"), STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_every_staff_page_sends_a_signed_out_person_to_sign_in_and_back(
    client: Client, db: None, name: str, url: str
) -> None:
    UserFactory()  # with no account at all, "/" says how to set Attune up instead (issue 15)
    response = client.get(url)
    assert response.status_code == 302, f"{name} answered {response.status_code} to a signed-out person"
    assert response["Location"] == f"/sign-in?next={quote(url)}"


def test_a_signed_out_family_page_request_goes_to_sign_in_then_lands_on_the_family(
    client: Client, world: World, practitioner: User
) -> None:
    family = open_episode(world.hub, practitioner, opened_at=timezone.now()).family
    device = TOTPDeviceFactory(user=practitioner)
    page = f"/families/{family.pk}"

    sent = client.get(page)
    assert sent.status_code == 302
    assert sent["Location"] == f"/sign-in?next={page}"

    assert client.get(sent["Location"]).status_code == 200
    signed = client.post(sent["Location"], {"email": practitioner.email, "password": PASSWORD})
    assert signed["Location"] == SECURITY_CODE
    landed = enter_code(client, code_for(device))
    assert landed.status_code == 302
    assert landed["Location"] == page
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example", "https://evil.example", "//evil.example/families", "https:/evil.example/", "\\\\evil.example"],
)
def test_an_off_site_next_is_ignored(client: Client, person: User, next_url: str) -> None:
    enter_password(client, person.email, next_url=quote(next_url, safe=""))
    landed = enter_code(client, code_for(person.totpdevice_set.get()))
    assert landed.status_code == 302
    assert landed["Location"] == "/"


@pytest.mark.parametrize("url", ["/refer", "/healthz", "/sign-in", "/accessibility", "/q/not-a-real-token"])
def test_public_pages_answer_without_sign_in(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code != 302 or not response["Location"].startswith("/sign-in")
