"""The one way a page about a family is drawn and its reading recorded. Every such page shows the
family's name and safeguarding banner; opening one is a read of the family's record, so it is an
audit event naming the family (and the person or item the page is about)."""

import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from attune.core import audit
from attune.families import scope as family_scope
from attune.families.banner import banner_for
from attune.families.models import Family
from attune.families.naming import family_title
from attune.organisations.scope import ScopedRequest


def current_family(request: ScopedRequest, family_id: uuid.UUID) -> Family | HttpResponse:
    """The family for a form page; a merged record sends the person to its page, which leads to
    the one it became."""
    found = family_scope.get_family(request.scope, family_id)
    if found.merged_into_id is not None:
        return redirect("families:family", family_id=found.pk)
    return found


def family_page(
    request: ScopedRequest, template: str, family: Family, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render a page about a family with its title and safeguarding banner. A page that already
    built the banner (or holds the active flags) passes it in `context`."""
    banner = (
        context.pop("banner") if "banner" in context else banner_for(family, flags=context.pop("active_flags", None))
    )
    return render(
        request,
        template,
        {"family": family, "title": family_title(family), "banner": banner, **context},
        status=status,
    )


def record_read(
    request: ScopedRequest, family: Family, page: str, *, person_id: uuid.UUID | None = None, **about: str
) -> None:
    """Showing a page about the family (a form too: it shows the banner and names) is a read;
    `about` names the item the page is about (a document, a referral...). Posts are audited by
    their actions."""
    if request.method == "GET":
        audit.record(
            action="family.viewed",
            actor=request.actor,
            obj=family,
            person_id=person_id,
            detail={"page": page, **about},
        )
