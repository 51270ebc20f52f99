"""The API token pages: a system administrator issues a token (shown once, kept only as a hash),
sees the organisation's tokens and revokes one after confirming; nobody else may, and every page
and change is audited."""

import datetime as dt
import hashlib
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing
from attune.interop.api_models import ApiClient
from attune.interop.tests.api_support import call, issue
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World


def expires(days: int) -> dict[str, str]:
    day = timezone.localdate() + dt.timedelta(days=days)
    return {"expires_on-day": str(day.day), "expires_on-month": str(day.month), "expires_on-year": str(day.year)}


def test_issuing_shows_the_token_once_and_keeps_only_its_hash(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    form = client.get("/setup/api-tokens/new")
    assert form.status_code == 200
    assert "Example hub team" in form.content.decode()
    assert "Elsewhere team" not in form.content.decode()
    response = client.post(
        "/setup/api-tokens/new",
        {"name": "Health visiting record", "teams": [str(world.hub.pk), str(world.satellite.pk)], **expires(365)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    token = re.search(r"(attune_[A-Z0-9]{8}_[A-Za-z0-9_-]{40,})", page)
    assert token is not None
    assert "You will not see this token again" in page
    made = ApiClient.objects.get()
    assert made.token_hash == hashlib.sha256(token[1].encode()).hexdigest()
    assert token[1].startswith(made.prefix + "_")
    # The token itself is in no column of the row.
    stored = [str(getattr(made, f.attname)) for f in ApiClient._meta.concrete_fields]
    assert not any(token[1] in value for value in stored)
    assert set(made.teams.all()) == {world.hub, world.satellite}
    assert (made.organisation, made.issued_by) == (world.trust, system_admin)
    issued = AuditEvent.objects.get(action="api.token_issued")
    assert token[1] not in str(issued.detail)
    # It works, and the list never shows it again.
    assert call(Client(), "get", "/api/v1/teams", token[1]).status_code == 200
    listing = client.get("/setup/api-tokens").content.decode()
    assert "Health visiting record" in listing
    assert made.prefix in listing
    assert token[1] not in listing


def test_the_issue_form_says_what_is_missing_and_keeps_what_was_typed(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    response = client.post("/setup/api-tokens/new", {"name": "Reporting tool", **expires(-1)})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select the teams this system may act for" in page
    assert "The last day must be in the future" in page
    assert 'value="Reporting tool"' in page
    far = client.post("/setup/api-tokens/new", {"name": "Tool", "teams": [str(world.hub.pk)], **expires(800)})
    assert "no more than 2 years from today" in far.content.decode()
    assert not ApiClient.objects.exists()


def test_another_organisations_team_cannot_be_chosen(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    response = signed_in(system_admin).post(
        "/setup/api-tokens/new", {"name": "Tool", "teams": [str(world.other_team.pk)], **expires(30)}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_revoking_asks_first_then_stops_the_token(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    made, token = issue(system_admin, [world.hub])
    client = signed_in(system_admin)
    confirm = client.get(f"/setup/api-tokens/{made.pk}/revoke")
    assert "The token stops working at once" in confirm.content.decode()
    made.refresh_from_db()
    assert made.revoked_at is None
    done = client.post(
        f"/setup/api-tokens/{made.pk}/revoke", {"reason": "Replaced by the new record system"}, follow=True
    )
    assert "is revoked. It no longer works." in done.content.decode()
    made.refresh_from_db()
    assert (made.revoked_by, made.revoked_reason) == (system_admin, "Replaced by the new record system")
    assert "Revoked" in done.content.decode()
    assert call(Client(), "get", "/api/v1/teams", token).status_code == 401
    event = AuditEvent.objects.get(action="api.token_revoked")
    assert (event.actor, event.object_id) == (system_admin, str(made.pk))


@pytest.mark.parametrize("who", ["practitioner", "team_lead", "commissioner", "ig_lead", "outsider"])
def test_only_system_administrators_see_the_pages(
    signed_in: Callable[[User], Client], system_admin: User, world: World, who: str, request: pytest.FixtureRequest
) -> None:
    made, _ = issue(system_admin, [world.hub])
    client = signed_in(request.getfixturevalue(who))
    for url in ("/setup/api-tokens", "/setup/api-tokens/new", f"/setup/api-tokens/{made.pk}"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/setup/api-tokens/{made.pk}/revoke").status_code == 403
    made.refresh_from_db()
    assert made.revoked_at is None
    assert AuditEvent.objects.filter(action="access.refused", outcome="denied").count() == 4


def test_another_organisations_administrator_finds_no_token(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    made, _ = issue(system_admin, [world.hub])
    stranger = User.objects.create_user(email="admin@elsewhere.example", full_name="Eli Elsewhere")
    MembershipFactory(user=stranger, role=Role.SYSTEM_ADMIN, team=None, organisation=world.other_trust)
    client = signed_in(stranger)
    assert client.get(f"/setup/api-tokens/{made.pk}").status_code == 404
    assert client.post(f"/setup/api-tokens/{made.pk}/revoke").status_code == 404
    assert "Health visiting record" not in client.get("/setup/api-tokens").content.decode()
    assert AuditEvent.objects.filter(action="access.refused", outcome="not_found").count() == 2


def test_pages_are_audited(signed_in: Callable[[User], Client], system_admin: User, world: World) -> None:
    made, _ = issue(system_admin, [world.hub])
    client = signed_in(system_admin)
    client.get("/setup/api-tokens")
    client.get(f"/setup/api-tokens/{made.pk}")
    listed = AuditEvent.objects.get(action="api.tokens_listed")
    viewed = AuditEvent.objects.get(action="api.token_viewed")
    assert (listed.actor, listed.detail["count"]) == (system_admin, 1)
    assert (viewed.object_id, viewed.role) == (str(made.pk), "System administrator, Example Hospitals NHS FT")


def test_token_list_query_count_does_not_grow(
    signed_in: Callable[[User], Client], system_admin: User, world: World
) -> None:
    client = signed_in(system_admin)
    count = iter(range(1000))
    assert_flat(
        grow=growing(
            lambda: issue(system_admin, [world.hub, world.satellite], name=f"System {next(count)}"),
            ApiClient.objects.count,
        ),
        fetch=lambda: client.get("/setup/api-tokens"),
    )


def test_token_page_query_count(signed_in: Callable[[User], Client], system_admin: User, world: World) -> None:
    from attune.core.testing.queries import PAGE_BUDGET, queries_for

    made, _ = issue(system_admin, [world.hub, world.satellite])
    client = signed_in(system_admin)
    client.get(f"/setup/api-tokens/{made.pk}")
    assert queries_for(lambda: client.get(f"/setup/api-tokens/{made.pk}")) <= PAGE_BUDGET
