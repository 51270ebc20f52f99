"""API token pages, for system administrators (/setup/api-tokens): the tokens of their
organisation, issuing one (shown once, never again) and revoking one after a confirmation. Every
page read and every change is audited."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attune.core import audit
from attune.interop import api_presenters as presenters
from attune.interop import api_scope, api_services
from attune.interop.api_forms import IssueTokenForm, RevokeTokenForm
from attune.organisations.scope import ScopedRequest


@require_GET
def token_list(request: ScopedRequest) -> HttpResponse:
    clients = list(api_scope.clients(request.scope).order_by("revoked_at", "name", "issued_at"))
    today = timezone.localdate()
    audit.record(action="api.tokens_listed", actor=request.actor, detail={"count": len(clients)})
    return render(
        request,
        "interop/api_token_list.jinja",
        {"rows": presenters.list_rows(clients, today), "count": len(clients)},
    )


@require_http_methods(["GET", "POST"])
def issue(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    api_scope.clients(scope)  # only a system administrator gets this far
    form = IssueTokenForm(request.POST if request.method == "POST" else None, teams=api_scope.teams_to_choose(scope))
    if request.method == "GET":
        audit.record(action="api.tokens_listed", actor=request.actor, detail={"page": "issue"})
    if request.method == "POST" and form.is_valid():
        teams = form.chosen_teams()
        try:
            issued = api_services.issue_api_token(
                actor=request.actor,
                name=form.cleaned_data["name"],
                organisation=teams[0].service.provider,
                teams=teams,
                expires_on=form.cleaned_data["expires_on"],
            )
        except api_services.TokenError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            # Shown in this answer only: it is not kept, so there is no page to come back to.
            return render(
                request,
                "interop/api_token_issued.jinja",
                {
                    "client": issued.client,
                    "token": issued.token,
                    "rows": presenters.summary_rows(issued.client, timezone.localdate()),
                },
            )
    return render(request, "interop/api_token_issue.jinja", {"form": form})


@require_GET
def token(request: ScopedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = api_scope.get_client(request.scope, client_id)
    today = timezone.localdate()
    audit.record(action="api.token_viewed", actor=request.actor, obj=client)
    return render(
        request,
        "interop/api_token.jinja",
        {
            "client": client,
            "rows": presenters.summary_rows(client, today),
            "active": client.revoked_at is None,
        },
    )


@require_http_methods(["GET", "POST"])
def revoke(request: ScopedRequest, client_id: uuid.UUID) -> HttpResponse:
    client = api_scope.get_client(request.scope, client_id)
    if client.revoked_at is not None:
        messages.info(request, f"The token for {client.name} is already revoked.")
        return redirect("interop:api_token", client_id=client.pk)
    form = RevokeTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(action="api.token_viewed", actor=request.actor, obj=client, detail={"page": "revoke"})
    if request.method == "POST" and form.is_valid():
        try:
            api_services.revoke_api_token(actor=request.actor, client=client, reason=form.cleaned_data["reason"])
        except api_services.TokenError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The token for {client.name} is revoked. It no longer works.")
            return redirect("interop:api_token", client_id=client.pk)
    return render(request, "interop/api_token_revoke.jinja", {"client": client, "form": form})
