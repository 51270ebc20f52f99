"""A schema-driven fuzz run of the API (schemathesis): requests generated from the OpenAPI document,
valid and invalid, sent with a real token to Attune running in-process (WSGI). No answer may be a
server error, and every answer must be one the document declares, in the shape it declares.

Schema-valid data may still break a rule the schema cannot say (an NHS number's check digit, a
baby too old for the team): such a request gets a declared 422, so the check that every
schema-valid request succeeds is left out. The rest of schemathesis's checks run."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from attune.accounts.models import User
from attune.interop.tests.api_support import issue
from attune.organisations.tests.world import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The test's database transaction must outlive each request, as Django's own test client
    arranges: otherwise the handler closes the connection (and the transaction) after a call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(world: World, system_admin: User) -> tuple[str, str]:
    """A token for the hub, and the hub's id: most generated calls aim at a team the token may act
    for, so they reach the endpoint's own checks rather than stopping at 404."""
    _, token = issue(system_admin, [world.hub])
    return token, str(world.hub.pk)


# Loaded when the tests are collected: the document needs no database. (schemathesis's lazy
# `from_fixture` reads a pytest attribute that pytest 9.2 no longer has.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@override_settings(ATTUNE_API_RATE="100000/m", ATTUNE_API_REFUSED_PER_MINUTE=100000)
def test_no_call_gets_a_server_error_or_an_undeclared_answer(
    case: schemathesis.Case, fuzz_token: tuple[str, str]
) -> None:
    token, team_id = fuzz_token
    negative = case.meta.is_negative_at if case.meta is not None else (lambda _: False)
    # Only what the generator made valid is replaced, so an invalid id or header stays invalid
    # and must be refused.
    if case.path_parameters and "team_id" in case.path_parameters and not negative(ParameterLocation.PATH):
        case.path_parameters["team_id"] = team_id
    headers = {} if negative(ParameterLocation.HEADER) else {"Authorization": f"Bearer {token}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
