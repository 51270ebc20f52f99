"""Set-up pages (issue 15): a system administrator sets up the organisations, the service, its
hub and satellite teams and their sites on pages, without code; a team lead manages their own
team's sites. Every change is an audited action; a rule broken shows beside the field with
everything typed kept."""

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from attune.core import audit
from attune.organisations import services, setup_presenters, setup_scope
from attune.organisations.models import OrganisationKind, SiteKind, TeamKind
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest
from attune.organisations.setup_forms import OrganisationForm, ServiceForm, SiteForm, TeamForm


def _viewed(request: ScopedRequest, page: str, shown: Model | None, **detail: Any) -> None:
    """A set-up page shows how the service is set up, which an information governance lead may
    ask about: opening one is recorded, with what it showed (a form sent back is not a read)."""
    if request.method == "GET":
        audit.record(action="setup.viewed", actor=request.actor, obj=shown, detail={"page": page, **detail})


def _form_page(
    request: ScopedRequest,
    form: Form,
    *,
    title: str,
    back: str,
    button: str,
    caption: str = "",
    shown: Model | None = None,
) -> HttpResponse:
    """`shown`: the record the form changes (None for a new one)."""
    _viewed(request, title, shown)
    return render(
        request,
        "organisations/setup/form.jinja",
        {"form": form, "title": title, "back": back, "submit": button, "caption": caption},
    )


def _list_page(request: ScopedRequest, *, head: list[str], shown: Model | None = None, **context: Any) -> HttpResponse:
    """`shown`: the record whose list it is (a team's sites), if any."""
    _viewed(request, context["title"], shown, rows=len(context["rows"]))
    context.setdefault("back", None)
    return render(request, "organisations/setup/list.jinja", {"head": [{"text": h} for h in head], **context})


def _refused(form: Form, error: services.SetUpError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def index(request: ScopedRequest) -> HttpResponse:
    request.scope.require(Capability.SET_UP, "organisations.organisation")
    return render(request, "organisations/setup/index.jinja", {})


# Organisations -------------------------------------------------------------------------------


def organisation_list(request: ScopedRequest) -> HttpResponse:
    organisations = list(setup_scope.organisations(request.scope).order_by("kind", "name"))
    return _list_page(
        request,
        title="Organisations",
        intro="Your trust, and the integrated care boards and councils that commission services or whose areas teams serve.",
        add=(reverse("setup:organisation_new"), "Add an organisation"),
        head=["Name", "Kind", "Code"],
        rows=setup_presenters.organisation_rows(organisations),
        caption=f"{len(organisations)} organisations",
    )


@require_http_methods(["GET", "POST"])
def organisation_new(request: ScopedRequest) -> HttpResponse:
    setup_scope.organisations(request.scope)  # only a system administrator gets this far
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.create_organisation(
                actor=request.actor, name=data["name"], kind=OrganisationKind(data["kind"]), code=data["code"]
            )
        except services.SetUpError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{organisation.name} is added.")
            return redirect("setup:organisations")
    return _form_page(
        request, form, title="Add an organisation", back=reverse("setup:organisations"), button="Add organisation"
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: ScopedRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = setup_scope.get_organisation(request.scope, organisation_id)
    initial = {"name": organisation.name, "code": organisation.code}
    form = OrganisationForm(request.POST or None, initial=initial, kind=organisation.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                actor=request.actor,
                organisation=organisation,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
            )
        except services.SetUpError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{organisation.name} is saved.")
            return redirect("setup:organisations")
    return _form_page(
        request,
        form,
        title=f"Change {organisation.name}",
        caption=organisation.get_kind_display(),
        back=reverse("setup:organisations"),
        button="Save changes",
        shown=organisation,
    )


# Services ------------------------------------------------------------------------------------


def service_list(request: ScopedRequest) -> HttpResponse:
    found = list(setup_scope.services(request.scope).order_by("name"))
    return _list_page(
        request,
        title="Services",
        intro="The parent-infant relationship services your trust provides, and who commissions each.",
        add=(reverse("setup:service_new"), "Add a service"),
        head=["Service", "Provider", "Commissioner"],
        rows=setup_presenters.service_rows(found),
        caption=f"{len(found)} services",
    )


def _service_form(request: ScopedRequest, **kwargs: Any) -> ServiceForm:
    scope = request.scope
    return ServiceForm(
        request.POST or None,
        providers=list(setup_scope.providers(scope)),
        commissioners=list(setup_scope.commissioners(scope).order_by("kind", "name")),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def service_new(request: ScopedRequest) -> HttpResponse:
    form = _service_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(
                actor=request.actor,
                name=form.cleaned_data["name"],
                provider=form.chosen_provider(),
                commissioner=form.chosen_commissioner(),
            )
        except services.SetUpError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{service.name} is added. Now add its hub team.")
            return redirect("setup:teams")
    return _form_page(request, form, title="Add a service", back=reverse("setup:services"), button="Add service")


@require_http_methods(["GET", "POST"])
def service_edit(request: ScopedRequest, service_id: uuid.UUID) -> HttpResponse:
    service = setup_scope.get_service(request.scope, service_id)
    form = _service_form(request, initial={"name": service.name, "commissioner": str(service.commissioner_id)})
    form.fields.pop("provider", None)  # a service stays with the trust that provides it
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(
                actor=request.actor,
                service=service,
                name=form.cleaned_data["name"],
                commissioner=form.chosen_commissioner(),
            )
        except services.SetUpError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{service.name} is saved.")
            return redirect("setup:services")
    return _form_page(
        request,
        form,
        title=f"Change {service.name}",
        back=reverse("setup:services"),
        button="Save changes",
        shown=service,
    )


# Teams ---------------------------------------------------------------------------------------


def team_list(request: ScopedRequest) -> HttpResponse:
    found = list(setup_scope.teams(request.scope).order_by("service__name", "kind", "name"))
    return _list_page(
        request,
        title="Teams",
        intro="Hub teams, and the satellite teams each hub supervises. Open a team's sites to add the places it works from and their rooms.",
        add=(reverse("setup:team_new"), "Add a team"),
        head=["Team", "Service", "Type", "Sites"],
        rows=setup_presenters.team_rows(found),
        caption=f"{len(found)} teams",
    )


def _team_form(request: ScopedRequest, **kwargs: Any) -> TeamForm:
    scope = request.scope
    return TeamForm(
        request.POST or None,
        services=list(setup_scope.services(scope).order_by("name")),
        hubs=list(setup_scope.hubs(scope).order_by("name")),
        councils=list(setup_scope.councils(scope)),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def team_new(request: ScopedRequest) -> HttpResponse:
    form = _team_form(request)
    if not form.services:
        messages.info(request, "Add the service before its teams.")
        return redirect("setup:service_new")
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(
                actor=request.actor,
                service=form.chosen_service(),
                name=form.cleaned_data["name"],
                kind=TeamKind(form.cleaned_data["kind"]),
                hub=form.chosen_hub(),
                local_authority=form.chosen_council(),
            )
        except services.SetUpError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{team.name} is added.")
            return redirect("setup:teams")
    return _form_page(request, form, title="Add a team", back=reverse("setup:teams"), button="Add team")


@require_http_methods(["GET", "POST"])
def team_edit(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = setup_scope.get_team(request.scope, team_id)
    initial = {
        "name": team.name,
        "kind": team.kind,
        "hub": str(team.hub_id or ""),
        "local_authority": str(team.local_authority_id or ""),
    }
    form = _team_form(request, initial=initial)
    form.fields.pop("service", None)  # a team's records stay in its service
    form.services = {str(team.service_id): team.service}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(
                actor=request.actor,
                team=team,
                name=form.cleaned_data["name"],
                kind=TeamKind(form.cleaned_data["kind"]),
                hub=form.chosen_hub(),
                local_authority=form.chosen_council(),
            )
        except services.SetUpError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{team.name} is saved.")
            return redirect("setup:teams")
    return _form_page(
        request, form, title=f"Change {team.name}", caption=team.service.name, back=reverse("setup:teams"),
        button="Save changes", shown=team,
    )  # fmt: skip


# Sites: the system administrator, or the team's own lead -------------------------------------


def site_list(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = setup_scope.team_for_sites(request.scope, team_id)
    sites = list(team.sites.prefetch_related("rooms").order_by("name"))
    return _list_page(
        request,
        title=f"Sites of {team.name}",
        intro="The family hubs, clinics and other places the team sees families, with their rooms.",
        add=(reverse("setup:site_new", args=[team.pk]), "Add a site"),
        head=["Site", "Type", "Address", "Opening hours", "Rooms"],
        rows=setup_presenters.site_rows(sites),
        caption=f"{len(sites)} sites",
        back=(reverse("organisations:team_detail", args=[team.pk]), team.name),
        shown=team,
    )


def _site_saved(request: ScopedRequest, form: SiteForm, **kwargs: Any) -> Any:
    data = form.cleaned_data
    values = {
        "kind": SiteKind(data["kind"]),
        "name": data["name"],
        "address": data["address"],
        "postcode": data["postcode"],
        "opening_hours": data["opening_hours"],
    }
    try:
        if "site" in kwargs:
            return services.update_site(actor=request.actor, site=kwargs["site"], **values)
        return services.create_site(actor=request.actor, team=kwargs["team"], **values)
    except services.SetUpError as error:
        _refused(form, error)
        return None


@require_http_methods(["GET", "POST"])
def site_new(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = setup_scope.team_for_sites(request.scope, team_id)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = _site_saved(request, form, team=team)
        if site is not None:
            messages.success(request, f"{site.name} is added. Add its rooms if families are seen there.")
            return redirect("setup:sites", team_id=team.pk)
    return _form_page(
        request,
        form,
        title="Add a site",
        caption=team.name,
        back=reverse("setup:sites", args=[team.pk]),
        button="Add site",
        shown=team,
    )


@require_http_methods(["GET", "POST"])
def site_edit(request: ScopedRequest, site_id: uuid.UUID) -> HttpResponse:
    site = setup_scope.get_site(request.scope, site_id)
    initial = {f: getattr(site, f) for f in ["kind", "name", "address", "postcode", "opening_hours"]}
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _site_saved(request, form, site=site) is not None:
        messages.success(request, f"{site.name} is saved.")
        return redirect("setup:sites", team_id=site.team_id)
    return _form_page(
        request,
        form,
        title=f"Change {site.name}",
        caption=site.team.name,
        back=reverse("setup:sites", args=[site.team_id]),
        button="Save changes",
        shown=site,
    )
