"""Rooms of a site, set up on pages (issue 15): by the provider's system administrator or the
team's own lead (organisations.setup_scope), so the diary can book them."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from attune.care import services
from attune.care.forms.rooms import RoomForm
from attune.care.models import Room
from attune.care.presenters.rooms import room_rows
from attune.core import audit
from attune.organisations import setup_scope
from attune.organisations.models import Site
from attune.organisations.scope import ScopedRequest


def _viewed(request: ScopedRequest, page: str, shown: Site | Room, **detail: object) -> None:
    """The rooms are part of how the service is set up (organisations.views.setup): opening one
    of their pages is recorded, with the site or room it showed (a form sent back is not a read)."""
    if request.method == "GET":
        audit.record(action="setup.viewed", actor=request.actor, obj=shown, detail={"page": page, **detail})


def room_list(request: ScopedRequest, site_id: uuid.UUID) -> HttpResponse:
    site = setup_scope.get_site(request.scope, site_id)
    rooms = list(site.rooms.order_by("name"))
    _viewed(request, f"Rooms at {site.name}", site, rows=len(rooms))
    return render(
        request,
        "organisations/setup/list.jinja",
        {
            "title": f"Rooms at {site.name}",
            "intro": "The rooms families are seen in, which appointments at this site can book.",
            "add": (reverse("care:room_new", args=[site.pk]), "Add a room"),
            "head": [{"text": "Room"}],
            "rows": room_rows(rooms),
            "caption": f"{len(rooms)} rooms",
            "back": (reverse("setup:sites", args=[site.team_id]), f"Sites of {site.team.name}"),
        },
    )


def _form_page(
    request: ScopedRequest, form: RoomForm, title: str, site_id: uuid.UUID, button: str, shown: Site | Room
) -> HttpResponse:
    _viewed(request, title, shown)
    context = {
        "form": form,
        "title": title,
        "back": reverse("care:rooms", args=[site_id]),
        "submit": button,
        "caption": "",
    }
    return render(request, "organisations/setup/form.jinja", context)


@require_http_methods(["GET", "POST"])
def room_new(request: ScopedRequest, site_id: uuid.UUID) -> HttpResponse:
    site = setup_scope.get_site(request.scope, site_id)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.create_room(actor=request.actor, site=site, name=form.cleaned_data["name"])
        except services.CareError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{room.name} is added.")
            return redirect("care:rooms", site_id=site.pk)
    return _form_page(request, form, f"Add a room at {site.name}", site.pk, "Add room", site)


@require_http_methods(["GET", "POST"])
def room_edit(request: ScopedRequest, site_id: uuid.UUID, room_id: uuid.UUID) -> HttpResponse:
    site = setup_scope.get_site(request.scope, site_id)
    room = request.scope.get(site.rooms.all(), room_id, team=None)
    form = RoomForm(request.POST or None, initial={"name": room.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_room(actor=request.actor, room=room, name=form.cleaned_data["name"])
        except services.CareError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{room.name} is saved.")
            return redirect("care:rooms", site_id=site.pk)
    return _form_page(request, form, f"Change {room.name}", site.pk, "Save changes", room)
