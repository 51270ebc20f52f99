"""Each person's home page, gathered from the apps their roles reach."""

from django.http import HttpResponse
from django.shortcuts import render

from attune.dashboards import presenters
from attune.organisations.scope import ScopedRequest


def home(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    sections = presenters.home_sections(scope)
    return render(
        request, "dashboards/home.jinja", {"sections": sections, "first_name": request.user.full_name.split(" ")[0]}
    )
