"""A person's language and interpreter need (domain reference G.4): one page per carer, reached
from the family record. Babies have no language of their own to record, so carers only."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from attune.families import language_forms, language_scope, language_services
from attune.families.pages import current_family, family_page, record_read
from attune.organisations.scope import ScopedRequest


@require_http_methods(["GET", "POST"])
def carer_language(request: ScopedRequest, family_id: uuid.UUID, carer_id: uuid.UUID) -> HttpResponse:
    found = current_family(request, family_id)
    if isinstance(found, HttpResponse):
        return found
    carer = language_scope.get_carer(request.scope, found, carer_id)
    record_read(request, found, "carer_language", person_id=carer.pk)
    if request.method == "GET":
        form = language_forms.LanguageForm(initial=language_forms.initial_for(carer))
    else:
        form = language_forms.LanguageForm(request.POST)
        if form.is_valid():
            try:
                changed = language_services.record_language(actor=request.actor, carer=carer, language=form.language())
            except language_services.LanguageError as refused:
                for field, message in refused.problems.items():
                    form.add_error(field, message)
            else:
                name = carer.full_name or "this carer"
                messages.success(request, f"Language saved for {name}." if changed else f"Nothing changed for {name}.")
                return redirect("families:family", family_id=found.pk)
    return family_page(
        request,
        "families/language_carer.jinja",
        found,
        {"form": form, "carer": carer, "who": carer.full_name or "Parent or carer"},
    )
