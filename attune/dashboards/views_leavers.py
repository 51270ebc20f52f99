"""A leaver's handover, for system administrators: what they lead, supervise and still have to
do, and the caseload moved in one go to another practitioner of the team (care's transfer)."""

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from attune.accounts.models import User
from attune.core import audit
from attune.dashboards import leavers
from attune.nhsuk_forms import fields
from attune.organisations.scope import ScopedRequest


class ReassignForm(forms.Form):
    to_practitioner = fields.SelectField(
        label="Practitioner who takes these families",
        error_messages={
            "required": "Select the practitioner who takes these families",
            "invalid_choice": "Select a practitioner from the list",
        },
    )
    reason = fields.TextareaField(
        label="Why are the families moving?",
        hint="For example, Lead practitioner leaving the service. This is kept in each episode's history",
        max_length=500,
        rows=2,
        error_messages={
            "required": "Enter why the families are moving",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
    override_reason = fields.TextareaField(
        label="If this takes them past their maximum caseload, why go ahead? (optional)",
        required=False,
        max_length=500,
        rows=2,
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )

    def __init__(self, data: QueryDict | None, *, caseload: leavers.TeamCaseload) -> None:
        super().__init__(data, prefix=f"team-{caseload.team.pk}")
        self.caseload = caseload
        self.fields["to_practitioner"].choices = [  # type: ignore[attr-defined]
            ("", "Select a practitioner"),
            *((str(p.pk), p.full_name) for p in caseload.practitioners),
        ]

    def practitioner(self) -> User:
        return next(p for p in self.caseload.practitioners if str(p.pk) == self.cleaned_data["to_practitioner"])


@require_http_methods(["GET", "POST"])
def handover(request: ScopedRequest, user_id: uuid.UUID) -> HttpResponse:
    person = request.scope.get_staff_member(user_id)
    found = leavers.handover_of(person)
    posted_team = request.POST.get("team", "") if request.method == "POST" else ""
    forms_by_team = {
        str(c.team.pk): ReassignForm(request.POST if posted_team == str(c.team.pk) else None, caseload=c)
        for c in found.caseloads
    }
    if posted_team:
        form = request.scope.found(forms_by_team.get(posted_team), "organisations.team", posted_team)
        if form.is_valid():
            to = form.practitioner()
            done = leavers.reassign_caseload(
                actor=request.actor,
                caseload=form.caseload,
                to_practitioner=to,
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data["override_reason"],
            )
            if not done.problems:
                families = "1 family" if done.moved == 1 else f"{done.moved} families"
                messages.success(request, f"{families} in {form.caseload.team.name} moved to {to.full_name}.")
                return redirect("dashboards:handover", user_id=person.pk)
            form.add_error("to_practitioner", done.problems[0])
    audit.record(
        action="caseload.handover_viewed",
        actor=request.actor,
        obj=person,
        detail={"episodes": sum(len(c.episodes) for c in found.caseloads)},
    )
    sections = [(c, forms_by_team[str(c.team.pk)]) for c in found.caseloads]
    return render(
        request,
        "dashboards/handover.jinja",
        {"person": person, "handover": found, "sections": sections, "errors": any(f.errors for _, f in sections)},
    )
