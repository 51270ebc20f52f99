"""The API as another system meets it: bearer tokens and their refusals, team scope, the rate
limit, one audit event per call, and each endpoint (a referral, the waiting list, report tables,
a FHIR ServiceRequest)."""

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from attune.accounts.models import User
from attune.care.tests.factories import waiting_referral, waiting_referrals
from attune.core.formatting import LONDON, date_long
from attune.core.models import AuditEvent
from attune.core.testing.queries import assert_flat, growing_in_bulk
from attune.interop.api_models import ApiClient
from attune.interop.tests.api_support import call, issue, referral_body
from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.referrals.codes import Priority
from attune.referrals.models import Referral
from attune.referrals.workflow import Status

SAMPLES = Path(__file__).parent / "samples"


def calls() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="api.called").order_by("id"))


# Tokens -----------------------------------------------------------------------------------------


def test_a_valid_token_lists_only_its_teams(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    response = call(client, "get", "/api/v1/teams", token)
    assert response.status_code == 200
    assert [team["name"] for team in response.json()] == ["Example hub team"]
    assert "no-store" in response["Cache-Control"]


def test_no_token_is_refused_with_how_to_send_one(client: Client, world: World) -> None:
    for headers in ({}, {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}, {"HTTP_AUTHORIZATION": "Bearer "}):
        response = client.get("/api/v1/teams", **headers)
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Send a token in the Authorization header")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    response = call(client, "get", "/api/v1/teams", token[:-2] + "xx")
    assert response.status_code == 401
    assert "This token is not recognised" in response.json()["detail"]


def test_a_revoked_token_says_when_it_was_revoked(client: Client, world: World, system_admin: User) -> None:
    from attune.core.actors import Actor
    from attune.interop import api_services

    api_client, token = issue(system_admin, [world.hub])
    api_services.revoke_api_token(actor=Actor.system("test", for_user=system_admin), client=api_client)
    response = call(client, "get", "/api/v1/teams", token)
    assert response.status_code == 401
    today = date_long(timezone.localdate())
    assert response.json()["detail"] == (
        f"This token was revoked on {today}; ask your system administrator for a new one"
    )
    # The refusal names the system whose token it was.
    [event] = calls()
    assert (event.object_id, event.outcome) == (str(api_client.pk), "denied")
    assert event.actor_label.startswith("API: Health visiting record")


def test_a_token_works_on_its_last_day_and_not_after(client: Client, world: World, system_admin: User) -> None:
    api_client, token = issue(system_admin, [world.hub], days=3)
    last_day = dt.datetime.combine(api_client.expires_on, dt.time(23, 0), tzinfo=LONDON)
    with time_machine.travel(last_day, tick=False):
        assert call(client, "get", "/api/v1/teams", token).status_code == 200
    with time_machine.travel(last_day + dt.timedelta(hours=2), tick=False):
        response = call(client, "get", "/api/v1/teams", token)
    assert response.status_code == 401
    assert response.json()["detail"] == (
        f"This token expired on {date_long(api_client.expires_on)}; ask your system administrator for a new one"
    )


def test_last_used_is_noted(client: Client, world: World, system_admin: User) -> None:
    api_client, token = issue(system_admin, [world.hub])
    assert api_client.last_used_at is None
    call(client, "get", "/api/v1/teams", token)
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_a_session_is_not_a_token(signed_in, system_admin: User, world: World) -> None:
    """A browser signed in to Attune gets no further on the API than anyone else."""
    response = signed_in(system_admin).get("/api/v1/teams")
    assert response.status_code == 401


# Team scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["satellite", "other_team", "made_up"])
def test_a_team_the_token_may_not_act_for_is_not_found(
    client: Client, world: World, system_admin: User, which: str
) -> None:
    import uuid

    _, token = issue(system_admin, [world.hub])
    team_id = uuid.uuid4() if which == "made_up" else getattr(world, which).pk
    response = call(client, "get", f"/api/v1/teams/{team_id}/waiting-list", token)
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no team with this id that this token may act for"
    [event] = calls()
    assert (event.outcome, event.detail["team"], event.detail["status"]) == ("not_found", str(team_id), 404)


def test_a_malformed_team_id_is_a_field_problem(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    response = call(client, "get", "/api/v1/teams/not-a-team/waiting-list", token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "team_id"


# Rate limit -------------------------------------------------------------------------------------


@override_settings(ATTUNE_API_RATE="3/m")
def test_too_many_calls_get_429_with_when_to_try_again(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    _, other = issue(system_admin, [world.hub], name="Reporting tool")
    assert [call(client, "get", "/api/v1/teams", token).status_code for _ in range(3)] == [200, 200, 200]
    refused = call(client, "get", "/api/v1/teams", token)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many calls: this token may make 3 a m")
    # Counted per token: another system is not held up.
    assert call(client, "get", "/api/v1/teams", other).status_code == 200
    assert calls()[3].outcome == "failure"
    assert calls()[3].detail["status"] == 429


@override_settings(ATTUNE_API_REFUSED_PER_MINUTE=3)
def test_an_address_sending_refused_tokens_is_slowed_and_audited_once_past_the_limit(
    client: Client, world: World, system_admin: User
) -> None:
    _, token = issue(system_admin, [world.hub])
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 0, 5, tzinfo=LONDON), tick=False):
        answers = [call(client, "get", "/api/v1/teams", "attune_NOPE_nope").status_code for _ in range(3)]
        assert answers == [401, 401, 401]
        flooded = call(client, "get", "/api/v1/teams", None)
        assert flooded.status_code == 429
        assert flooded.json()["detail"] == (
            "Too many calls with a token that is refused, from this address. Try again in 55 seconds"
        )
        assert flooded["Retry-After"] == "55"
        assert call(client, "get", "/api/v1/teams", "attune_NOPE_nope").status_code == 429
        # A valid token from the same address is answered as usual, and so is another address.
        assert call(client, "get", "/api/v1/teams", token).status_code == 200
        assert call(client, "get", "/api/v1/teams", "attune_NOPE_nope", REMOTE_ADDR="192.0.2.9").status_code == 401
    # Each refusal up to the limit is audited, then the first 429 only: the log cannot be flooded.
    assert [event.detail["status"] for event in calls()] == [401, 401, 401, 429, 200, 401]
    # The next minute counts afresh.
    with time_machine.travel(dt.datetime(2025, 3, 4, 10, 1, 1, tzinfo=LONDON), tick=False):
        assert call(client, "get", "/api/v1/teams", "attune_NOPE_nope").status_code == 401


# Audit ------------------------------------------------------------------------------------------


def test_every_call_is_audited_with_the_system_as_actor(client: Client, world: World, system_admin: User) -> None:
    api_client, token = issue(system_admin, [world.hub])
    call(client, "get", "/api/v1/teams", token, HTTP_X_REQUEST_ID="req-abc-12345")
    call(client, "get", "/api/v1/teams", "attune_NOPE_nope")
    call(client, "get", f"/api/v1/teams/{world.hub.pk}/waiting-list", token)
    first, refused, waiting = calls()
    assert first.actor_id is None
    assert first.actor_label == f"API: Health visiting record ({api_client.prefix})"
    assert (first.object_type, first.object_id, first.outcome) == ("interop.apiclient", str(api_client.pk), "success")
    assert first.request_id == "req-abc-12345"
    assert first.detail["operation"] == "teams"
    assert (refused.actor_label, refused.outcome, refused.object_id) == ("API: no valid token", "denied", "")
    assert "not recognised" in refused.detail["answer"]
    assert (waiting.detail["operation"], waiting.detail["team"]) == ("waiting_list", str(world.hub.pk))


def test_the_documentation_is_public_and_not_audited(client: Client, world: World) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/teams/{team_id}/referrals" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "POST <code>/api/v1/teams/{team_id}/referrals</code>" in page
    assert "<code>baby.date_of_birth</code>" in page
    assert "swagger" not in page.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert calls() == []


# A referral -------------------------------------------------------------------------------------


def test_a_referral_arrives_in_the_team_inbox_and_the_referrer_is_told(
    client: Client, world: World, system_admin: User
) -> None:
    _, token = issue(system_admin, [world.hub])
    response = call(client, "post", f"/api/v1/teams/{world.hub.pk}/referrals", token, referral_body())
    assert response.status_code == 201, response.content
    answer = response.json()
    referral = Referral.objects.get(reference=answer["reference"])
    assert (referral.team, referral.status, referral.source) == (world.hub, Status.RECEIVED.value, "A2")
    assert referral.referrer_role == "Health visitor"
    assert referral.submitted["form"] == "api"
    assert referral.family.local_authority == world.hub_area
    infant = referral.family.infants.get()
    assert (infant.given_name, infant.nhs_number) == ("Ava", "9434765919")
    assert answer["acknowledgement"].startswith("An acknowledgement is sent to jo.bloggs@example.nhs.uk")
    assert (
        Message.objects.about("referrals.referral", str(referral.pk))
        .filter(template__startswith="referral_received")
        .exists()
    )
    received = AuditEvent.objects.get(action="referral.received")
    assert received.actor_label.startswith("API: Health visiting record")
    [event] = calls()
    assert event.detail["referral"] == referral.reference


def test_a_call_needs_no_csrf_token(world: World, system_admin: User) -> None:
    """CSRF protects cookies; the API reads none, so another system posts without one."""
    _, token = issue(system_admin, [world.hub])
    strict = Client(enforce_csrf_checks=True)
    response = call(strict, "post", f"/api/v1/teams/{world.hub.pk}/referrals", token, referral_body())
    assert response.status_code == 201


def test_a_referral_that_breaks_the_rules_gets_every_problem_and_changes_nothing(
    client: Client, world: World, system_admin: User
) -> None:
    _, token = issue(system_admin, [world.hub])
    body = referral_body(reason="   ", family_agreed=False)
    body["baby"]["nhs_number"] = "943 476 5918"
    body["carers"][0]["phone_is_safe"] = None
    body["address"]["postcode"] = "NOT A CODE"
    body["referrer"]["email"] = "jo at example"
    response = call(client, "post", f"/api/v1/teams/{world.hub.pk}/referrals", token, body)
    assert response.status_code == 422
    problems = {problem["field"]: problem["message"] for problem in response.json()["errors"]}
    assert problems == {
        "family_agreed": "A referral needs the family's agreement. Talk to them first, then send it",
        "referrer.email": "Enter an email address in the correct format, like name@example.com",
        "baby.nhs_number": "Enter a valid NHS number: 10 digits with a correct check digit, like 943 476 5919",
        "carers.0.phone_is_safe": "Say whether it is safe to send text messages to this phone or leave messages on it",
        "address.postcode": "Enter a real postcode, like BB1 7DJ",
        "reason": "Enter why the family is being referred",
    }
    assert response.json()["detail"] == "The request has 6 problems: see errors"
    assert not Referral.objects.exists()
    assert calls()[0].outcome == "failure"


def test_a_body_of_the_wrong_shape_is_named_field_by_field(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    body = referral_body(carers=[])
    body["baby"]["date_of_birth"] = "12/03/2025"
    body["referrer"]["role"] = "B1"
    del body["reason"]
    response = call(client, "post", f"/api/v1/teams/{world.hub.pk}/referrals", token, body)
    assert response.status_code == 422
    problems = {problem["field"]: problem["message"] for problem in response.json()["errors"]}
    assert problems["baby.date_of_birth"] == "Enter a date as YYYY-MM-DD, like 2025-03-12"
    assert problems["carers"] == "Give at least 1"
    assert problems["reason"] == "This is required"
    assert problems["referrer.role"].startswith("Choose one of: 'A1', 'A2'")
    bad_json = client.post(
        f"/api/v1/teams/{world.hub.pk}/referrals",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"].startswith("The body is not valid JSON")


def test_a_baby_too_old_for_the_team_is_refused_with_the_rule(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    body = referral_body()
    body["baby"]["date_of_birth"] = (timezone.localdate() - dt.timedelta(days=6 * 366)).isoformat()
    response = call(client, "post", f"/api/v1/teams/{world.hub.pk}/referrals", token, body)
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["field"] == "baby.date_of_birth"
    assert "This team works with children" in problem["message"]


# FHIR -------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=LONDON), tick=False)
def test_a_fhir_service_request_becomes_a_referral_once(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    payload = json.loads((SAMPLES / "service_request_contained.json").read_text())
    first = call(client, "post", "/api/v1/fhir/ServiceRequest", token, payload)
    assert first.status_code == 201, first.content
    assert Referral.objects.get(reference=first.json()["reference"]).team == world.hub
    again = call(client, "post", f"/api/v1/fhir/ServiceRequest?team={world.hub.pk}", token, payload)
    assert again.status_code == 409
    assert first.json()["reference"] in again.json()["detail"]
    wrong = call(client, "post", "/api/v1/fhir/ServiceRequest", token, {"resourceType": "Patient"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["message"]


def test_a_fhir_call_must_name_the_team_when_the_token_has_two(
    client: Client, world: World, system_admin: User
) -> None:
    _, token = issue(system_admin, [world.hub, world.satellite])
    response = call(client, "post", "/api/v1/fhir/ServiceRequest", token, {"resourceType": "ServiceRequest"})
    assert response.status_code == 404
    assert "name the team with ?team=" in response.json()["detail"]


# The waiting list -------------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 25, 11, tzinfo=LONDON)


@time_machine.travel(NOW, tick=False)
def test_waiting_list_counts_by_priority_and_weeks_waited(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    waiting_referral(world.hub, priority=Priority.URGENT, received_at=NOW - dt.timedelta(days=3))
    waiting_referral(world.hub, received_at=NOW - dt.timedelta(days=28))  # exactly 4 weeks
    waiting_referral(world.hub, priority=Priority.SOON, received_at=NOW - dt.timedelta(days=100))
    waiting_referral(world.hub, received_at=NOW - dt.timedelta(days=140))
    waiting_referral(world.satellite, received_at=NOW - dt.timedelta(days=300))  # another team
    response = call(client, "get", f"/api/v1/teams/{world.hub.pk}/waiting-list", token)
    assert response.status_code == 200
    found = response.json()
    assert (found["waiting"], found["urgent"], found["soon"], found["routine"]) == (4, 1, 1, 2)
    assert found["priority_not_set"] == 0
    assert [band["families"] for band in found["by_weeks_waited"]] == [1, 1, 0, 1, 1]
    assert found["by_weeks_waited"][4] == {
        "label": "18 weeks or more",
        "from_weeks": 18,
        "to_weeks": None,
        "families": 1,
    }
    assert found["longest_wait_days"] == 140


def test_waiting_list_query_count_does_not_grow(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    assert_flat(
        grow=growing_in_bulk(
            lambda count: waiting_referrals(world.hub, count), lambda: Referral.objects.filter(team=world.hub).count()
        ),
        fetch=lambda: call(client, "get", f"/api/v1/teams/{world.hub.pk}/waiting-list", token),
    )


def test_teams_query_count_does_not_grow(client: Client, world: World, system_admin: User) -> None:
    from attune.organisations.tests.factories import SatelliteTeamFactory

    def add(count: int) -> None:
        api_client = ApiClient.objects.get()
        api_client.teams.add(*[SatelliteTeamFactory(hub=world.hub, name=f"Satellite {i}") for i in range(count)])

    _, token = issue(system_admin, [world.hub])
    assert_flat(
        grow=growing_in_bulk(add, lambda: ApiClient.objects.get().teams.count()),
        fetch=lambda: call(client, "get", "/api/v1/teams", token),
    )


def test_sending_a_referral_costs_the_same_however_many_the_team_has(
    client: Client, world: World, system_admin: User
) -> None:
    from attune.core.testing.queries import queries_for

    _, token = issue(system_admin, [world.hub])
    url = f"/api/v1/teams/{world.hub.pk}/referrals"
    call(client, "post", url, token, referral_body())
    few = queries_for(lambda: call(client, "post", url, token, referral_body()))
    waiting_referrals(world.hub, 200)
    many = queries_for(lambda: call(client, "post", url, token, referral_body()))
    assert few == many


# Report tables ----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_report_tables_are_always_suppressed(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    waiting_referrals(world.hub, 3, received_at=dt.datetime(2025, 11, 3, 10, tzinfo=LONDON))
    response = call(client, "get", f"/api/v1/teams/{world.hub.pk}/report?period=2025-26-Q3", token)
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["suppressed"] is True
    assert report["period"] == {
        "key": "2025-26-Q3",
        "label": report["period"]["label"],
        "start": "2025-10-01",
        "end": "2025-12-31",
    }
    assert report["suppression"].startswith("To protect privacy, counts from 1 to 7 are shown as *")
    cells = [cell for s in report["sections"] for t in s["tables"] for r in t["rows"] for cell in r["cells"]]
    assert cells, "the report has tables"
    # Three referrals: never shown as 3 anywhere.
    assert not any(cell["text"] == "3" for cell in cells)
    assert any(cell["text"] == "*" and cell["withheld"] for cell in cells)
    [event] = calls()
    assert event.detail["period"] == "2025-26-Q3"
    assert event.detail["suppressed"] is True


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025-27", "not a financial year"),
        ("Q3", "Choose a quarter (2025-26-Q3)"),
        ("2027-28", "The period must start today or in the past"),
        ("2015-04-01..2025-03-31", "no more than 5 years"),
    ],
)
def test_a_period_that_cannot_be_read_says_how_to_write_one(
    client: Client, world: World, system_admin: User, period: str, message: str
) -> None:
    _, token = issue(system_admin, [world.hub])
    response = call(client, "get", f"/api/v1/teams/{world.hub.pk}/report?period={period}", token)
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["field"] == "period"
    assert message in problem["message"]


@time_machine.travel(NOW, tick=False)
def test_report_query_count_does_not_grow(client: Client, world: World, system_admin: User) -> None:
    _, token = issue(system_admin, [world.hub])
    # The quarter still open: worked out afresh on every call (a closed one is kept, ADR 0020).
    url = f"/api/v1/teams/{world.hub.pk}/report?period=2026-27-Q3"
    received = dt.datetime(2026, 10, 5, 10, tzinfo=LONDON)
    from attune.core.testing.queries import queries_for

    # The report is worked out in a fixed number of queries, more than a page's budget of 15
    # (the report pages cost the same): what matters here is that it does not grow.
    waiting_referrals(world.hub, 1, received_at=received)
    call(client, "get", url, token)
    small = queries_for(lambda: call(client, "get", url, token))
    waiting_referrals(world.hub, 199, received_at=received)
    call(client, "get", url, token)
    large = queries_for(lambda: call(client, "get", url, token))
    assert small == large, f"{small} queries for 1 referral but {large} for 200"


def test_a_failure_inside_attune_gets_a_request_id_not_a_trace(
    client: Client, world: World, system_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attune.interop import api_reads

    def broken(team: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api_reads, "waiting", broken)
    _, token = issue(system_admin, [world.hub])
    response = call(
        client, "get", f"/api/v1/teams/{world.hub.pk}/waiting-list", token, HTTP_X_REQUEST_ID="req-boom-1234"
    )
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong in Attune. Nothing was changed. Quote request id req-boom-1234"
    }
    assert b"secret internals" not in response.content
    [event] = calls()
    assert (event.outcome, event.detail["status"], event.request_id) == ("failure", 500, "req-boom-1234")
