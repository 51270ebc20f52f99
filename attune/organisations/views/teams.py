"""Team pages: the teams a person belongs to, and one team's members and sites."""

import uuid

from django.http import HttpResponse
from django.shortcuts import render

from attune.core import audit
from attune.organisations import presenters, setup_scope
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest


def team_list(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    scope.require(Capability.VIEW_TEAM, "organisations.team")
    teams = list(scope.teams().order_by("kind", "name"))
    return render(
        request,
        "organisations/team_list.jinja",
        {"teams": [presenters.TeamSummary(team) for team in teams]},
    )


def team_detail(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    team = scope.get_team(team_id)
    memberships = list(team.memberships.active().select_related("user").order_by("role", "user__full_name"))
    sites = list(team.sites.all())
    satellites = list(team.satellites.all())
    audit.record(action="team.viewed", actor=request.actor, obj=team)
    return render(
        request,
        "organisations/team_detail.jinja",
        {
            "team": team,
            "summary": presenters.TeamSummary(team),
            "member_rows": presenters.member_rows(memberships),
            "site_rows": presenters.site_rows(sites),
            "satellites": satellites,
            "can_audit": scope.can(Capability.AUDIT),
            # Team settings (referrals:team_settings): the team's lead.
            "can_set_rules": team.pk in scope.team_ids(Capability.LEAD_TEAM),
            "can_manage_sites": setup_scope.may_manage_sites(scope, team),
        },
    )
