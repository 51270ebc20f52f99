"""The home page's sections, one per kind of work the person's roles give them."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from attune.core.models import Outcome
from attune.governance import scope as audit_scope
from attune.organisations.roles import Capability, Role
from attune.organisations.scope import Scope
from attune.referrals import presenters as referral_presenters
from attune.referrals import scope as referral_scope


@dataclass
class Section:
    heading: str
    intro: str
    links: list[dict[str, Any]] = field(default_factory=list)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _team_sections(scope: Scope) -> list[Section]:
    today = timezone.localdate()
    current = Q(memberships__starts_on__lte=today) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    )
    teams = list(
        scope.teams()
        .annotate(people=Count("memberships__user", filter=current, distinct=True))
        .order_by("kind", "name")
    )
    if not teams:
        return []
    sections = []
    links = [
        {
            "href": reverse("organisations:team_detail", args=[t.pk]),
            "text": t.name,
            "hint": f"{t.get_kind_display()}, {_count(t.people, 'person', 'people')}",
        }
        for t in teams
    ]
    sections.append(Section("Your teams", "The teams you work in and the roles you hold there.", links))
    supervised = [t for t in teams if Role.SUPERVISOR in scope.team_roles.get(t.pk, frozenset())]
    if supervised:
        sections.append(
            Section(
                "Supervision",
                "You are a clinical supervisor in these teams. Supervision sessions, countersigning "
                "and trainees' progress will gather here.",
                [
                    {
                        "href": reverse("organisations:team_detail", args=[t.pk]),
                        "text": t.name,
                        "hint": t.get_kind_display(),
                    }
                    for t in supervised
                ],
            )
        )
    return sections


def _commissioner_section(scope: Scope) -> Section | None:
    if not scope.organisation_ids(Capability.VIEW_AGGREGATES):
        return None
    services = list(scope.commissioned_services().annotate(team_count=Count("teams")).select_related("provider"))
    links = [
        {"text": s.name, "hint": f"Provided by {s.provider.name}: {_count(s.team_count, 'team', 'teams')}"}
        for s in services
    ]
    return Section(
        "Services you commission",
        "You see figures about these services, never about a person. Small numbers are hidden.",
        links,
    )


def _audit_section(scope: Scope) -> Section | None:
    if not scope.organisation_ids(Capability.AUDIT):
        return None
    since = timezone.now() - timedelta(days=7)
    refused = audit_scope.events(scope).filter(occurred_at__gte=since).exclude(outcome=Outcome.SUCCESS).count()
    return Section(
        "Information governance",
        f"{_count(refused, 'refused or failed action', 'refused or failed actions')} by your organisation's staff "
        "in the last 7 days.",
        [
            {
                "href": reverse("governance:events"),
                "text": "Audit log",
                "hint": "Who did what, and who accessed which record",
            },
            {
                "href": reverse("governance:events") + "?show=refused",
                "text": "Refused and failed actions",
                "hint": "Sign-in failures, lockouts and refused pages",
            },
        ],
    )


def _accounts_section(scope: Scope) -> Section | None:
    if not scope.organisation_ids(Capability.MANAGE_ACCOUNTS):
        return None
    staff = scope.staff()
    disabled = staff.filter(is_active=False).count()
    return Section(
        "Staff accounts",
        f"{_count(disabled, 'disabled account', 'disabled accounts')}.",
        [
            {
                "href": reverse("organisations:staff_list"),
                "text": "Staff accounts",
                "hint": "Disable accounts, sign people out, reset two-factor",
            }
        ],
    )


def _referrals_section(scope: Scope) -> Section | None:
    """Each team's triage inbox: how many referrals wait and how many are over the target."""
    if not scope.can(Capability.WORK_WITH_FAMILIES):
        return None
    teams = list(referral_scope.inbox_teams(scope))
    inboxes = referral_presenters.team_inboxes(
        teams,
        list(referral_scope.open_referrals(scope)),
        referral_scope.triage_targets({team.pk for team in teams}),
        today=timezone.localdate(),
    )
    return Section(
        "Referrals waiting for triage",
        "New referrals in your teams, with how many have waited longer than the team's target.",
        [{"href": inbox.url, "text": f"{inbox.team.name} inbox", "hint": inbox.summary} for inbox in inboxes],
    )


def home_sections(scope: Scope) -> list[Section]:
    referrals = _referrals_section(scope)
    sections = ([referrals] if referrals else []) + _team_sections(scope)
    for optional in (_commissioner_section(scope), _audit_section(scope), _accounts_section(scope)):
        if optional is not None:
            sections.append(optional)
    return sections
