"""The API for other systems (django-ninja): JSON in and out, OpenAPI documentation at
/api/v1/docs and /api/v1/openapi.json, a bearer token per system (api_auth), a rate limit per
token, and one audit event for every call, refused ones included.

Every answer is JSON with a `detail` a person can act on; a body that breaks the rules gets 422
with one message per field. Nothing an API call gets is kept by a browser or proxy."""

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.openapi.docs import DocsBase

from attune.core import audit
from attune.core.periods import BadPeriod
from attune.families.services import FamilyError
from attune.interop import api_docs, api_referrals, fhir_services
from attune.interop.api_auth import ApiCaller, BearerToken, PerToken, RefusedTooOften, TokenRefused, actor_for, rate
from attune.interop.api_endpoints import router
from attune.interop.api_scope import NotInScope
from attune.interop.fhir_inbound import FhirInputError
from attune.referrals.services import ReferralError

logger = logging.getLogger(__name__)

NAMESPACE = "api"


class Docs(DocsBase):
    """The documentation page, drawn from the OpenAPI document in NHS.UK tables (api_docs)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "interop/api_docs.jinja",
            {
                "docs": api_docs.docs(api.get_openapi_schema(path_params=kwargs)),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "rate": rate().replace("/", " a ").replace(" a m", " a minute").replace(" a h", " an hour"),
            },
        )


api = NinjaAPI(
    title="Attune API",
    version="1",
    description=(
        "For other systems: send a referral to a team, read a team's waiting list counts and its "
        "suppressed report tables. Every call needs `Authorization: Bearer <token>`, a token a "
        "system administrator issues for the teams the system acts for. Calls are limited per "
        "token and every call is audited."
    ),
    urls_namespace=f"interop:{NAMESPACE}",
    auth=BearerToken(),
    throttle=[PerToken()],
    docs=Docs(),
    docs_url="/docs",
)
api.add_router("/", router)


# Answers ---------------------------------------------------------------------------------------


def _json(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(TokenRefused)
def _token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = _json(request, {"detail": str(exc)}, 401)
    response["WWW-Authenticate"] = 'Bearer realm="attune"'
    return response


@api.exception_handler(RefusedTooOften)
def _refused_too_often(request: HttpRequest, exc: RefusedTooOften) -> HttpResponse:
    request.api_unaudited = not exc.audited  # type: ignore[attr-defined]
    response = _json(request, {"detail": str(exc)}, 429)
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(NotInScope)
def _not_in_scope(request: HttpRequest, exc: NotInScope) -> HttpResponse:
    return _json(request, {"detail": str(exc)}, 404)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, round(exc.wait)) if exc.wait else 60
    return _json(
        request,
        {"detail": f"Too many calls: this token may make {rate().replace('/', ' a ')}. Try again in {wait} seconds"},
        429,
    )


def _invalid(request: HttpRequest, problems: list[tuple[str, str]]) -> HttpResponse:
    count = len(problems)
    return _json(
        request,
        {
            "detail": f"The request has {count} problem{'s' if count != 1 else ''}: see errors",
            "errors": [{"field": field, "message": message} for field, message in problems],
        },
        422,
    )


# Pydantic's words for what is wrong, in the words of the rest of Attune.
MESSAGES: dict[str, str] = {
    "missing": "This is required",
    "string_too_long": "Must be {max_length} characters or fewer",
    "too_long": "Give at most {max_length}",
    "too_short": "Give at least {min_length}",
    "enum": "Choose one of: {expected}",
    "date_parsing": "Enter a date as YYYY-MM-DD, like 2025-03-12",
    "date_from_datetime_parsing": "Enter a date as YYYY-MM-DD, like 2025-03-12",
    "date_from_datetime_inexact": "Enter a date as YYYY-MM-DD, like 2025-03-12",
    "date_type": "Enter a date as YYYY-MM-DD, like 2025-03-12",
    "bool_parsing": "Give true or false",
    "bool_type": "Give true or false",
    "string_type": "Give text",
    "list_type": "Give a list",
    "model_type": "Give an object",
    "model_attributes_type": "Give an object",
    "dict_type": "Give an object",
    "uuid_parsing": "Give an id like 3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f",
    "uuid_type": "Give an id like 3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f",
    "json_invalid": "The body is not valid JSON",
    "json_type": "The body is not valid JSON",
}


def _field(loc: tuple[Any, ...]) -> str:
    # ("body", "payload", "baby", "date_of_birth") -> "baby.date_of_birth"; ("path", "team_id") -> "team_id"
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else ["body"]
    elif parts[:1] in (["path"], ["query"]):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", "This value is not accepted"))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(error.get("msg", "This value is not accepted"))


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _invalid(request, [(_field(tuple(error.get("loc", ()))), _message(error)) for error in exc.errors])


@api.exception_handler(api_referrals.Invalid)
def _referral_invalid(request: HttpRequest, exc: api_referrals.Invalid) -> HttpResponse:
    return _invalid(request, exc.problems)


@api.exception_handler(fhir_services.AlreadyReceived)
def _already_received(request: HttpRequest, exc: fhir_services.AlreadyReceived) -> HttpResponse:
    return _json(request, {"detail": exc.message}, 409)


@api.exception_handler(FhirInputError)
def _fhir_invalid(request: HttpRequest, exc: FhirInputError) -> HttpResponse:
    return _invalid(request, [(exc.element or "body", exc.message)])


@api.exception_handler(ReferralError)
def _referral_refused(request: HttpRequest, exc: ReferralError) -> HttpResponse:
    return _invalid(request, [("body", str(exc))])


@api.exception_handler(FamilyError)
def _family_refused(request: HttpRequest, exc: FamilyError) -> HttpResponse:
    return _invalid(request, [("body", str(exc))])


@api.exception_handler(BadPeriod)
def _bad_period(request: HttpRequest, exc: BadPeriod) -> HttpResponse:
    return _invalid(request, [("period", str(exc))])


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # The only 400 ninja raises: a body it cannot read as JSON.
        detail = "The body is not valid JSON. Send a JSON object, with Content-Type: application/json"
        return _json(request, {"detail": detail}, 400)
    return _json(request, {"detail": str(exc)}, exc.status_code)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with the request id; the caller gets the id to quote, never the trace.
    logger.exception("API call failed", extra={"request_id": getattr(request, "request_id", "")})
    request_id = getattr(request, "request_id", "")
    return _json(
        request, {"detail": f"Something went wrong in Attune. Nothing was changed. Quote request id {request_id}"}, 500
    )


# Every call audited -----------------------------------------------------------------------------

# The documentation and the schema are public and change nothing: not audited.
UNAUDITED = frozenset({"openapi-json", "openapi-view", "api-root"})


def outcome_of(status: int) -> str:
    if status < 400:
        return audit.Outcome.SUCCESS
    if status in (401, 403):
        return audit.Outcome.DENIED
    if status == 404:
        return audit.Outcome.NOT_FOUND
    return audit.Outcome.FAILURE


def _answer(response: HttpResponse) -> str:
    """What a refusal said, for the information governance lead reading the log."""
    try:
        said = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return ""
    return str(said.get("detail", ""))[:300] if isinstance(said, dict) else ""


def record_call(request: HttpRequest, response: HttpResponse, operation: str, kwargs: dict[str, Any]) -> None:
    caller = getattr(request, "auth", None)
    client = caller.client if isinstance(caller, ApiCaller) else getattr(request, "api_client", None)
    actor = caller.actor if isinstance(caller, ApiCaller) else actor_for(request, client)
    detail: dict[str, Any] = {
        "operation": operation,
        "method": request.method,
        "path": request.path[:200],
        "status": response.status_code,
    }
    if "team_id" in kwargs:
        detail["team"] = str(kwargs["team_id"])[:64]
    detail.update(getattr(request, "api_detail", {}))
    if response.status_code >= 400:
        detail["answer"] = _answer(response)
    audit.record(
        action="api.called",
        actor=actor,
        obj=client,
        object_type="interop.apiclient",
        outcome=outcome_of(response.status_code),
        detail=detail,
    )


def _audited(view: Callable[..., HttpResponse], operation: str) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def call(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not getattr(request, "api_unaudited", False):
            record_call(request, response, operation, kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return call


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URLs, each open without a session (the token is checked instead) and audited."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            callback = pattern.callback
            if pattern.name not in UNAUDITED:
                callback = _audited(callback, pattern.name or "")
            pattern = URLPattern(pattern.pattern, login_not_required(callback), pattern.default_args, pattern.name)
        wrapped.append(pattern)
    return wrapped, app_name, namespace
