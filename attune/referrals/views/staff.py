"""The team's side of referrals: each team's triage inbox, the referral, a page for each triage
decision, the signposting letter, and linking a referral to a family the team already knows."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attune.core import audit, paging
from attune.families import duplicates
from attune.families import presenters as family_presenters
from attune.families import scope as family_scope
from attune.families import services as family_services
from attune.families.banner import banner_for
from attune.families.models import Family
from attune.families.naming import family_title
from attune.families.presenters import RecordSection
from attune.families.views import JUST_MERGED
from attune.notifications.services import messages_about
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope, ScopedRequest
from attune.referrals import decisions, forms, linking, presenters, services, workflow
from attune.referrals import scope as referral_scope
from attune.referrals.models import Referral, ReferralStatus
from attune.referrals.workflow import Status

# Inbox pages --------------------------------------------------------------------------------

# Referrals on one page of a triage inbox.
INBOX_PAGE = 50


def teams(request: ScopedRequest) -> HttpResponse:
    """The person's teams with their inbox counts; straight to the inbox when there is one team."""
    scope = request.scope
    scope.require(Capability.WORK_WITH_FAMILIES, "referrals.referral")
    found = list(referral_scope.inbox_teams(scope))
    if len(found) == 1:
        return redirect("referrals:inbox", team_id=found[0].pk)
    inboxes = presenters.team_inboxes(
        found,
        list(referral_scope.open_referrals(scope)),
        referral_scope.triage_targets({team.pk for team in found}),
        today=timezone.localdate(),
    )
    return render(request, "referrals/staff/teams.jinja", {"inboxes": inboxes})


def inbox(request: ScopedRequest, team_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    team = referral_scope.get_inbox_team(scope, team_id)
    shown = paging.paging(
        referral_scope.inbox_page(scope, team),
        request,
        per_page=INBOX_PAGE,
        one="referral",
        many="referrals",
        label="Inbox pages",
    )
    waiting = list(shown.page.object_list)
    today = timezone.localdate()
    targets = referral_scope.triage_targets({team.pk})
    audit.record(
        action="referral.inbox_viewed",
        actor=request.actor,
        obj=team,
        detail={"count": shown.count, "page": shown.number},
    )
    return render(
        request,
        "referrals/staff/inbox.jinja",
        {
            "team": team,
            "rows": presenters.inbox_rows(waiting, today=today, targets=targets),
            "paging": shown,
            "target": targets.on(team.pk, today),
            "runs_inbox": referral_scope.runs_inbox(scope, team.pk),
        },
    )


# The referral -------------------------------------------------------------------------------


def _render_referral(
    request: ScopedRequest,
    referral: Referral,
    *,
    information_form: forms.InformationReceivedForm | None = None,
    problems: list[str] | None = None,
    read: bool = False,
) -> HttpResponse:
    """`read`: record the page as read (a GET), naming the family."""
    family = referral.family
    latest = list(referral.history.all())[-1]
    if information_form is None and latest.state == Status.AWAITING_INFORMATION:
        information_form = forms.InformationReceivedForm(initial={"seen_status": latest.pk})
    # Only the referral's own team: linking to a family in another team would split the family
    # between two teams (a person in both would otherwise be offered one).
    candidates = duplicates.candidates_for(family, family_scope.families(request.scope).filter(team=referral.team))
    if read:
        # Possible matches are counted, as search results are: the family read is this one.
        audit.record(
            action="referral.viewed",
            actor=request.actor,
            obj=referral,
            family_id=referral.family_id,
            detail={"possible_matches": len(candidates)} if candidates else None,
        )
    page = presenters.referral_page(
        referral,
        rules_history=referral_scope.rules_history(referral.team_id),
        banner=banner_for(family),
        candidates=candidates,
        messages=messages_about(referral),
        information_form=information_form,
        problems=problems or [],
        today=timezone.localdate(),
    )
    return render(request, "referrals/staff/referral.jinja", {"page": page})


@require_http_methods(["GET", "POST"])
def referral(request: ScopedRequest, referral_id: uuid.UUID) -> HttpResponse:
    """The referral, with links to each decision open to the team and, while the team waits for
    the referrer, the form to record what they said (the one thing posted here)."""
    scope = request.scope
    found = referral_scope.get_referral_page(scope, referral_id)
    if request.method == "POST":
        return _information_received(request, found)
    return _render_referral(request, found, read=True)


def _information_received(request: ScopedRequest, referral: Referral) -> HttpResponse:
    form = forms.InformationReceivedForm(request.POST)
    if not form.is_valid():
        return _render_referral(request, referral, information_form=form)
    try:
        status = services.information_received(
            actor=request.actor,
            referral=referral,
            seen_status_id=form.cleaned_data["seen_status"],
            note=form.cleaned_data["received_note"],
        )
    except services.StaleDecision as stale:
        # The page is shown again as it is now, so the form carries the status shown with it.
        fresh = referral_scope.get_referral_page(request.scope, referral.pk)
        data = request.POST.copy()
        data["seen_status"] = str(stale.latest.pk)
        return _render_referral(
            request,
            fresh,
            information_form=forms.InformationReceivedForm(data),
            problems=[presenters.stale_warning(stale.latest, today=timezone.localdate())],
        )
    except services.IncompleteDecision as incomplete:
        form.add_error("received_note", incomplete.problems.get("note", str(incomplete)))
        return _render_referral(request, referral, information_form=form)
    except workflow.IllegalTransition as illegal:
        return _render_referral(request, referral, information_form=form, problems=[str(illegal)])
    messages.success(request, presenters.decided_message(referral, status))
    return redirect("referrals:referral", referral_id=referral.pk)


# One page per decision ------------------------------------------------------------------------

DECIDE_AGAIN = (
    "We could not tell which version of the referral you were deciding on. "
    "Check the referral and choose your decision again."
)


def _seen(value: str | None, history: list[ReferralStatus]) -> int | None:
    """The status row the person saw, if it is one of this referral's."""
    try:
        pk = int(value or "")
    except ValueError:
        return None
    return pk if any(row.pk == pk for row in history) else None


@require_http_methods(["GET", "POST"])
def decide(request: ScopedRequest, referral_id: uuid.UUID, decision: str) -> HttpResponse:
    """One decision's page: only its own fields, so nothing is revealed under a radio. The form
    carries the status the person saw on the referral page (?seen=), never a later one: if
    someone decides first, this person is told and must look at the referral again."""
    scope = request.scope
    found = referral_scope.get_referral_page(scope, referral_id)
    kind = scope.found(decisions.BY_SLUG.get(decision), "referrals.referral", referral_id)
    history = list(found.history.all())
    raw = request.POST.get("seen_status") if request.method == "POST" else request.GET.get("seen")
    seen = _seen(raw, history)
    if seen is None:
        messages.info(request, DECIDE_AGAIN)
        return redirect("referrals:referral", referral_id=found.pk)
    form_class = forms.FORMS[kind.status]
    if request.method == "GET":
        latest = history[-1]
        if kind not in presenters.decisions_from(latest.state):
            messages.info(request, presenters.not_allowed_message(latest.state, kind))
            return redirect("referrals:referral", referral_id=found.pk)
        audit.record(
            action="referral.viewed",
            actor=request.actor,
            obj=found,
            family_id=found.family_id,
            detail={"decision": kind.slug},
        )
        return _render_decide(request, found, kind, form_class(initial={"seen_status": seen}, referral=found))

    form = form_class(request.POST, referral=found)
    if not form.is_valid():
        return _render_decide(request, found, kind, form)
    try:
        status = services.decide(actor=request.actor, referral=found, seen_status_id=seen, decision=form.to_decision())
    except services.StaleDecision as stale:
        # What they typed stays, and so does the status they saw: deciding again from here would
        # be deciding on a referral they have not looked at since it changed.
        fresh = referral_scope.get_referral_page(scope, found.pk)
        warning = presenters.stale_warning(stale.latest, today=timezone.localdate())
        return _render_decide(request, fresh, kind, form, problems=[(warning, "See what changed on the referral")])
    except services.IncompleteDecision as incomplete:
        form.add_problems(incomplete.problems)
        return _render_decide(request, found, kind, form)
    except services.ContradictsEligibility as contradicts:
        # Not refused: the person is asked to confirm, with everything they chose kept.
        form.ask_to_confirm(contradicts.contradiction)
        return _render_decide(request, found, kind, form)
    except workflow.IllegalTransition as illegal:
        return _render_decide(request, found, kind, form, problems=[(str(illegal), "Go back to the referral")])
    found.refresh_from_db()
    messages.success(request, presenters.decided_message(found, status))
    return redirect("referrals:referral", referral_id=found.pk)


def _render_decide(
    request: ScopedRequest,
    referral: Referral,
    kind: decisions.DecisionKind,
    form: forms.DecisionForm,
    *,
    problems: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """`problems`: what stops the decision that the referral page explains, each with the words
    of its link back there."""
    today = timezone.localdate()
    family = referral.family
    history = referral_scope.rules_history(referral.team_id)
    rules, _ = presenters.rules_of(referral, history, today)
    form.hint_priorities(presenters.priority_hints(history, today))
    eligibility = presenters.eligibility_view(family, rules, today)
    return render(
        request,
        "referrals/staff/decide.jinja",
        {
            "referral": referral,
            "family": family,
            "kind": kind,
            "form": form,
            "title": family_title(family),
            "banner": banner_for(family),
            "summary_rows": presenters.decide_summary_rows(referral, today),
            # Out of criteria, or about to age out: what the decision must weigh.
            "eligibility": eligibility
            if eligibility is not None and (not eligibility.eligible or eligibility.warnings)
            else None,
            "problems": problems or [],
            "has_errors": bool(problems or form.errors),
            "referral_url": presenters.referral_url(referral),
        },
    )


def letter(request: ScopedRequest, referral_id: uuid.UUID) -> HttpResponse:
    """The signposting letter to the family, to print."""
    found = referral_scope.get_referral_page(request.scope, referral_id)
    latest = list(found.history.all())[-1]
    if latest.state != Status.SIGNPOSTED:
        raise Http404("Only a signposted referral has a signposting letter")
    audit.record(action="referral.letter_viewed", actor=request.actor, obj=found, family_id=found.family_id)
    return render(
        request,
        "referrals/staff/letter.jinja",
        {
            "referral": found,
            "family": found.family,
            "banner": banner_for(found.family),
            "letter": presenters.signposting_letter(found, latest, today=timezone.localdate()),
        },
    )


# Linking a referral to a family the team already knows -----------------------------------------


@require_http_methods(["GET", "POST"])
def link_family(request: ScopedRequest, referral_id: uuid.UUID, family_id: uuid.UUID) -> HttpResponse:
    scope = request.scope
    found = referral_scope.get_referral(scope, referral_id)
    existing = family_scope.get_family(scope, family_id)
    new = found.family
    if existing.pk == new.pk:
        messages.info(request, f"{found.reference} is already on this family's record.")
        return redirect("families:family", family_id=existing.pk)
    if existing.merged_into_id is not None:
        messages.info(request, "That family record has been merged into another. Check the possible matches again.")
        return redirect("referrals:referral", referral_id=found.pk)
    if existing.team_id != found.team_id:
        # The referral would sit in one team and its family in another.
        messages.info(
            request,
            f"{found.reference} cannot be linked to that family record. The family record belongs to "
            f"{existing.team.name} and the referral was sent to {found.team.name}. A referral can only be "
            "linked to a family record in the same team.",
        )
        return redirect("referrals:referral", referral_id=found.pk)
    found_differences = linking.differences(kept=existing, referred=new)
    form = forms.LinkForm(request.POST or None, differences=found_differences)
    if request.method == "POST" and form.is_valid():
        taken = form.taken()
        try:
            linked = services.link_referral(
                actor=request.actor,
                referral=found,
                family=existing,
                reason=form.cleaned_data["reason"],
                take=[family_services.DetailChange(d.record, d.values, d.in_sentence) for d in taken],
            )
        except family_services.FamilyError as error:
            form.add_error("reason", str(error))
        else:
            request.session[JUST_MERGED] = str(linked.merge.pk)
            messages.success(request, presenters.linked_message(existing, taken))
            return redirect("families:family", family_id=existing.pk)
    moving = [f"Referral {r.reference}" for r in referral_scope.for_family(scope, new)]
    new_flags, new_alerts = family_scope.banner_of(new)
    existing_flags, existing_alerts = family_scope.banner_of(existing)
    if request.method == "GET":
        # The page sets both records side by side: each family's data is read.
        audit.record(action="family.viewed", actor=request.actor, obj=existing, detail={"linking": found.reference})
        audit.record(
            action="referral.viewed", actor=request.actor, obj=found, family_id=new.pk, detail={"page": "link_family"}
        )
    today = timezone.localdate()
    return render(
        request,
        "referrals/staff/link_family.jinja",
        {
            "referral": found,
            "form": form,
            # Both records' flags and alerts: the page is about linking them.
            "banner": banner_for(existing, flags=existing_flags + new_flags, alerts=existing_alerts + new_alerts),
            "new_title": family_title(new),
            "new_rows": family_presenters.family_card_rows(new, today),
            "existing": existing,
            "existing_title": family_title(existing),
            "existing_rows": family_presenters.family_card_rows(existing, today),
            "preview": family_presenters.merge_preview(kept=existing, merged=new, flags=new_flags, extra=moving),
            "difference_rows": presenters.difference_rows(found_differences),
        },
    )


# The family page's list of referrals ----------------------------------------------------------


def family_referrals(scope: Scope, family: Family) -> RecordSection:
    """Registered with families.scope (ReferralsConfig.ready), so the family page lists its referrals."""
    return presenters.family_referrals_section(list(referral_scope.for_family(scope, family)))
