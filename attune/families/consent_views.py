"""A person's consent page (current decisions, history, recording a decision) and withdrawing a
decision. Reached through the family scope, like every family page, and shown with its banner."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from attune.families import consent, consent_forms, consent_presenters, consent_scope
from attune.families import scope as family_scope
from attune.families.contact import safe_route_to
from attune.families.models import Carer, Family, Infant
from attune.families.pages import family_page, record_read
from attune.organisations.scope import Scope, ScopedRequest


def family_consent_section(scope: Scope, family: Family) -> consent_presenters.RecordSection:
    """Registered with families.scope (consent_setup), so the family page shows consent. The
    people come from the family's own related managers, so a page that prefetched them pays
    only for the decisions (one query)."""
    people = consent_scope.people_of(family)
    return consent_presenters.family_section(family, people, consent.current_decisions(people, family=family))


def _found(request: ScopedRequest, family_id: uuid.UUID, person_id: uuid.UUID) -> tuple[Family, Infant | Carer]:
    found = family_scope.get_family(request.scope, family_id)
    return found, consent_scope.get_person(request.scope, found, person_id)


def _page(
    request: ScopedRequest, template: str, family: Family, person: Infant | Carer, **context: Any
) -> HttpResponse:
    """A page about one person's decisions: the family page with the person named."""
    record_read(request, family, template.removeprefix("families/").removesuffix(".jinja"), person_id=person.pk)
    return family_page(
        request, template, family, {"person": person, "person_name": consent.person_label(person), **context}
    )


@require_http_methods(["GET", "POST"])
def person_consent(request: ScopedRequest, family_id: uuid.UUID, person_id: uuid.UUID) -> HttpResponse:
    found, person = _found(request, family_id, person_id)
    if found.merged_into_id is not None:
        return redirect("families:family", family_id=found.pk)
    carers = list(found.carers.all())  # loaded with the person (consent_scope.people_of)
    form = consent_forms.RecordConsentForm(
        request.POST if request.method == "POST" else None, person=person, carers=carers
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = consent.record_consent(
                actor=request.actor,
                family=found,
                person=person,
                purpose=data["purpose"],
                decision=data["decision"],
                how=data["how"],
                agency=data["agency"],
                review_on=data["review_on"],
                given_by=form.deciding_carer(),
            )
        except consent.ConsentError as error:
            form.add_error(error.field if error.field in form.fields else "purpose", error.message)
        else:
            messages.success(request, f"Decision recorded: {made.purpose_text}, {made.status.lower()}.")
            return redirect("families:consent", family_id=found.pk, person_id=person.pk)
    history = consent_scope.history_of(person)
    current = consent.latest_decisions(history).get(str(person.pk), [])
    no_one_may_decide = isinstance(person, Infant) and not form.fields["given_by"].choices  # type: ignore[attr-defined]
    return _page(
        request,
        "families/consent_person.jinja",
        found,
        person,
        form=form,
        current_rows=consent_presenters.person_current_rows(found, person, current),
        history_rows=consent_presenters.history_rows(history),
        no_one_may_decide=no_one_may_decide,
        # What their decisions mean for messages now (a withdrawn consent to texts stops reminders).
        contact=consent_presenters.contact_words(safe_route_to(person)) if isinstance(person, Carer) else "",
    )


@require_http_methods(["GET", "POST"])
def withdraw_consent(
    request: ScopedRequest, family_id: uuid.UUID, person_id: uuid.UUID, consent_id: uuid.UUID
) -> HttpResponse:
    found, person = _found(request, family_id, person_id)
    if found.merged_into_id is not None:
        return redirect("families:family", family_id=found.pk)
    decision = consent_scope.get_consent(request.scope, found, person, consent_id)
    form = consent_forms.WithdrawConsentForm(request.POST if request.method == "POST" else None)
    error = ""
    if decision.withdrawn_at is not None:
        error = f"This consent was already withdrawn on {consent_presenters.date_long(decision.withdrawn_at)}"
    elif not decision.is_given:
        error = "Consent was refused, so there is nothing to withdraw"
    elif request.method == "POST" and form.is_valid():
        try:
            consent.withdraw_consent(
                actor=request.actor, consent=decision, how=form.cleaned_data["how"], reason=form.cleaned_data["reason"]
            )
        except consent.ConsentError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Consent withdrawn: {decision.purpose_text}.")
            return redirect("families:consent", family_id=found.pk, person_id=person.pk)
    return _page(
        request,
        "families/consent_withdraw.jinja",
        found,
        person,
        form=form,
        decision=decision,
        summary=consent_presenters.consent_summary(decision),
        error=error,
    )
