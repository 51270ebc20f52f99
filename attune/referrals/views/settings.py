"""Team settings: a team lead (or a system administrator of the providing organisation) sets
the team's catchment, eligibility, targets and capacity default, each from a day on."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.core import audit
from attune.core.formatting import date_long
from attune.organisations.models import Team
from attune.organisations.scope import ScopedRequest
from attune.referrals import scope as referral_scope
from attune.referrals import services, settings_forms, settings_presenters


def _page(request: ScopedRequest, team: Team, shows: str) -> settings_presenters.SettingsPage:
    """What the settings pages show. The team's rules are configuration an information governance
    lead may ask about: opening a page of them is recorded (a form sent back is not a read)."""
    if request.method == "GET":
        audit.record(action="team_settings.viewed", actor=request.actor, obj=team, detail={"page": shows})
    rows = referral_scope.team_rules_rows(team)
    today = timezone.localdate()
    now = next((r for r in reversed(rows) if r.effective_from <= today), None)
    area_ids = (
        [area.pk for area in now.areas.all()] if now else ([team.local_authority_id] if team.local_authority_id else [])
    )
    return settings_presenters.SettingsPage(team, rows, services.team_postcodes(area_ids), today)


def team_settings(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = referral_scope.get_settings_team(request.scope, team_id)
    return render(request, "referrals/settings/team.jinja", {"page": _page(request, team, "settings")})


def _applies(day: object) -> str:
    return "today" if day == timezone.localdate() else f"on {date_long(day)}"  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def team_rules(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = referral_scope.get_settings_team(request.scope, team_id)
    page = _page(request, team, "rules")
    if request.method != "POST":
        form = settings_forms.TeamRulesForm(initial=settings_presenters.rules_initial(page.now, page.today))
        return render(request, "referrals/settings/rules.jinja", {"page": page, "form": form})
    form = settings_forms.TeamRulesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        rules = services.TeamRules(
            max_age_years=data["max_age_years"],
            accepts_unborn=data["accepts_unborn"] == settings_forms.YES,
            antenatal_from_week=data["antenatal_from_week"],
            triage_target_working_days=data["triage_target_working_days"],
            first_contact_target_working_days=data["first_contact_target_working_days"],
            urgent_first_contact_target_working_days=data["urgent_first_contact_target_working_days"],
            soon_first_contact_target_working_days=data["soon_first_contact_target_working_days"],
            default_max_weighted_caseload=data["default_max_weighted_caseload"],
        )
        try:
            services.change_team_rules(
                actor=request.actor, team=team, rules=rules, effective_from=data["effective_from"]
            )
        except services.TeamRulesError as refused:
            for name, problem in refused.problems.items():
                form.add_error(name, problem)
        else:
            messages.success(
                request, f"The team's rules are changed. The change applies {_applies(data['effective_from'])}."
            )
            return redirect("referrals:team_settings", team_id=team.pk)
    return render(request, "referrals/settings/rules.jinja", {"page": page, "form": form})


@require_http_methods(["GET", "POST"])
def team_catchment(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = referral_scope.get_settings_team(request.scope, team_id)
    page = _page(request, team, "catchment")
    areas = list(referral_scope.service_areas())
    overlaps: list[str] = []
    if request.method != "POST":
        now = page.now
        chosen = [str(a.pk) for a in now.areas.all()] if now else [str(team.local_authority_id or "")]
        form = settings_forms.CatchmentForm(
            areas=areas,
            initial={"areas": chosen, "postcodes": "\n".join(sorted(page.postcodes)), "effective_from": page.today},
        )
        return render(request, "referrals/settings/catchment.jinja", {"page": page, "form": form, "overlaps": overlaps})
    form = settings_forms.CatchmentForm(request.POST, areas=areas)
    if form.is_valid():
        change = services.TeamCatchment(
            areas=form.chosen_areas(), postcodes=form.postcode_lines(), postcodes_area=form.postcodes_area_chosen()
        )
        try:
            services.change_catchment(
                actor=request.actor,
                team=team,
                change=change,
                effective_from=form.cleaned_data["effective_from"],
                overlap_confirmed=form.overlap_confirmed,
            )
        except services.CatchmentOverlap as overlap:
            overlaps = overlap.overlaps
        except services.TeamRulesError as refused:
            for name, problem in refused.problems.items():
                form.add_error(name, problem)
        else:
            applies = _applies(form.cleaned_data["effective_from"])
            messages.success(
                request,
                f"The team's catchment is changed. The council areas apply {applies}. The postcode districts and "
                "sectors apply straight away: a referral's team is fixed when it is received, so past referrals "
                "and figures do not change.",
            )
            return redirect("referrals:team_settings", team_id=team.pk)
    return render(request, "referrals/settings/catchment.jinja", {"page": page, "form": form, "overlaps": overlaps})
