"""The search page: find a family in the teams you work with, from the box in every staff page's
header or the form on the page. Every search is audited, bad input included (ADR 0015)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from attune.core import audit
from attune.organisations.roles import Capability
from attune.organisations.scope import ScopedRequest
from attune.search import engine, presenters
from attune.search import queries as search_queries
from attune.search.query import MAX_LENGTH, parse

RESULTS = 25


def _kept(typed: str) -> str:
    """What was typed, as the audit keeps it: printable characters, at most 100 of them."""
    return "".join(ch for ch in typed if ch.isprintable()).strip()[:MAX_LENGTH]


def _context(page: presenters.Page) -> dict[str, object]:
    return {"page": page, "tips": presenters.TIPS, "scope_note": presenters.SCOPE_NOTE}


def search(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    scope.require(Capability.WORK_WITH_FAMILIES, "search.families")
    if "q" not in request.GET:
        return render(request, "search/search.jinja", _context(presenters.Page()))
    typed = request.GET.get("q", "")
    today = timezone.localdate()
    query = parse(typed, today=today)
    found = engine.run(query, team_ids=scope.team_ids(Capability.WORK_WITH_FAMILIES), limit=RESULTS)
    families = search_queries.families_shown(found.family_ids)
    where = search_queries.whereabouts(found.family_ids)
    detail: dict[str, object] = {
        "kind": found.kind,
        "query": _kept(typed),
        "results": len(found.family_ids),
        "more": found.more,
    }
    if found.problem:
        detail["problem"] = found.problem
    event = audit.record(action="search.families", actor=request.actor, object_type="search", detail=detail)
    # A results page shows each family's names and ages: each family listed is a read of it, named
    # on its own event (one insert), so its access history finds it through the family index.
    audit.record_each_family(
        action="search.listed", actor=request.actor, family_ids=found.family_ids, detail={**detail, "search": event.pk}
    )
    page = presenters.page(
        typed="".join(ch for ch in typed if ch.isprintable())[:1000],
        query=query,
        families=families,
        where=where,
        more=found.more,
        today=today,
        limit=RESULTS,
        total=found.total,
    )
    return render(request, "search/search.jinja", _context(page))
